//! # GPoW governance primitives
//!
//! The types of governance by reputation (`pallet-governance`) that the pallet, its runtime API
//! and JSON-RPC, and off-chain clients share.
//!
//! ## Terms
//!
//! - **Track** ([`TrackId`], [`TrackInfo`]): a class of proposals with its own allow-list of
//!   calls, the reputation parameter set its validation pools run with, an enactment delay, a cap
//!   on active proposals and a deposit. Passed proposals are dispatched with the track's own
//!   origin.
//! - **Proposal** ([`ProposalId`]): a forum post (the reasons) and a call, voted on by a
//!   validation pool on that post; see [`ProposalStatus`] for its life cycle.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
pub use gpow_primitives_reputation::{ParamSetName, PoolId, PostId};
use scale_info::TypeInfo;
use sp_runtime::{traits::ConstU32, BoundedVec};

/// The id of a track.
pub type TrackId = u16;

/// The id of a proposal; ids grow by one from 0.
pub type ProposalId = u32;

/// The longest name of a track, in bytes.
pub const MAX_TRACK_NAME_LEN: u32 = 32;

/// The name of a track.
pub type TrackName = BoundedVec<u8, ConstU32<MAX_TRACK_NAME_LEN>>;

/// The settings of a track.
#[derive(
	Clone,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct TrackInfo<Balance, BlockNumber> {
	/// Its name (`parameters`, `upgrade`, `emergency`).
	pub name: TrackName,
	/// The reputation parameter set its validation pools run with (quorum, win ratio, binding,
	/// voting window, minimum fee).
	pub param_set: ParamSetName,
	/// 0: every REP holder may vote; `m > 0`: a panel of `m` members drawn by REP votes.
	pub panel_size: u32,
	/// The fee the proposer pays to open the pool (shared among REP holders); at least the
	/// parameter set's minimum fee.
	pub pool_fee: Balance,
	/// The deposit held from the proposer while the proposal is voted on: returned if the pool
	/// passes or reaches no quorum, forfeited (burned) if it fails.
	pub deposit: Balance,
	/// Blocks from a passed pool's settlement to the enactment of its call.
	pub enactment_delay: BlockNumber,
	/// The most proposals of the track that may be voting or scheduled at once.
	pub max_active: u32,
}

/// Where a proposal is in its life.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum ProposalStatus<BlockNumber> {
	/// Its validation pool is open (or waits to be settled).
	Voting,
	/// The pool passed; the call is scheduled for enactment at block `at`.
	Scheduled {
		/// The enactment block.
		at: BlockNumber,
	},
	/// The call was dispatched at block `at`; `succeeded` tells whether it returned `Ok`.
	Enacted {
		/// The enactment block.
		at: BlockNumber,
		/// Whether the dispatch succeeded (its error is in the `Enacted` event).
		succeeded: bool,
	},
	/// The pool failed: nothing is enacted and the deposit was forfeited.
	Rejected,
	/// The pool reached no quorum: nothing is enacted and the deposit was returned.
	NoQuorum,
	/// The pool was the bootstrap pool (pool 0), which always passes: it never enacts anything;
	/// the deposit was returned.
	Bootstrap,
	/// The pool passed but the scheduler refused the enactment (its agenda for the block was
	/// full); nothing is enacted and the deposit was returned.
	Unschedulable,
	/// The scheduled enactment was cancelled (by the `emergency` track).
	Cancelled,
}

impl<BlockNumber> ProposalStatus<BlockNumber> {
	/// Whether the proposal still counts toward its track's cap (voting or scheduled).
	pub fn is_active(&self) -> bool {
		matches!(self, Self::Voting | Self::Scheduled { .. })
	}

	/// Whether the proposal waits for its enactment.
	pub fn is_scheduled(&self) -> bool {
		matches!(self, Self::Scheduled { .. })
	}
}

/// A proposal, as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct ProposalInfo<AccountId, Balance, BlockNumber, Hash> {
	/// Its id.
	pub id: ProposalId,
	/// Who proposed it (and holds or held its deposit).
	pub proposer: AccountId,
	/// Its track.
	pub track: TrackId,
	/// The forum post with its reasons.
	pub post: PostId,
	/// The validation pool voting on it.
	pub pool: PoolId,
	/// The hash of the encoded call.
	pub call_hash: Hash,
	/// The length of the encoded call, in bytes.
	pub call_len: u32,
	/// The deposit.
	pub deposit: Balance,
	/// The block it was proposed in.
	pub proposed_at: BlockNumber,
	/// Its status.
	pub status: ProposalStatus<BlockNumber>,
}

/// A track, as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct TrackDetails<Balance, BlockNumber> {
	/// Its id.
	pub id: TrackId,
	/// Its settings.
	pub info: TrackInfo<Balance, BlockNumber>,
	/// How many of its proposals are voting or scheduled.
	pub active: u32,
	/// The calls it may enact, as `(pallet, call)` names (`"*"` for every call of a pallet);
	/// `Utility` batches are allowed when every call in them is.
	pub allowed_calls: Vec<(Vec<u8>, Vec<u8>)>,
}

/// A runtime parameter governance tunes, as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct GovernedParameter {
	/// `pallet.Name`, such as `rewards.BlockReward`.
	pub name: Vec<u8>,
	/// The value in effect: the governed value (or its default) clamped to `[min, max]`.
	pub value: u128,
	/// The smallest value in effect, whatever a vote sets.
	pub min: u128,
	/// The largest value in effect, whatever a vote sets.
	pub max: u128,
}
