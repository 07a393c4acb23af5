//! A test runtime with System, Balances and Rewards.

use crate as pallet_rewards;
use frame_support::parameter_types;
use sp_runtime::BuildStorage;

/// Account ids are `u64` in the mock.
pub type AccountId = u64;
/// The block reward of the mock.
pub const REWARD: u64 = 1_000;
/// The existential deposit of the mock.
pub const ED: u64 = 10;

gpow_mock_runtime::mock_runtime!(Test, existential_deposit: ED; 2 => Rewards: pallet_rewards);

parameter_types! {
	pub const BlockReward: u64 = REWARD;
}

impl pallet_rewards::Config for Test {
	type Currency = Balances;
	type BlockReward = BlockReward;
	type WeightInfo = ();
}

/// Externalities with account 1 endowed with 1,000,000.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> { balances: vec![(1, 1_000_000)], ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
