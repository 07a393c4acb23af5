//! A test runtime with System, Balances and Ssk; deposits are real holds on Balances.

use crate as pallet_ssk;
use frame_support::{
	parameter_types,
	traits::{fungible::HoldConsideration, ConstU32, LinearStoragePrice},
};
use sp_runtime::BuildStorage;

/// Account ids are `u64` in the mock.
pub type AccountId = u64;
/// Deposit of an encryption key: base plus per byte of its record.
pub const BASE: u64 = 100;
/// Per byte.
pub const PER_BYTE: u64 = 1;
/// Largest ciphertext.
pub const MAX_CIPHERTEXT: u32 = 256;

gpow_mock_runtime::mock_runtime!(Test, existential_deposit: 1; 2 => Ssk: pallet_ssk);

parameter_types! {
	pub const KeyHoldReason: RuntimeHoldReason = RuntimeHoldReason::Ssk(pallet_ssk::HoldReason::EncryptionKey);
	pub const EnvelopeHoldReason: RuntimeHoldReason = RuntimeHoldReason::Ssk(pallet_ssk::HoldReason::Envelope);
	pub const DepositBase: u64 = BASE;
	pub const DepositPerByte: u64 = PER_BYTE;
}

impl pallet_ssk::Config for Test {
	type KeyConsideration = HoldConsideration<
		AccountId,
		Balances,
		KeyHoldReason,
		LinearStoragePrice<DepositBase, DepositPerByte, u64>,
	>;
	type EnvelopeConsideration = HoldConsideration<
		AccountId,
		Balances,
		EnvelopeHoldReason,
		LinearStoragePrice<DepositBase, DepositPerByte, u64>,
	>;
	type MaxCiphertextLen = ConstU32<MAX_CIPHERTEXT>;
	type WeightInfo = ();
}

/// Accounts 1 to 3 hold 10,000; account 9 holds 101 (enough for one key deposit only).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(1, 10_000), (2, 10_000), (3, 10_000), (9, 101 + 36)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
