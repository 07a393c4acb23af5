//! A test runtime with System, Balances, Reputation and Services; deposits and escrow are real
//! holds on Balances, evaluation runs in real panel pools.

use crate as pallet_services;
use frame_support::{
	parameter_types,
	traits::{fungible::HoldConsideration, ConstU32, ConstU8, LinearStoragePrice},
	PalletId,
};
use frame_system::EnsureRoot;
use gpow_primitives_reputation::{PoolParams, Rep};
use sp_runtime::{BuildStorage, FixedU128, Perbill};

/// Account ids are `u64` in the mock.
pub type AccountId = u64;
/// Existential deposit of the mock currency.
pub const ED: u64 = 5;
/// Deposits: base.
pub const DEPOSIT_BASE: u64 = 100;
/// Deposits: per byte.
pub const DEPOSIT_PER_BYTE: u64 = 1;
/// Every account in `1..=ENDOWED` starts with this much currency.
pub const ENDOWMENT: u64 = 1_000_000_000;
/// Accounts `1..=ENDOWED` are endowed.
pub const ENDOWED: u64 = 500;
/// The pools' voting window.
pub const WINDOW: u64 = 10;
/// The pools' minimum fee.
pub const MIN_FEE: u64 = 10;

gpow_mock_runtime::mock_runtime!(
	Test, existential_deposit: ED;
	2 => Reputation: pallet_reputation,
	3 => Services: pallet_services,
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

parameter_types! {
	pub const PostHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Reputation(pallet_reputation::HoldReason::PostDeposit);
	pub const OfferHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Services(pallet_services::HoldReason::OfferDeposit);
	pub const InstanceHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Services(pallet_services::HoldReason::InstanceDeposit);
	pub const DepositBase: u64 = DEPOSIT_BASE;
	pub const DepositPerByte: u64 = DEPOSIT_PER_BYTE;
	pub const ReputationPalletId: PalletId = PalletId(*b"gpow/rep");
	pub DefaultParams: PoolParams<u64, u64> = default_params();
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
	type ParamsOrigin = EnsureRoot<AccountId>;
	type OutcomeHandler = Services;
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

impl pallet_services::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Reputation = Reputation;
	type TypeOrigin = EnsureRoot<AccountId>;
	type OfferConsideration = Deposit<OfferHoldReason>;
	type InstanceConsideration = Deposit<InstanceHoldReason>;
	type MaxNameLen = ConstU32<32>;
	type MaxEndpointLen = ConstU32<64>;
	type MaxPayloadLen = ConstU32<128>;
	type MaxPanelSize = ConstU32<8>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MintRep;
}

/// Mints REP through the reputation pallet for benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct MintRep;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MintRep {
	fn endow_rep(who: &AccountId, amount: Rep) {
		pallet_reputation::Pallet::<Test>::benchmark_mint(who, amount)
	}
}

/// Externalities with accounts `1..=ENDOWED` endowed and `members` holding genesis REP.
pub fn new_test_ext_with(members: Vec<(AccountId, Rep)>) -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=ENDOWED).map(|a| (a, ENDOWMENT)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_reputation::GenesisConfig::<Test> { members, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Externalities with no genesis REP.
pub fn new_test_ext() -> sp_io::TestExternalities {
	new_test_ext_with(vec![])
}
