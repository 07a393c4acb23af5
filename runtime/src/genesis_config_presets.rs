//! Genesis presets: `development` (one miner, fast blocks) and `local_testnet` (several nodes on
//! one machine). The node's chain specs are built from these.

use crate::{
	AccountId, BalancesConfig, DifficultyConfig, ReputationConfig, RuntimeGenesisConfig,
	SudoConfig, UNIT,
};
use alloc::{string::String, vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::Sr25519Keyring;

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

fn testnet_genesis(
	endowed_accounts: Vec<AccountId>,
	founders: Vec<AccountId>,
	root: AccountId,
	target_block_time: u64,
	initial_difficulty: u128,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.iter().cloned().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		difficulty: DifficultyConfig { initial_difficulty, target_block_time },
		reputation: ReputationConfig {
			members: founders.into_iter().map(|k| (k, FOUNDING_REP)).collect::<Vec<_>>(),
		},
	})
}

/// The `development` preset: Alice, Bob and their stashes endowed, Alice is sudo, Alice and Bob
/// are the founding REP holders.
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
	)
}

/// The JSON patch of the preset named `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
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
	]
}
