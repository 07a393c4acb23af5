//! A test runtime with System, Balances, Reputation, Preimage, Scheduler, Utility and
//! Governance: proposals open real validation pools, passed ones are scheduled by the real
//! scheduler and enacted with a track's origin.

use crate as pallet_governance;
use crate::{AllowListByName, AllowLists, EnsureTrack, InnerCalls, TrackId, TrackInfo};
#[cfg(feature = "runtime-benchmarks")]
use codec::Encode;
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration, ConstU32, ConstU8, EitherOf, EqualPrivilegeOnly,
		LinearStoragePrice,
	},
	weights::Weight,
	PalletId,
};
use frame_system::EnsureRoot;
use gpow_primitives_reputation::{ParamSetName, PoolParams, Rep};
use sp_runtime::{BuildStorage, FixedU128, Perbill};

/// Account ids are `u64` in the mock.
pub type AccountId = u64;
/// Existential deposit of the mock currency.
pub const ED: u64 = 5;
/// Every account in `1..=ENDOWED` starts with this much currency.
pub const ENDOWMENT: u64 = 1_000_000;
/// Accounts `1..=ENDOWED` are endowed.
pub const ENDOWED: u64 = 100;
/// The governance pools' voting window.
pub const WINDOW: u64 = 10;
/// The pools' minimum fee.
pub const MIN_FEE: u64 = 10;
/// The `parameters` track.
pub const PARAMETERS: TrackId = 0;
/// The `upgrade` track.
pub const UPGRADE: TrackId = 1;
/// The `emergency` track.
pub const EMERGENCY: TrackId = 2;
/// The deposit of every track.
pub const DEPOSIT: u64 = 1_000;
/// The pool fee of every track.
pub const POOL_FEE: u64 = 100;
/// The enactment delay of the `parameters` and `upgrade` tracks.
pub const DELAY: u64 = 5;
/// The voting window of the `emergency` track's pools.
pub const EMERGENCY_WINDOW: u64 = 3;
/// The enactment delay of the `emergency` track.
pub const EMERGENCY_DELAY: u64 = 1;
/// The most active proposals per track.
pub const MAX_ACTIVE: u32 = 3;
/// The longest call a proposal may carry.
pub const MAX_CALL_LEN: u32 = 1024;
/// The most active proposals per account and track.
pub const MAX_PER_PROPOSER: u32 = 2;

gpow_mock_runtime::mock_runtime!(
	Test, existential_deposit: ED;
	2 => Reputation: pallet_reputation,
	3 => Preimage: pallet_preimage,
	4 => Scheduler: pallet_scheduler,
	5 => Utility: pallet_utility,
	6 => Governance: pallet_governance,
);

/// The pool parameters of the mock: DGF's defaults, quorum 10%, binding 100%.
pub fn default_params() -> PoolParams<u64, u64> {
	PoolParams {
		duration: WINDOW,
		quorum: Perbill::from_percent(10),
		win_ratio: Perbill::from_percent(50),
		binding: Perbill::from_percent(100),
		redistribute_losing_stakes: true,
		minting_ratio: FixedU128::from_u32(1),
		stake_for_author: Perbill::from_percent(50),
		citation_depth: 3,
		min_fee: MIN_FEE,
	}
}

/// A parameter-set name.
pub fn set_name(name: &[u8]) -> ParamSetName {
	ParamSetName::truncate_from(name.to_vec())
}

parameter_types! {
	pub const PostHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Reputation(pallet_reputation::HoldReason::PostDeposit);
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	pub const DepositBase: u64 = 10;
	pub const DepositPerByte: u64 = 1;
	pub const ReputationPalletId: PalletId = PalletId(*b"gpow/rep");
	pub DefaultParams: PoolParams<u64, u64> = default_params();
	pub MaxScheduledWeight: Weight = Weight::from_parts(u64::MAX / 2, u64::MAX / 2);
	/// Enough for the longest batch of parameter sets stored (21 in 1,024 bytes), not for a
	/// hundred removals.
	pub MaxCallWeight: Weight = Weight::from_parts(2_500_000_000, u64::MAX / 4);
	pub const ParametersTrack: TrackId = PARAMETERS;
	pub const UpgradeTrack: TrackId = UPGRADE;
	pub const EmergencyTrack: TrackId = EMERGENCY;
}

/// A deposit held on Balances for `Reason`.
pub type Deposit<Reason> = HoldConsideration<
	AccountId,
	Balances,
	Reason,
	LinearStoragePrice<DepositBase, DepositPerByte, u64>,
>;

impl pallet_reputation::Config for Test {
	type Currency = Balances;
	type PostConsideration = Deposit<PostHoldReason>;
	/// Parameter sets are the `parameters` track's to change.
	type ParamsOrigin = EitherOf<EnsureRoot<AccountId>, EnsureTrack<ParametersTrack>>;
	type OutcomeHandler = Governance;
	type PalletId = ReputationPalletId;
	type MaxAuthors = ConstU32<4>;
	type MaxCitations = ConstU32<4>;
	type MaxCitationDepth = ConstU8<3>;
	type MaxPropagationVisits = ConstU32<32>;
	type MaxPanelSize = ConstU32<16>;
	type SortitionLevels = ConstU32<4>;
	type DefaultParams = DefaultParams;
	type WeightInfo = ();
}

impl pallet_preimage::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = Deposit<PreimageHoldReason>;
}

impl pallet_scheduler::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaxScheduledWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<2>;
	type WeightInfo = ();
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_utility::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = ();
}

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

std::thread_local! {
	/// Parameter-set names the mock's allow-list refuses from now on (a narrowed allow-list).
	pub static REFUSED_NAMES: core::cell::RefCell<Vec<ParamSetName>> = Default::default();
}

/// The mock's allow-lists: parameter sets (but the names in [`REFUSED_NAMES`]); upgrades;
/// cancelling.
pub struct MockAllowLists;
impl AllowLists<RuntimeCall> for MockAllowLists {
	fn list(track: TrackId) -> &'static [(&'static str, &'static str)] {
		match track {
			PARAMETERS => {
				&[("Reputation", "set_parameter_set"), ("Reputation", "remove_parameter_set")]
			},
			UPGRADE => &[("Governance", "authorize_upgrade")],
			EMERGENCY => &[("Governance", "cancel")],
			_ => &[],
		}
	}

	fn admits(_track: TrackId, call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Reputation(pallet_reputation::Call::set_parameter_set {
				name, ..
			}) => !REFUSED_NAMES.with(|r| r.borrow().contains(name)),
			_ => true,
		}
	}
}

impl pallet_governance::Config for Test {
	type RuntimeCall = RuntimeCall;
	type RuntimeOrigin = RuntimeOrigin;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Reputation = Reputation;
	type Preimages = Preimage;
	type Scheduler = Scheduler;
	type TrackCalls = AllowListByName<MockAllowLists>;
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, EnsureTrack<EmergencyTrack>>;
	type UpgradeOrigin = EitherOf<EnsureRoot<AccountId>, EnsureTrack<UpgradeTrack>>;
	type MaxCallLen = ConstU32<MAX_CALL_LEN>;
	type MaxCallWeight = MaxCallWeight;
	type MaxActivePerProposer = ConstU32<MAX_PER_PROPOSER>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Mints REP and builds allowed calls for benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, RuntimeCall> for MockBenchmarkHelper {
	fn endow_rep(who: &AccountId, amount: Rep) {
		pallet_reputation::Pallet::<Test>::benchmark_mint(who, amount)
	}
	fn allowed_call(len: u32) -> (TrackId, RuntimeCall) {
		// A batch takes 2 bytes for its call index and up to 4 for its length.
		let one = parameter_batch(1).encoded_size() as u32 - 3;
		(PARAMETERS, parameter_batch((len.saturating_sub(6) / one).max(1)))
	}
}

/// A call the `parameters` track allows: `n` parameter sets stored in one batch.
pub fn parameter_batch(n: u32) -> RuntimeCall {
	let calls = (0..n)
		.map(|i| {
			RuntimeCall::Reputation(pallet_reputation::Call::set_parameter_set {
				name: set_name(&i.to_le_bytes()),
				params: default_params(),
			})
		})
		.collect();
	RuntimeCall::Utility(pallet_utility::Call::batch_all { calls })
}

/// A track with the mock's settings running its pools with `param_set`.
pub fn track(name: &[u8], param_set: &[u8]) -> TrackInfo<u64, u64> {
	TrackInfo {
		name: name.to_vec().try_into().unwrap(),
		param_set: set_name(param_set),
		panel_size: 0,
		pool_fee: POOL_FEE,
		deposit: DEPOSIT,
		enactment_delay: DELAY,
		max_active: MAX_ACTIVE,
	}
}

/// Externalities with accounts `1..=ENDOWED` endowed, `members` holding genesis REP, and the
/// three tracks: `parameters` and `upgrade` on the `gov` set (the default parameters),
/// `emergency` on the `strict` set (quorum 30%, win ratio 66%, a window of
/// `EMERGENCY_WINDOW`) with an enactment delay of `EMERGENCY_DELAY`: an emergency can cancel what
/// the other tracks schedule.
pub fn new_test_ext_with(members: Vec<(AccountId, Rep)>) -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=ENDOWED).map(|a| (a, ENDOWMENT)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let strict = PoolParams {
		quorum: Perbill::from_percent(30),
		win_ratio: Perbill::from_percent(66),
		duration: EMERGENCY_WINDOW,
		..default_params()
	};
	pallet_reputation::GenesisConfig::<Test> {
		members,
		parameter_sets: vec![(set_name(b"gov"), default_params()), (set_name(b"strict"), strict)],
		no_bootstrap_pool: false,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_governance::GenesisConfig::<Test> {
		tracks: vec![
			(PARAMETERS, track(b"parameters", b"gov")),
			(UPGRADE, track(b"upgrade", b"gov")),
			(
				EMERGENCY,
				TrackInfo { enactment_delay: EMERGENCY_DELAY, ..track(b"emergency", b"strict") },
			),
		],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	REFUSED_NAMES.with(|r| r.borrow_mut().clear());
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Externalities for the benchmarks: the tracks, no REP holders yet.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	new_test_ext_with(vec![])
}
