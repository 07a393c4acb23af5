//! Runtime API of governance by reputation (`pallet-governance`), served over JSON-RPC by
//! `pallet-governance-rpc`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use gpow_primitives_governance::{
	GovernedParameter, ProposalId, ProposalInfo, ProposalStatus, TrackDetails, TrackId, TrackInfo,
};

sp_api::decl_runtime_apis! {
	/// Reads of governance.
	pub trait GovernanceApi<AccountId, Balance, BlockNumber, Hash> where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
		Hash: Codec,
	{
		/// Up to `max` proposals from id `from` on, in id order.
		fn proposals(from: ProposalId, max: u32) -> Vec<ProposalInfo<AccountId, Balance, BlockNumber, Hash>>;
		/// Proposal `id`, if it exists.
		fn proposal(id: ProposalId) -> Option<ProposalInfo<AccountId, Balance, BlockNumber, Hash>>;
		/// Every track: its settings, how many proposals are active on it and its allow-list.
		fn tracks() -> Vec<TrackDetails<Balance, BlockNumber>>;
		/// Every runtime parameter governance tunes, with the value in effect and its range.
		fn parameters() -> Vec<GovernedParameter>;
	}
}
