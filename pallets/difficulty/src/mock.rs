//! Test runtime: System, Timestamp and Difficulty, with Kulupu's parameters by default.

use crate as pallet_difficulty;

use frame_support::{derive_impl, parameter_types};
use frame_system::EnsureRoot;
use sp_core::U256;
use sp_io::TestExternalities;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test
	{
		System: frame_system,
		Timestamp: pallet_timestamp,
		Difficulty: pallet_difficulty,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {
	type OnTimestampSet = Difficulty;
}

parameter_types! {
	// Thread-local, so each test can change them (before any block is recorded).
	pub static WindowSize: u32 = 60;
	pub static DampFactor: u32 = 3;
	pub static ClampFactor: u32 = 2;
	pub static MinDifficulty: u128 = DEFAULT_MIN_DIFFICULTY;
}

impl pallet_difficulty::Config for Test {
	type WindowSize = WindowSize;
	type DampFactor = DampFactor;
	type ClampFactor = ClampFactor;
	type MinDifficulty = MinDifficulty;
	type AdminOrigin = EnsureRoot<u64>;
	type WeightInfo = ();
}

/// Default floor of the mock.
pub const DEFAULT_MIN_DIFFICULTY: u128 = 1_000;
/// Genesis difficulty of [`new_test_ext`].
pub const INITIAL_DIFFICULTY: u128 = 1_000_000;
/// Genesis target block time of [`new_test_ext`], in ms.
pub const TARGET: u64 = 60_000;

/// Builds genesis storage with `initial_difficulty` and `target_block_time`.
pub fn new_test_ext_with(initial_difficulty: u128, target_block_time: u64) -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_difficulty::GenesisConfig::<Test> {
		initial_difficulty,
		target_block_time,
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = TestExternalities::new(storage);
	// Events are only recorded from block 1 on.
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Genesis with [`INITIAL_DIFFICULTY`] and [`TARGET`].
pub fn new_test_ext() -> TestExternalities {
	new_test_ext_with(INITIAL_DIFFICULTY, TARGET)
}

/// Runs one block with timestamp `now` (ms): sets the block number and calls
/// `pallet_timestamp::Pallet::set_timestamp`, which calls `OnTimestampSet`. Returns the
/// difficulty required for the next block, after checking the pallet's invariants.
pub fn run_block(now: u64) -> U256 {
	let next = System::block_number() + 1;
	System::set_block_number(next);
	pallet_timestamp::Pallet::<Test>::set_timestamp(now);
	Difficulty::do_try_state().expect("invariants hold");
	pallet_difficulty::Pallet::<Test>::difficulty()
}
