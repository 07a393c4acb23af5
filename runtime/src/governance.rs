//! Governance of the runtime: the tracks, what each may enact, their origins, and the runtime
//! parameters governance tunes.
//!
//! Three tracks (their settings are stored at genesis, see [`crate::genesis_config_presets`]):
//!
//! | id | track | may enact | origin accepted by |
//! |---|---|---|---|
//! | 0 | `parameters` | `Difficulty.set_target_block_time`, `Reputation.set_parameter_set` / `remove_parameter_set`, `Services.register_type` / `set_terms`, `Parameters.set_parameter`, `WorkPayment.set_terms` | [`ParametersOrigin`] |
//! | 1 | `upgrade` | `Governance.authorize_upgrade`, `Reputation.set_parameter_set` of the tracks' own `gov-*` sets | [`UpgradeOrigin`] |
//! | 2 | `emergency` | `Governance.cancel` | [`EmergencyOrigin`] |
//!
//! A `Utility` batch (`batch`, `batch_all`, `force_batch`) is allowed when every call in it is
//! (nested at most 4 deep). Arguments are checked too ([`RuntimeAllowLists`]): the tracks' own
//! `gov-*` parameter sets are the `upgrade` track's alone, within floors, and never removed;
//! the `emergency` track cancels only live proposals. The allow-list is checked again at
//! enactment. Each admin origin is `EitherOf<EnsureRoot, track origin>`: Root
//! still works on chains with a sudo key (development, local), and on the live chain, which has
//! none, the track is the only way.
//!
//! **Governed parameters** ([`dynamic_params`], `pallet-parameters`, changed by the `parameters`
//! track): the block reward, the storage deposit base and per-byte price, the attestation effort
//! per challenge and the minimum difficulty. Each is clamped to a sane range where it is read
//! ([`Clamped`]), so no vote can set a zero difficulty or a zero deposit. What stays a
//! compile-time constant, and why: the block weight and length limits, `BlockHashCount` and the
//! existential deposit (changing them needs new benchmarks or a migration: a runtime upgrade),
//! the retarget window, damping and clamping (a change mid-window would break the retarget's
//! continuity), the gates' round period and window (off-chain gates must agree on them), and
//! the pallets' storage bounds (`Max*`: a lower bound could strand stored data).

use crate::{
	AccountId, Balance, BlockNumber, Runtime, RuntimeCall, BLOCK_REWARD, MICRO_UNIT, MILLI_UNIT,
	UNIT,
};
use core::marker::PhantomData;
use frame_support::{
	dynamic_params::{dynamic_pallet_params, dynamic_params},
	parameter_types,
	traits::{EitherOf, Get},
};
use frame_system::EnsureRoot;
use pallet_governance::{AllowListByName, AllowLists, EnsureTrack, InnerCalls, TrackId};
use pallet_governance_runtime_api::GovernedParameter;
use pallet_reputation::{ParamSetName, PoolParams};
use sp_runtime::Perbill;

/// The `parameters` track: every governed parameter and registry.
pub const PARAMETERS_TRACK: TrackId = 0;
/// The `upgrade` track: new runtime code.
pub const UPGRADE_TRACK: TrackId = 1;
/// The `emergency` track: cancels scheduled enactments; a stricter pool.
pub const EMERGENCY_TRACK: TrackId = 2;

parameter_types! {
	pub const ParametersTrack: TrackId = PARAMETERS_TRACK;
	pub const UpgradeTrack: TrackId = UPGRADE_TRACK;
	pub const EmergencyTrack: TrackId = EMERGENCY_TRACK;
}

/// Root, or a passed proposal of the `parameters` track.
pub type ParametersOrigin = EitherOf<EnsureRoot<AccountId>, EnsureTrack<ParametersTrack>>;
/// Root, or a passed proposal of the `upgrade` track.
pub type UpgradeOrigin = EitherOf<EnsureRoot<AccountId>, EnsureTrack<UpgradeTrack>>;
/// Root, or a passed proposal of the `emergency` track.
pub type EmergencyOrigin = EitherOf<EnsureRoot<AccountId>, EnsureTrack<EmergencyTrack>>;

/// The prefix of the reputation parameter sets the governance tracks' pools run with.
pub const GOVERNANCE_SET_PREFIX: &[u8] = b"gov-";

/// Governance's own pools must stay pools: a quorum of at least 10 % and a majority to win.
const MIN_GOVERNANCE_QUORUM: Perbill = Perbill::from_percent(10);

/// The tracks' allow-lists, by the names `construct_runtime` and the pallets give, and what
/// each admits of their arguments:
///
/// - the governance tracks' own parameter sets (`gov-*`) are changed only by the `upgrade` track
///   (the strictest vote but the emergency's), never removed, and keep a quorum of at least 10 %,
///   a win ratio above 50 % and a minimum fee no track's pool fee is below: the `parameters`
///   track cannot weaken the tracks that check it;
/// - every other parameter set is the `parameters` track's;
/// - the `emergency` track cancels only proposals that are voting or scheduled.
pub struct RuntimeAllowLists;

impl AllowLists<RuntimeCall> for RuntimeAllowLists {
	fn list(track: TrackId) -> &'static [(&'static str, &'static str)] {
		match track {
			PARAMETERS_TRACK => &[
				("Difficulty", "set_target_block_time"),
				("Reputation", "set_parameter_set"),
				("Reputation", "remove_parameter_set"),
				("Services", "register_type"),
				("Services", "set_terms"),
				("Parameters", "set_parameter"),
				("WorkPayment", "set_terms"),
			],
			UPGRADE_TRACK => {
				&[("Governance", "authorize_upgrade"), ("Reputation", "set_parameter_set")]
			},
			EMERGENCY_TRACK => &[("Governance", "cancel")],
			_ => &[],
		}
	}

	fn admits(track: TrackId, call: &RuntimeCall) -> bool {
		use pallet_reputation::Call as Rep;
		match call {
			RuntimeCall::Reputation(Rep::set_parameter_set { name, params }) => {
				if is_governance_set(name) {
					track == UPGRADE_TRACK && governance_set_keeps_its_tracks(name, params)
				} else {
					track == PARAMETERS_TRACK
				}
			},
			RuntimeCall::Reputation(Rep::remove_parameter_set { name }) => !is_governance_set(name),
			RuntimeCall::Governance(pallet_governance::Call::cancel { proposal }) => {
				pallet_governance::Proposals::<Runtime>::get(proposal)
					.is_some_and(|p| p.status.is_active())
			},
			_ => true,
		}
	}
}

/// Whether `name` is one of the governance tracks' parameter sets.
fn is_governance_set(name: &ParamSetName) -> bool {
	name.starts_with(GOVERNANCE_SET_PREFIX)
}

/// Whether the tracks that vote with the set `name` can still vote with `params`.
fn governance_set_keeps_its_tracks(
	name: &ParamSetName,
	params: &PoolParams<BlockNumber, Balance>,
) -> bool {
	params.quorum >= MIN_GOVERNANCE_QUORUM
		&& params.win_ratio > Perbill::from_percent(50)
		&& pallet_governance::Tracks::<Runtime>::iter_values()
			.filter(|t| &t.param_set == name)
			.all(|t| t.pool_fee >= params.min_fee)
}

/// The allow-lists checked at `propose`, batches included.
pub type TrackCalls = AllowListByName<RuntimeAllowLists>;

impl InnerCalls for RuntimeCall {
	fn inner_calls(&self) -> Option<&[Self]> {
		match self {
			RuntimeCall::Utility(
				pallet_utility::Call::batch { calls }
				| pallet_utility::Call::batch_all { calls }
				| pallet_utility::Call::force_batch { calls },
			) => Some(calls),
			_ => None,
		}
	}
}

/// `P`, clamped to `[Min, Max]` where it is read: a governed value can never leave its range.
pub struct Clamped<P, Min, Max>(PhantomData<(P, Min, Max)>);

impl<V: Ord, P: Get<V>, Min: Get<V>, Max: Get<V>> Get<V> for Clamped<P, Min, Max> {
	fn get() -> V {
		P::get().clamp(Min::get(), Max::get())
	}
}

/// A governed value of type `V` as the runtime API reports it.
pub trait Report<V> {
	/// The value in effect and its range, under `name`.
	fn report(name: &str) -> GovernedParameter;
}

impl<V: Ord + Into<u128>, P: Get<V>, Min: Get<V>, Max: Get<V>> Report<V> for Clamped<P, Min, Max> {
	fn report(name: &str) -> GovernedParameter {
		GovernedParameter {
			name: name.as_bytes().to_vec(),
			value: Self::get().into(),
			min: Min::get().into(),
			max: Max::get().into(),
		}
	}
}

/// The runtime parameters governance changes (`pallet-parameters`).
#[dynamic_params(RuntimeParameters, pallet_parameters::Parameters::<Runtime>)]
pub mod dynamic_params {
	use super::*;

	/// The miner's reward.
	#[dynamic_pallet_params]
	#[codec(index = 0)]
	pub mod rewards {
		/// Minted to the miner of every block.
		#[codec(index = 0)]
		pub static BlockReward: Balance = BLOCK_REWARD;
	}

	/// The deposit held for stored data (SSK keys and envelopes, posts, offers, instances,
	/// gates, preimages): `base + per_byte × encoded size`.
	#[dynamic_pallet_params]
	#[codec(index = 1)]
	pub mod storage {
		/// The deposit of any stored item.
		#[codec(index = 0)]
		pub static DepositBase: Balance = 10 * MILLI_UNIT;
		/// The deposit of each stored byte.
		#[codec(index = 1)]
		pub static DepositPerByte: Balance = 100 * MICRO_UNIT;
	}

	/// The PoW connection gate's attestations.
	#[dynamic_pallet_params]
	#[codec(index = 2)]
	pub mod pow_attest {
		/// The effort an attestation must show per challenge (at most what gates demand).
		#[codec(index = 0)]
		pub static EffortPerChallenge: u64 = 1 << 16;
	}

	/// The difficulty retarget.
	#[dynamic_pallet_params]
	#[codec(index = 3)]
	pub mod difficulty {
		/// The lowest difficulty the retarget may reach.
		#[codec(index = 0)]
		pub static MinDifficulty: u128 = 1_000;
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl Default for RuntimeParameters {
	fn default() -> Self {
		RuntimeParameters::Rewards(dynamic_params::rewards::Parameters::BlockReward(
			dynamic_params::rewards::BlockReward,
			Some(BLOCK_REWARD),
		))
	}
}

parameter_types! {
	pub const MinBlockReward: Balance = MILLI_UNIT;
	pub const MaxBlockReward: Balance = 1_000 * UNIT;
	pub const MinDepositBase: Balance = MILLI_UNIT;
	pub const MaxDepositBase: Balance = 100 * UNIT;
	pub const MinDepositPerByte: Balance = MICRO_UNIT;
	pub const MaxDepositPerByte: Balance = UNIT;
	pub const MinEffortPerChallenge: u64 = 1 << 8;
	pub const MaxEffortPerChallenge: u64 = 1 << 20;
	pub const MinMinDifficulty: u128 = 1_000;
	pub const MaxMinDifficulty: u128 = 1 << 40;
}

/// The block reward, within `[0.001, 1,000]` GPOW.
pub type BlockReward =
	Clamped<dynamic_params::rewards::BlockReward, MinBlockReward, MaxBlockReward>;
/// The deposit base, within `[0.001, 100]` GPOW.
pub type DepositBase =
	Clamped<dynamic_params::storage::DepositBase, MinDepositBase, MaxDepositBase>;
/// The deposit per byte, within `[0.000001, 1]` GPOW.
pub type DepositPerByte =
	Clamped<dynamic_params::storage::DepositPerByte, MinDepositPerByte, MaxDepositPerByte>;
/// The attestation effort per challenge, within `[2^8, 2^20]` (the gates' default is `2^16`).
pub type EffortPerChallenge = Clamped<
	dynamic_params::pow_attest::EffortPerChallenge,
	MinEffortPerChallenge,
	MaxEffortPerChallenge,
>;
/// The minimum difficulty, within `[1,000, 2^40]`: never zero, never a floor no miner reaches.
pub type MinDifficulty =
	Clamped<dynamic_params::difficulty::MinDifficulty, MinMinDifficulty, MaxMinDifficulty>;

/// Every parameter key is the `parameters` track's (or Root's).
pub type ParametersAdminOrigin = frame_support::traits::AsEnsureOriginWithArg<ParametersOrigin>;

/// Every governed parameter with the value in effect and its range, for the runtime API.
pub fn governed_parameters() -> alloc::vec::Vec<GovernedParameter> {
	alloc::vec![
		BlockReward::report("rewards.BlockReward"),
		DepositBase::report("storage.DepositBase"),
		DepositPerByte::report("storage.DepositPerByte"),
		EffortPerChallenge::report("powAttest.EffortPerChallenge"),
		MinDifficulty::report("difficulty.MinDifficulty"),
	]
}
