//! A test runtime with System, Balances and Reputation; post deposits are real holds on Balances.

use crate as pallet_reputation;
use core::cell::RefCell;
use frame_support::{
	parameter_types,
	traits::{fungible::HoldConsideration, ConstU32, ConstU8, LinearStoragePrice},
	weights::Weight,
	PalletId,
};
use frame_system::EnsureRoot;
use gpow_primitives_reputation::{PoolOutcome, PoolOutcomeHandler, PoolParams, Rep};
use sp_runtime::{BuildStorage, FixedU128, Perbill};

/// Account ids are `u64` in the mock.
pub type AccountId = u64;
/// Existential deposit of the mock currency.
pub const ED: u64 = 5;
/// Post deposit: base.
pub const DEPOSIT_BASE: u64 = 100;
/// Post deposit: per byte.
pub const DEPOSIT_PER_BYTE: u64 = 1;
/// Every account in `1..=ENDOWED` starts with this much currency.
pub const ENDOWMENT: u64 = 1_000_000_000;
/// Accounts `1..=ENDOWED` are endowed.
pub const ENDOWED: u64 = 40;
/// The default voting window.
pub const WINDOW: u64 = 10;
/// The default minimum fee.
pub const MIN_FEE: u64 = 10;

gpow_mock_runtime::mock_runtime!(Test, existential_deposit: ED; 2 => Reputation: pallet_reputation);

thread_local! {
	/// Outcomes reported to the outcome handler.
	pub static OUTCOMES: RefCell<Vec<PoolOutcome<AccountId>>> = const { RefCell::new(Vec::new()) };
}

/// Records every outcome in [`OUTCOMES`].
pub struct RecordOutcomes;
impl PoolOutcomeHandler<AccountId> for RecordOutcomes {
	fn on_pool_settled(outcome: &PoolOutcome<AccountId>) {
		OUTCOMES.with(|o| o.borrow_mut().push(outcome.clone()));
	}
	fn weight() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
}

/// The outcomes reported so far.
pub fn outcomes() -> Vec<PoolOutcome<AccountId>> {
	OUTCOMES.with(|o| o.borrow().clone())
}

/// The mock's default pool parameters (DGF's defaults, quorum 10%, binding 100%).
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
	pub const DepositBase: u64 = DEPOSIT_BASE;
	pub const DepositPerByte: u64 = DEPOSIT_PER_BYTE;
	pub const ReputationPalletId: PalletId = PalletId(*b"gpow/rep");
	pub DefaultParams: PoolParams<u64, u64> = default_params();
}

impl pallet_reputation::Config for Test {
	type Currency = Balances;
	type PostConsideration = HoldConsideration<
		AccountId,
		Balances,
		PostHoldReason,
		LinearStoragePrice<DepositBase, DepositPerByte, u64>,
	>;
	type ParamsOrigin = EnsureRoot<AccountId>;
	type OutcomeHandler = RecordOutcomes;
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
	OUTCOMES.with(|o| o.borrow_mut().clear());
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Externalities with no genesis REP.
pub fn new_test_ext() -> sp_io::TestExternalities {
	new_test_ext_with(vec![])
}
