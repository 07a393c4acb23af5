//! Genesis presets: `development` (one miner, fast blocks, a sudo key), `local_testnet` (several
//! nodes on one machine, a sudo key), `live` (no sudo key: governance by REP is the only way to
//! change anything) and `bench` (the development chain plus [`BENCH_SENDERS`] funded senders for
//! floods and throughput runs). The node's chain specs are built from these.
//!
//! **Why `local_testnet` keeps its sudo key:** it is the multi-node rehearsal network developers
//! start on one machine (the network tests, `scripts/`), where an operator must be able to tune
//! the difficulty or register a service type without waiting out a vote. Every governance path
//! works there too; `live` is the preset that shows a chain without a key.

use crate::{
	configs::ReputationDefaultParams,
	governance::{EMERGENCY_TRACK, GOVERNANCE_SET_PREFIX, PARAMETERS_TRACK, UPGRADE_TRACK},
	AccountId, BalancesConfig, BlockNumber, DifficultyConfig, GovernanceConfig, Reputation,
	ReputationConfig, RuntimeGenesisConfig, SudoConfig, System, WorkPaymentConfig, UNIT,
};
use alloc::{string::String, vec, vec::Vec};
use frame_support::build_struct_json_patch;
use frame_support::traits::PalletInfoAccess;
use gpow_primitives_pow::confirmation_depth;
use pallet_governance::{TrackId, TrackInfo};
use pallet_reputation::{ParamSetName, PoolParams};
use pallet_work_payment::{CallId, WorkTerms};
use serde_json::Value;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::Sr25519Keyring;
use sp_runtime::Perbill;

/// What every well-known dev account starts with: one million GPOW.
pub const ENDOWMENT: u128 = 1_000_000 * UNIT;

/// The REP each founding member starts with (the bootstrap of the reputation layer).
pub const FOUNDING_REP: u128 = 1_000 * UNIT;

/// Target block time of the development chain, in milliseconds.
pub const DEV_TARGET_BLOCK_TIME_MS: u64 = 2_000;
/// Starting difficulty of the development chain: about 1 s of one mining thread (~3.3 MH/s).
pub const DEV_INITIAL_DIFFICULTY: u128 = 4_000_000;
/// Target block time of the local testnet, in milliseconds.
pub const LOCAL_TARGET_BLOCK_TIME_MS: u64 = 6_000;
/// Starting difficulty of the local testnet.
pub const LOCAL_INITIAL_DIFFICULTY: u128 = 4_000_000;

/// Target block time of the live chain, in milliseconds.
pub const LIVE_TARGET_BLOCK_TIME_MS: u64 = 10_000;
/// Starting difficulty of the live chain: about 10 s of one mining thread (~5 MH/s).
pub const LIVE_INITIAL_DIFFICULTY: u128 = 50_000_000;
/// What each founder of the live chain starts with: enough to propose, vote and post.
pub const LIVE_FOUNDER_ENDOWMENT: u128 = 10_000 * UNIT;

/// How a track's pool votes and when its proposals take effect, in blocks.
struct TrackPlan {
	id: TrackId,
	name: &'static str,
	window: BlockNumber,
	quorum: u32,
	win_ratio: u32,
	binding: u32,
	enactment_delay: BlockNumber,
	pool_fee: u128,
	deposit: u128,
	max_active: u32,
}

impl TrackPlan {
	/// The reputation parameter set the track's pools run with: `gov-<name>`.
	fn param_set_name(&self) -> ParamSetName {
		ParamSetName::truncate_from([GOVERNANCE_SET_PREFIX, self.name.as_bytes()].concat())
	}

	/// The `default` set (DGF's minting and citation defaults, losing stakes to the winners)
	/// with the track's window, quorum, win ratio, binding and fee.
	fn params(&self) -> PoolParams<BlockNumber, u128> {
		PoolParams {
			duration: self.window,
			quorum: Perbill::from_percent(self.quorum),
			win_ratio: Perbill::from_percent(self.win_ratio),
			binding: Perbill::from_percent(self.binding),
			min_fee: self.pool_fee,
			..ReputationDefaultParams::get()
		}
	}

	fn track(&self) -> TrackInfo<u128, BlockNumber> {
		TrackInfo {
			name: self.name.as_bytes().to_vec().try_into().unwrap_or_default(),
			param_set: self.param_set_name(),
			panel_size: 0,
			pool_fee: self.pool_fee,
			deposit: self.deposit,
			enactment_delay: self.enactment_delay,
			max_active: self.max_active,
		}
	}
}

/// The three tracks of a chain whose blocks are final `depth` blocks deep: `parameters` and
/// `upgrade` enact at least `depth` blocks after their pool settles (every node sees the
/// decision final before it acts), and the `emergency` track's window plus its delay (also
/// `depth`) is shorter than the `parameters` delay, so a scheduled change can be cancelled in
/// time. `window` is the `parameters` voting window; `upgrade` votes twice as long.
fn track_plans(window: BlockNumber, depth: BlockNumber, unit: u128) -> [TrackPlan; 3] {
	let emergency_window = (window / 8).max(3);
	let enactment_delay = 2 * (emergency_window + depth);
	[
		TrackPlan {
			id: PARAMETERS_TRACK,
			name: "parameters",
			window,
			quorum: 10,
			win_ratio: 60,
			binding: 50,
			enactment_delay,
			pool_fee: unit,
			deposit: 10 * unit,
			max_active: 16,
		},
		TrackPlan {
			id: UPGRADE_TRACK,
			name: "upgrade",
			window: 2 * window,
			quorum: 20,
			win_ratio: 66,
			binding: 100,
			enactment_delay,
			pool_fee: 10 * unit,
			deposit: 100 * unit,
			max_active: 2,
		},
		TrackPlan {
			id: EMERGENCY_TRACK,
			name: "emergency",
			window: emergency_window,
			quorum: 30,
			win_ratio: 75,
			binding: 100,
			enactment_delay: depth,
			pool_fee: 5 * unit,
			deposit: 50 * unit,
			max_active: 4,
		},
	]
}

/// What paying by work costs on a chain, and whether `System.remark` may be paid by work (the
/// development chain's way to try it without REP).
struct WorkPlan {
	base_effort: u64,
	effort_per_byte: u64,
	effort_per_micros: u64,
	block_share: Perbill,
	allow_remark: bool,
}

impl WorkPlan {
	/// The development and local chains: about 6 Ki hashes for a small call (milliseconds, even
	/// in a browser), a quarter of each block, remarks allowed.
	const TESTNET: WorkPlan = WorkPlan {
		base_effort: 1 << 12,
		effort_per_byte: 1 << 6,
		effort_per_micros: 1 << 6,
		block_share: Perbill::from_percent(25),
		allow_remark: true,
	};
	/// The live chain: about 4 Mi hashes for a small call (a second or two of one core), a tenth
	/// of each block, reputation calls only.
	const LIVE: WorkPlan = WorkPlan {
		base_effort: 1 << 22,
		effort_per_byte: 1 << 10,
		effort_per_micros: 1 << 12,
		block_share: Perbill::from_percent(10),
		allow_remark: false,
	};

	/// The terms: the calls of a REP holder who may hold no GPOW (stake, settle, claim, claim
	/// fees in validation pools; they hold no deposit), and `System.remark` if allowed.
	fn terms(&self) -> WorkTerms<<crate::Runtime as pallet_work_payment::Config>::MaxAllowedCalls> {
		let reputation = Reputation::index() as u8;
		let mut calls: Vec<CallId> =
			vec![[reputation, 3], [reputation, 4], [reputation, 5], [reputation, 6]];
		if self.allow_remark {
			calls.push([System::index() as u8, 0]);
		}
		calls.sort();
		WorkTerms {
			base_effort: self.base_effort,
			effort_per_byte: self.effort_per_byte,
			effort_per_micros: self.effort_per_micros,
			block_share: self.block_share,
			allowed_calls: calls.try_into().expect("5 calls fit the allow-list"),
		}
	}
}

#[allow(clippy::too_many_arguments)]
fn chain_genesis(
	endowments: Vec<(AccountId, u128)>,
	founders: Vec<AccountId>,
	root: Option<AccountId>,
	no_bootstrap_pool: bool,
	target_block_time: u64,
	initial_difficulty: u128,
	tracks: [TrackPlan; 3],
	work: WorkPlan,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowments },
		sudo: SudoConfig { key: root },
		difficulty: DifficultyConfig { initial_difficulty, target_block_time },
		reputation: ReputationConfig {
			members: founders.into_iter().map(|k| (k, FOUNDING_REP)).collect::<Vec<_>>(),
			parameter_sets: tracks
				.iter()
				.map(|t| (t.param_set_name(), t.params()))
				.collect::<Vec<_>>(),
			no_bootstrap_pool,
		},
		governance: GovernanceConfig {
			tracks: tracks.iter().map(|t| (t.id, t.track())).collect::<Vec<_>>(),
		},
		work_payment: WorkPaymentConfig { terms: work.terms() },
	})
}

fn testnet_genesis(
	endowed_accounts: Vec<AccountId>,
	founders: Vec<AccountId>,
	root: AccountId,
	target_block_time: u64,
	initial_difficulty: u128,
	tracks: [TrackPlan; 3],
) -> Value {
	chain_genesis(
		endowed_accounts.into_iter().map(|k| (k, ENDOWMENT)).collect(),
		founders,
		Some(root),
		false,
		target_block_time,
		initial_difficulty,
		tracks,
		WorkPlan::TESTNET,
	)
}

/// The `development` preset: Alice, Bob and their stashes endowed, Alice is sudo, Alice and Bob
/// are the founding REP holders. Governance votes in 6 blocks (12 s); a passed `parameters`
/// proposal is enacted 26 blocks after its pool settles.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![
			Sr25519Keyring::Alice.to_account_id(),
			Sr25519Keyring::Bob.to_account_id(),
			Sr25519Keyring::AliceStash.to_account_id(),
			Sr25519Keyring::BobStash.to_account_id(),
		],
		vec![Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Bob.to_account_id()],
		Sr25519Keyring::Alice.to_account_id(),
		DEV_TARGET_BLOCK_TIME_MS,
		DEV_INITIAL_DIFFICULTY,
		track_plans(6, confirmation_depth::DEVELOPMENT, UNIT),
	)
}

/// The `local_testnet` preset: every well-known dev account endowed, Alice is sudo, Alice to Dave
/// are the founding REP holders.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		Sr25519Keyring::iter()
			.filter(|v| v != &Sr25519Keyring::One && v != &Sr25519Keyring::Two)
			.map(|v| v.to_account_id())
			.collect::<Vec<_>>(),
		[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave]
			.iter()
			.map(|k| k.to_account_id())
			.collect::<Vec<_>>(),
		Sr25519Keyring::Alice.to_account_id(),
		LOCAL_TARGET_BLOCK_TIME_MS,
		LOCAL_INITIAL_DIFFICULTY,
		track_plans(20, confirmation_depth::LOCAL, UNIT),
	)
}

/// The name of the live preset.
pub const LIVE_PRESET: &str = "live";

/// The founders of the live chain. **The committed preset names the well-known development
/// accounts Alice to Dave as placeholders:** a real launch replaces them in the plain chain spec
/// (`gpow-node build-spec --chain live > live.json`, edit `reputation.members` and
/// `balances.balances`, then `gpow-node build-spec --chain live.json --raw`).
fn live_founders() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave]
		.iter()
		.map(|k| k.to_account_id())
		.collect()
}

/// The `live` preset: **no sudo key**; the founders hold the genesis REP and a modest endowment,
/// and governance by REP is the only way to change a parameter or the runtime. There is no
/// bootstrap pool (pool ids start at 1): the founders' REP bootstraps the chain, and a first pool
/// that always passes would let whoever opens it mint REP for their own post unopposed. Blocks every
/// 10 s; a `parameters` vote lasts a day (8,640 blocks) and enacts
/// after it settles (2,360 blocks, about 6.5 h); the `emergency` track votes in 1,080 blocks (3 h) and enacts 100 blocks
/// (the live confirmation depth) later.
pub fn live_config_genesis() -> Value {
	let founders = live_founders();
	chain_genesis(
		founders.iter().cloned().map(|k| (k, LIVE_FOUNDER_ENDOWMENT)).collect(),
		founders,
		None,
		true,
		LIVE_TARGET_BLOCK_TIME_MS,
		LIVE_INITIAL_DIFFICULTY,
		track_plans(8_640, confirmation_depth::LIVE, UNIT),
		WorkPlan::LIVE,
	)
}

/// The name of the bench preset.
pub const BENCH_PRESET: &str = "bench";

/// How many senders the bench preset funds at genesis. Their 10,000 accounts add about 1.5 s to
/// building the genesis state on the 2-core reference machine (`gpow-node build-spec --chain
/// bench --raw` against `--chain dev`), a start-up cost every `--chain bench` node pays once.
pub const BENCH_SENDERS: u32 = 10_000;

/// What each bench sender starts with: 10,000 GPOW, enough for thousands of transfers and their
/// fees.
pub const BENCH_SENDER_BALANCE: u128 = 10_000 * UNIT;

/// The secret URI of bench sender `i` is this with `{}` replaced by `i`, from `0` to
/// `BENCH_SENDERS - 1`: the well-known development phrase (`bottom drive obey lake ...`, as for
/// `//Alice`) with the hard junctions `//Sender//<i>`, sr25519. It is pallet-balances' default
/// `dev_accounts` derivation; `gpow-node key inspect //Sender//0` shows the first account and
/// `keyring.addFromUri('//Sender//0')` (@polkadot/keyring) signs as it.
pub const BENCH_SENDER_URI: &str = "//Sender//{}";

/// The derivation the bench preset hands to pallet-balances' `dev_accounts`: the same accounts
/// as [`BENCH_SENDER_URI`], with the development phrase replaced by its secret seed (`gpow-node
/// key inspect "bottom drive obey lake curtain smoke basket hold race lonely fit walk"` prints
/// it). From the phrase, every account costs a PBKDF2 stretch of 2,048 rounds: about 8 ms each
/// in Wasm here, 80 s for 10,000 senders; from the seed only the two hard derivations remain.
const BENCH_SENDER_DERIVATION: &str =
	"0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e//Sender//{}";

/// The `bench` preset: the development chain (same accounts, sudo, difficulty and tracks) plus
/// [`BENCH_SENDERS`] senders funded through pallet-balances' `dev_accounts`, each with
/// [`BENCH_SENDER_BALANCE`], whose keys derive from [`BENCH_SENDER_URI`]. The plain chain spec
/// stays small (the patch names the count, the balance and the derivation); the raw one lists
/// every account (about 4.5 MB).
pub fn bench_config_genesis() -> Value {
	let mut genesis = development_config_genesis();
	genesis["balances"]["devAccounts"] = serde_json::json!([
		BENCH_SENDERS,
		// Within u64, which serde_json's `Value` holds without arbitrary precision.
		BENCH_SENDER_BALANCE as u64,
		BENCH_SENDER_DERIVATION,
	]);
	genesis
}

/// Counts every account's balance in pallet-balances' `TotalIssuance`, after the pallets built
/// their genesis. pallet-balances (51.0.x) sets the issuance to the sum of its `balances` list
/// and then funds the `dev_accounts` without adding them, so on the `bench` chain the issuance
/// would miss every sender's endowment. Everywhere else the sum equals the stored issuance (no
/// genesis mints outside `balances`) and this changes nothing. Called by
/// `GenesisBuilder::build_state`.
pub fn count_genesis_balances_in_issuance() {
	let total = frame_system::Account::<crate::Runtime>::iter_values()
		.fold(0u128, |total, a| total.saturating_add(a.data.free).saturating_add(a.data.reserved));
	pallet_balances::TotalIssuance::<crate::Runtime>::put(total);
}

/// The JSON patch of the preset named `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		LIVE_PRESET => live_config_genesis(),
		BENCH_PRESET => bench_config_genesis(),
		_ => return None,
	};
	// Serializing a `serde_json::Value` cannot fail.
	serde_json::to_string(&patch).ok().map(String::into_bytes)
}

/// The whole genesis config of the preset named `id`: the default config with the preset's patch
/// merged in, as the node builds a chain spec from it. For native tools and tests.
#[cfg(feature = "std")]
pub fn preset_config(id: &PresetId) -> Option<RuntimeGenesisConfig> {
	let patch = serde_json::from_slice(&get_preset(id)?).ok()?;
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).ok()?;
	merge(&mut config, patch);
	serde_json::from_value(config).ok()
}

/// Merges a JSON patch into a JSON value: objects key by key, anything else replaced.
#[cfg(feature = "std")]
fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// The names of the presets this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(LIVE_PRESET),
		PresetId::from(BENCH_PRESET),
	]
}
