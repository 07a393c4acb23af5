//! Test runtime: System, Balances, TransactionPayment and WorkPayment; helpers that mine seals
//! and run transactions through the [`WorkOrFee`] extension as the executive does.

use crate as pallet_work_payment;
use crate::{pricing, CallId, TermsOf, WorkOrFee, WorkSeal};

use frame_support::{
	dispatch::{DispatchInfo, GetDispatchInfo},
	parameter_types,
	traits::{ConstU32, ConstU64},
	weights::IdentityFee,
};
use frame_system::EnsureRoot;
use gpow_primitives_pow::{nonce_effort, U256};
use pallet_transaction_payment::FungibleAdapter;
use sp_runtime::{
	traits::{DispatchTransaction, TransactionExtension},
	transaction_validity::{TransactionSource, TransactionValidityError, ValidTransaction},
	BuildStorage, FixedU128, Perbill,
};

gpow_mock_runtime::mock_runtime!(
	Test, existential_deposit: 1;
	2 => TransactionPayment: pallet_transaction_payment,
	3 => WorkPayment: pallet_work_payment,
);

#[derive_impl(pallet_transaction_payment::config_preludes::TestDefaultConfig)]
impl pallet_transaction_payment::Config for Test {
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type WeightToFee = IdentityFee<u64>;
	type LengthToFee = IdentityFee<u64>;
}

/// The anchor window of the mock.
pub const WINDOW: u64 = 8;

parameter_types! {
	pub const AnchorWindow: u64 = WINDOW;
	pub const MaxBlockShare: Perbill = Perbill::from_percent(50);
	pub const TargetFullness: Perbill = Perbill::from_percent(50);
	pub const Adjustment: Perbill = Perbill::from_percent(100);
	pub MaxMultiplier: FixedU128 = FixedU128::from_u32(1000);
}

impl pallet_work_payment::Config for Test {
	type RuntimeCall = RuntimeCall;
	type AdminOrigin = EnsureRoot<u64>;
	type AnchorWindow = AnchorWindow;
	type MaxWorkTxLength = ConstU32<1024>;
	type MaxWorkPerBlock = ConstU32<4>;
	type MaxAllowedCalls = ConstU32<8>;
	type MaxBlockShare = MaxBlockShare;
	type MinBaseEffort = ConstU64<2>;
	type MaxMultiplier = MaxMultiplier;
	type TargetFullness = TargetFullness;
	type Adjustment = Adjustment;
	type MaxPriorityRatio = ConstU32<4>;
	type WeightInfo = ();
}

/// `System.remark` (pallet 0, call 0): allowed by the test terms.
pub const REMARK: CallId = [0, 0];
/// `System.remark { bytes }`.
pub fn remark(bytes: &[u8]) -> RuntimeCall {
	frame_system::Call::remark { remark: bytes.to_vec() }.into()
}

/// `System.remark_with_event { bytes }`: not on the test allow-list.
pub fn remark_with_event(bytes: &[u8]) -> RuntimeCall {
	frame_system::Call::remark_with_event { remark: bytes.to_vec() }.into()
}

/// The test terms: small efforts, a 50 % share, `System.remark` allowed.
pub fn test_terms() -> TermsOf<Test> {
	TermsOf::<Test> {
		base_effort: 64,
		effort_per_byte: 1,
		effort_per_micros: 0,
		block_share: Perbill::from_percent(50),
		allowed_calls: vec![REMARK].try_into().unwrap(),
	}
}

/// A funded account and an account that holds nothing.
pub const RICH: u64 = 1;
/// Holds nothing and never did.
pub const EMPTY: u64 = 7;

/// Genesis: `RICH` funded, the test terms, block 2 (so block 1 can anchor).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(RICH, 1_000_000_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_work_payment::GenesisConfig::<Test> { terms: test_terms() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		run_to_block(2);
	});
	ext
}

/// Ends the current block and starts the next ones up to `n`, as the executive does.
pub fn run_to_block(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let now = System::block_number();
		if now > 0 {
			WorkPayment::on_finalize(now);
		}
		let next = now + 1;
		System::reset_events();
		System::initialize(&next, &sp_core::H256::repeat_byte(next as u8), &Default::default());
		// `initialize` stores the parent's hash under `next - 1`; give each block a distinct one.
		frame_system::BlockHash::<Test>::insert(now, sp_core::H256::repeat_byte(now as u8 + 1));
		WorkPayment::on_initialize(next);
	}
}

/// The pre-image of a work-paid `call` from `who` with transaction nonce `tx_nonce`.
pub fn pre_image_of(who: u64, tx_nonce: u32, anchor: u64, call: &RuntimeCall) -> [u8; 32] {
	use codec::Encode;
	pricing::pre_image(
		&frame_system::BlockHash::<Test>::get(0),
		anchor,
		&frame_system::BlockHash::<Test>::get(anchor),
		&who,
		tx_nonce,
		&call.encode(),
	)
}

/// The first nonce from `start` whose effort over `pre_image` is at least `effort`.
pub fn mine_from(pre_image: &[u8; 32], effort: u128, start: u64) -> u64 {
	(start..).find(|n| nonce_effort(pre_image, *n) >= U256::from(effort)).unwrap()
}

/// The first nonce whose effort is at least `effort` but below `below`.
pub fn mine_between(pre_image: &[u8; 32], effort: u128, below: u128) -> u64 {
	(0..)
		.find(|n| {
			let e = nonce_effort(pre_image, *n);
			e >= U256::from(effort) && e < U256::from(below)
		})
		.unwrap()
}

/// The effort `call` requires now.
pub fn required(call: &RuntimeCall) -> u128 {
	WorkPayment::required_effort_of(
		call,
		codec::Encode::encoded_size(call),
		&crate::Terms::<Test>::get(),
	)
}

/// `with_work(seal, call)` sealed for `who` at transaction nonce `tx_nonce`, anchored at the
/// parent block, with a nonce meeting the required effort.
pub fn sealed(who: u64, tx_nonce: u32, call: RuntimeCall) -> RuntimeCall {
	let anchor = System::block_number() - 1;
	let nonce = mine_from(&pre_image_of(who, tx_nonce, anchor, &call), required(&call), 0);
	with_work(anchor, nonce, call)
}

/// `with_work` with the given seal.
pub fn with_work(anchor: u64, nonce: u64, call: RuntimeCall) -> RuntimeCall {
	crate::Call::<Test>::with_work { seal: WorkSeal { anchor, nonce }, call: Box::new(call) }.into()
}

/// Validates `call` signed by `who` with nonce `tx_nonce` and tip `tip`, as the pool does.
pub fn validate(
	who: u64,
	tx_nonce: u32,
	tip: u64,
	call: &RuntimeCall,
) -> Result<ValidTransaction, TransactionValidityError> {
	let info = call.get_dispatch_info();
	let len = codec::Encode::encoded_size(call) + 100;
	WorkOrFee::<Test>::new(tx_nonce, tip)
		.validate_only(Some(who).into(), call, &info, len, TransactionSource::External, 0)
		.map(|(validity, _, _)| validity)
}

/// Validates, prepares, dispatches and post-dispatches `call` as the block builder does.
pub fn apply(
	who: u64,
	tx_nonce: u32,
	tip: u64,
	call: RuntimeCall,
) -> Result<
	sp_runtime::DispatchResultWithInfo<sp_runtime::traits::PostDispatchInfoOf<RuntimeCall>>,
	TransactionValidityError,
> {
	let info: DispatchInfo = call.get_dispatch_info();
	let len = codec::Encode::encoded_size(&call) + 100;
	WorkOrFee::<Test>::new(tx_nonce, tip).dispatch_transaction(
		Some(who).into(),
		call,
		&info,
		len,
		0,
	)
}

/// The weight the extension claims for `call`.
pub fn extension_weight(call: &RuntimeCall) -> frame_support::weights::Weight {
	WorkOrFee::<Test>::new(0, 0).weight(call)
}
