//! Runtime API of work payment (`pallet-work-payment`), used by the node's `work_*` JSON-RPC.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
pub use gpow_primitives_work::{WorkQuote, WorkRefusal};

sp_api::decl_runtime_apis! {
	/// Quotes for paying a call by proof of work.
	pub trait WorkPaymentApi<AccountId, Nonce, Call, BlockNumber, Hash> where
		AccountId: Codec,
		Nonce: Codec,
		Call: Codec,
		BlockNumber: Codec,
		Hash: Codec,
	{
		/// What `who` must prove to pay `call` by work as its transaction number `nonce`:
		/// anchor, pre-image and required effort at the current multiplier; or why the chain
		/// would refuse it (e.g. the call is not on the allow-list).
		fn quote(who: AccountId, nonce: Nonce, call: Call) -> Result<WorkQuote<BlockNumber, Hash>, WorkRefusal>;
	}
}
