//! What the pallet stores.

use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{traits::Bounded, weights::Weight};
use gpow_primitives_governance::{ProposalId, ProposalInfo, ProposalStatus, TrackId};
use gpow_primitives_reputation::{PoolId, PostId};
use scale_info::TypeInfo;
use sp_runtime::traits::Hash;

/// A proposal.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct ProposalRecord<AccountId, Balance, BlockNumber, BoundedCall> {
	/// Who proposed it; holds the deposit while it is voted on.
	pub proposer: AccountId,
	/// Its track.
	pub track: TrackId,
	/// The post with its reasons.
	pub post: PostId,
	/// The pool voting on it.
	pub pool: PoolId,
	/// The call, inline or as a preimage.
	pub call: BoundedCall,
	/// The call's weight when it was proposed.
	pub call_weight: Weight,
	/// The deposit held (or, once settled, that was held).
	pub deposit: Balance,
	/// The block it was proposed in.
	pub proposed_at: BlockNumber,
	/// Its status.
	pub status: ProposalStatus<BlockNumber>,
}

impl<AccountId: Clone, Balance: Clone, BlockNumber: Clone, Call, H: Hash>
	ProposalRecord<AccountId, Balance, BlockNumber, Bounded<Call, H>>
{
	/// The proposal as the runtime API reports it.
	pub fn info(&self, id: ProposalId) -> ProposalInfo<AccountId, Balance, BlockNumber, H::Output> {
		ProposalInfo {
			id,
			proposer: self.proposer.clone(),
			track: self.track,
			post: self.post,
			pool: self.pool,
			call_hash: self.call.hash(),
			call_len: self.call.len().unwrap_or_default(),
			deposit: self.deposit.clone(),
			proposed_at: self.proposed_at.clone(),
			status: self.status.clone(),
		}
	}
}
