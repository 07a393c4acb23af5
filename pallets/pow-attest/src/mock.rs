//! A test runtime with System, Timestamp, Balances and PowAttest; deposits are real holds on
//! Balances, the effort is low so tests solve real proofs of work in microseconds. Extrinsics
//! ([`Xt`]) carry `frame_system::AuthorizeCall`, so attestations go through the transaction
//! extension pipeline as in the runtime.

use crate as pallet_pow_attest;
use frame_support::{
	parameter_types,
	traits::{fungible::HoldConsideration, ConstU32, ConstU64, LinearStoragePrice},
};
use sp_runtime::{generic::UncheckedExtrinsic, testing::UintAuthorityId, BuildStorage};

/// Account ids are `u64` in the mock.
pub type AccountId = u64;
/// Gate deposit: base plus per byte of the record.
pub const BASE: u64 = 100;
/// Per byte.
pub const PER_BYTE: u64 = 1;
/// Round length, ms (the gate's default keep-alive period).
pub const PERIOD: u64 = 30_000;
/// Rounds back still accepted.
pub const WINDOW: u64 = 2;
/// Rounds ahead accepted.
pub const FUTURE: u64 = 1;
/// Expected hashes per challenge: low, so tests solve real work quickly.
pub const EFFORT: u64 = 32;
/// Most challenges per attestation.
pub const MAX_CHALLENGES: u32 = 4;
/// Most attestations per round.
pub const MAX_PER_ROUND: u32 = 6;
/// Most rounds holding attestations (the window spans 4).
pub const MAX_TRACKED: u32 = 6;
/// Most keys pruned per block.
pub const PRUNE_PER_BLOCK: u32 = 4;
/// Base pool priority.
pub const PRIORITY: u64 = 1_000;
/// Minimum block interval (pallet_timestamp), ms.
pub const MIN_PERIOD: u64 = 1_000;

/// The transaction extensions of the tests: `frame_system::AuthorizeCall`, the first extension of
/// the runtime's (the others do nothing for a transaction without signer).
pub type Extension = (frame_system::AuthorizeCall<Test>,);
/// Extrinsics as the runtime takes them (general, signed or bare), with [`Extension`].
pub type Xt = UncheckedExtrinsic<AccountId, RuntimeCall, UintAuthorityId, Extension>;

gpow_mock_runtime::mock_runtime!(
	Test, existential_deposit: 1;
	2 => Timestamp: pallet_timestamp,
	3 => PowAttest: pallet_pow_attest,
);

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {
	type MinimumPeriod = ConstU64<MIN_PERIOD>;
}

parameter_types! {
	pub const GateHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::PowAttest(pallet_pow_attest::HoldReason::GateRegistration);
	pub const DepositBase: u64 = BASE;
	pub const DepositPerByte: u64 = PER_BYTE;
}

impl pallet_pow_attest::Config for Test {
	type GateConsideration = HoldConsideration<
		AccountId,
		Balances,
		GateHoldReason,
		LinearStoragePrice<DepositBase, DepositPerByte, u64>,
	>;
	type RoundPeriod = ConstU64<PERIOD>;
	type RoundWindow = ConstU64<WINDOW>;
	type MaxFutureRounds = ConstU64<FUTURE>;
	type EffortPerChallenge = ConstU64<EFFORT>;
	type MaxChallenges = ConstU32<MAX_CHALLENGES>;
	type MaxAttestationsPerRound = ConstU32<MAX_PER_ROUND>;
	type MaxTrackedRounds = ConstU32<MAX_TRACKED>;
	type MaxPrunePerBlock = ConstU32<PRUNE_PER_BLOCK>;
	type UnsignedPriority = ConstU64<PRIORITY>;
	type WeightInfo = ();
}

/// Accounts 1 to 20 hold 10,000; account 99 holds too little for a gate deposit.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances: Vec<(AccountId, u64)> = (1..=20).map(|a| (a, 10_000)).collect();
	balances.push((99, 50));
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
