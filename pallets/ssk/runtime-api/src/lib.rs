//! Runtime API of the SSK registry (`pallet-ssk`), served over JSON-RPC by `pallet-ssk-rpc`.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
pub use gpow_primitives_ssk::{PostedEnvelope, PublishedKey};

sp_api::decl_runtime_apis! {
	/// Reads of the SSK registry.
	pub trait SskApi<AccountId, BlockNumber> where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// The latest envelope from `from` to `to`, if any.
		fn latest(from: AccountId, to: AccountId) -> Option<PostedEnvelope<BlockNumber>>;
		/// The current encryption key of `who`, if published.
		fn encryption_key(who: AccountId) -> Option<PublishedKey>;
	}
}
