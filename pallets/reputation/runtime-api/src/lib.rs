//! Runtime API of the reputation layer (`pallet-reputation`), served over JSON-RPC by
//! `pallet-reputation-rpc`.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
pub use gpow_primitives_reputation::{
	CitationInfo, CitationTarget, PoolId, PoolInfo, PoolParams, PoolStatus, PostId, PostInfo, Rep,
	RepInfo, Side, Verdict,
};

sp_api::decl_runtime_apis! {
	/// Reads of the reputation layer.
	pub trait ReputationApi<AccountId, Hash, BlockNumber, Balance> where
		AccountId: Codec,
		Hash: Codec,
		BlockNumber: Codec,
		Balance: Codec,
	{
		/// The REP of `who` (free and staked), its claimable fees and the total supply.
		fn rep(who: AccountId) -> RepInfo<Balance>;
		/// Post `id` with its value and citations, if it exists.
		fn post(id: PostId) -> Option<PostInfo<AccountId, Hash, BlockNumber>>;
		/// Pool `id` with its state and tallies, if it exists.
		fn pool(id: PoolId) -> Option<PoolInfo<AccountId, BlockNumber, Balance>>;
	}
}
