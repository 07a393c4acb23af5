//! Blocks as a block builder makes them: `initialize_block` with the miner's pre-runtime
//! digest, the timestamp inherent, signed, general and bare extrinsics through `Executive`, and
//! `finalize_block` (`on_idle`, `on_finalize`).

use codec::Encode;
use frame_support::{
	dispatch::{GetDispatchInfo, PostDispatchInfo},
	storage::{with_transaction, TransactionOutcome},
};
use gpow_primitives_pow::POW_ENGINE_ID;
use gpow_runtime::{
	immortal_tx_extension, Executive, Header, RuntimeCall, RuntimeOrigin, SignedPayload, System,
	UncheckedExtrinsic,
};
use sp_core::H256;
use sp_runtime::{
	traits::{Dispatchable, Header as _},
	ApplyExtrinsicResult, Digest, DigestItem, DispatchError, MultiAddress,
};

use crate::actors::Actor;

/// The parent hash the fuzzer gives block `n`: derived from the seed, so panel draws and
/// negotiation (which hash the parent) replay exactly whatever the signatures' bytes.
pub fn parent_hash(seed: u64, n: u32) -> H256 {
	sp_io::hashing::blake2_256(&(b"gpow/fuzz", seed, n).encode()).into()
}

/// Starts block `n`, mined by `author` (`None`: no digest; `Some(garbage)`: an undecodable one).
pub fn begin_block(seed: u64, n: u32, author: Option<Vec<u8>>) {
	let logs = author.map(|a| DigestItem::PreRuntime(POW_ENGINE_ID, a)).into_iter().collect();
	let header = Header::new(
		n,
		Default::default(),
		Default::default(),
		parent_hash(seed, n.saturating_sub(1)),
		Digest { logs },
	);
	Executive::initialize_block(&header);
}

/// Applies the timestamp inherent; it must succeed.
pub fn set_timestamp(now: u64) {
	let xt =
		UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set { now }));
	let r = Executive::apply_extrinsic(xt);
	assert!(matches!(r, Ok(Ok(()))), "the timestamp inherent failed: {r:?}");
}

/// Ends the block.
pub fn end_block() {
	Executive::finalize_block();
}

/// How a transaction is signed.
pub enum Signing {
	/// Correctly, with the account's next nonce.
	Good,
	/// With a nonce from the future (the pool would hold it; a block refuses it).
	FutureNonce,
	/// With another actor's signature.
	WrongSignature,
}

/// `call` signed by `who` (or, for [`Signing::WrongSignature`], by `other`).
pub fn signed(
	who: &Actor,
	other: &Actor,
	call: RuntimeCall,
	tip: u128,
	signing: Signing,
) -> UncheckedExtrinsic {
	let mut nonce = System::account_nonce(&who.id);
	if let Signing::FutureNonce = signing {
		nonce += 1;
	}
	let ext = immortal_tx_extension(nonce, tip);
	let payload = SignedPayload::new(call.clone(), ext.clone()).expect("implicit data");
	let signer = if let Signing::WrongSignature = signing { other } else { who };
	let signature = payload.using_encoded(|p| signer.sign(p));
	UncheckedExtrinsic::new_signed(call, MultiAddress::Id(who.id.clone()), signature, ext)
}

/// A bare (unsigned) extrinsic.
pub fn bare(call: RuntimeCall) -> UncheckedExtrinsic {
	UncheckedExtrinsic::new_bare(call)
}

/// A general transaction (extrinsic v5, no signature) of a call that authorizes itself, as the
/// node submits attestations.
pub fn general(call: RuntimeCall) -> UncheckedExtrinsic {
	UncheckedExtrinsic::new_transaction(call, gpow_runtime::authorized_tx_extension())
}

/// Applies `xt` as the block builder would.
pub fn apply(xt: UncheckedExtrinsic) -> ApplyExtrinsicResult {
	Executive::apply_extrinsic(xt)
}

/// Dispatches `call` from `origin` in a storage transaction that is rolled back, and returns
/// the weight it declared before dispatch and the weight its post-dispatch info reports. The
/// fee charge caps the actual weight at the declared one, so an excess is visible only here.
pub fn declared_and_actual_weight(
	call: &RuntimeCall,
	origin: RuntimeOrigin,
) -> (frame_support::weights::Weight, frame_support::weights::Weight) {
	let declared = call.get_dispatch_info().call_weight;
	let post: PostDispatchInfo = with_transaction(|| {
		let post = match call.clone().dispatch(origin) {
			Ok(post) => post,
			Err(e) => e.post_info,
		};
		TransactionOutcome::Rollback(Ok::<_, DispatchError>(post))
	})
	.expect("a rolled back transaction");
	(declared, post.actual_weight.unwrap_or(declared))
}
