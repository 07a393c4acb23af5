//! # GPoW reputation primitives
//!
//! The types of the chain's reputation layer (`pallet-reputation`) that other pallets, the runtime
//! API and off-chain clients share, and the traits through which other pallets (the service
//! market, governance) post evidence to the forum and open validation pools on it.
//!
//! ## Terms
//!
//! - **REP** ([`Rep`]): reputation, a non-transferable balance. Only validation pools mint, move or
//!   burn it.
//! - **Post** ([`PostId`]): evidence of work on the forum: authors with weights summing to 100%, a
//!   content hash and weighted citations of older posts ([`CitationTarget`]).
//! - **Validation pool** ([`PoolId`]): a REP-weighted vote on one post, opened with a fee and run
//!   with the parameters of a named parameter set ([`PoolParams`]); it ends with a [`Verdict`].
//! - **Panel pool**: a validation pool in which only `m` members drawn at random, weighted by REP,
//!   may vote.
//! - **Bond** ([`AvailabilityBonds`]): REP an account sets aside as collateral (the service
//!   market's availability stake). Bonded REP cannot be staked, earns no fees and gives no panel
//!   seats; it can back a pool (a stake for the post, taken from the bond and returned to it at
//!   settlement) or be slashed (burned).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::weights::Weight;
use scale_info::TypeInfo;
use sp_runtime::{traits::ConstU32, BoundedVec, DispatchError, FixedU128, Perbill};

/// An amount of reputation.
pub type Rep = u128;

/// The id of a forum post; ids grow by one from 0.
pub type PostId = u64;

/// The id of a validation pool; ids grow by one from 0. Pool 0 is the bootstrap pool.
pub type PoolId = u64;

/// The longest name of a parameter set, in bytes.
pub const MAX_PARAM_SET_NAME_LEN: u32 = 32;

/// The name of a parameter set.
pub type ParamSetName = BoundedVec<u8, ConstU32<MAX_PARAM_SET_NAME_LEN>>;

/// The name of the parameter set every chain starts with.
pub const DEFAULT_PARAM_SET: &[u8] = b"default";

/// The name of the default parameter set as a [`ParamSetName`].
pub fn default_param_set() -> ParamSetName {
	// `DEFAULT_PARAM_SET` is shorter than `MAX_PARAM_SET_NAME_LEN`.
	BoundedVec::truncate_from(DEFAULT_PARAM_SET.to_vec())
}

/// Citation weights are given in parts per billion, signed: `-1_000_000_000` is -100%.
pub const CITATION_WEIGHT_ONE: i32 = 1_000_000_000;

/// What a citation points at.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum CitationTarget {
	/// An older post.
	Post(PostId),
	/// The Incinerator: REP that flows to it is burned. Only positive citations may target it.
	Incinerator,
}

/// The side of a stake in a validation pool.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Side {
	/// In favour of the post.
	For,
	/// Against the post.
	Against,
}

/// How a validation pool ended.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Verdict {
	/// Quorum was met (or it was the bootstrap pool) and the win ratio was reached: the post is
	/// ratified.
	Passed,
	/// Quorum was met but the win ratio was not reached: the post is rejected.
	Failed,
	/// Quorum was not met: no verdict on the post; every stake is returned in full.
	NoQuorum,
}

/// The parameters of a validation pool, stored by name in a parameter set.
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
pub struct PoolParams<BlockNumber, Balance> {
	/// The voting window, in blocks: stakes are accepted from the opening block until
	/// `opened_at + duration` (exclusive); settlement is possible from then on.
	pub duration: BlockNumber,
	/// Quorum: the members' stakes for and against, over the REP supply when the pool opened (or
	/// the panel's REP for a panel pool), must reach this ratio.
	pub quorum: Perbill,
	/// Win ratio: stakes for over all stakes (the minted halves included) must reach this ratio.
	pub win_ratio: Perbill,
	/// Binding: the share of each losing stake that is forfeited. 0% means nobody can lose REP,
	/// 100% means a losing stake is lost entirely.
	pub binding: Perbill,
	/// Whether forfeited stakes go to the winners (pro rata) or are burned.
	pub redistribute_losing_stakes: bool,
	/// REP minted per unit of fee (in the chain currency's smallest unit).
	pub minting_ratio: FixedU128,
	/// The share of the minted REP staked for the post (on its authors' behalf); the rest is
	/// staked against it, unowned.
	pub stake_for_author: Perbill,
	/// How many citation levels REP flows down from the ratified post (0: the post keeps all).
	pub citation_depth: u8,
	/// The smallest fee accepted.
	pub min_fee: Balance,
}

/// What a settled validation pool reports to its [`PoolOutcomeHandler`].
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct PoolOutcome<AccountId> {
	/// The pool.
	pub pool: PoolId,
	/// The post it judged.
	pub post: PostId,
	/// The verdict.
	pub verdict: Verdict,
	/// All REP staked for, the minted share included.
	pub total_for: Rep,
	/// All REP staked against, the minted share included.
	pub total_against: Rep,
	/// Whether this was the bootstrap pool (the first pool ever, which always passes).
	pub bootstrap: bool,
	/// For a backed pool: the backer and what its backing returned to its bond at settlement
	/// (the backing plus winnings if the post passed, minus the forfeit if it failed).
	pub backing_returned: Option<(AccountId, Rep)>,
}

/// Receives the outcome of every settled validation pool. `()` ignores them.
pub trait PoolOutcomeHandler<AccountId> {
	/// Called once, when `outcome.pool` is settled.
	fn on_pool_settled(outcome: &PoolOutcome<AccountId>);
	/// The largest weight [`Self::on_pool_settled`] may use; charged by the settlement.
	fn weight() -> Weight;
}

impl<AccountId> PoolOutcomeHandler<AccountId> for () {
	fn on_pool_settled(_: &PoolOutcome<AccountId>) {}
	fn weight() -> Weight {
		Weight::zero()
	}
}

/// Both handlers are told every outcome; each acts only on the pools it opened (the service
/// market on its evaluation pools, governance on its proposals' pools). The weight is their sum.
impl<AccountId, A: PoolOutcomeHandler<AccountId>, B: PoolOutcomeHandler<AccountId>>
	PoolOutcomeHandler<AccountId> for (A, B)
{
	fn on_pool_settled(outcome: &PoolOutcome<AccountId>) {
		A::on_pool_settled(outcome);
		B::on_pool_settled(outcome);
	}
	fn weight() -> Weight {
		A::weight().saturating_add(B::weight())
	}
}

/// Opens validation pools on forum posts; implemented by `pallet-reputation`.
pub trait ValidationPools<AccountId, Balance> {
	/// Opens a pool on `post` with the parameter set `params`, paid by `initiator` with `fee`.
	/// `panel_size` 0 opens a pool every REP holder may vote in; `m > 0` draws a panel of up to
	/// `m` members, weighted by REP, and only they may vote. The outcome is reported to the
	/// pallet's `PoolOutcomeHandler`.
	fn open_pool(
		initiator: &AccountId,
		post: PostId,
		params: &ParamSetName,
		panel_size: u32,
		fee: Balance,
	) -> Result<PoolId, DispatchError>;

	/// Opens a pool like [`Self::open_pool`], backed by `backing` REP of `backer`'s bond: the
	/// backing is staked for the post (it counts toward the win ratio but not the quorum, and it
	/// wins or forfeits like a member's stake) and what it returns goes back to the bond when the
	/// pool settles, reported in [`PoolOutcome::backing_returned`]. Besides the post's authors,
	/// the accounts in `exclude` (such as the consumer whose purchase is judged) are never
	/// drawn for the panel.
	#[allow(clippy::too_many_arguments)]
	fn open_backed_pool(
		initiator: &AccountId,
		post: PostId,
		params: &ParamSetName,
		panel_size: u32,
		fee: Balance,
		backer: &AccountId,
		backing: Rep,
		exclude: &[AccountId],
	) -> Result<PoolId, DispatchError>;

	/// The verdict of `pool`, once settled.
	fn verdict(pool: PoolId) -> Option<Verdict>;

	/// The smallest fee a pool run with the parameter set `params` accepts, or `None` if there
	/// is no such set.
	fn min_fee(params: &ParamSetName) -> Option<Balance>;

	/// The largest weight of [`Self::open_pool`] with a panel of `panel_size`.
	fn open_pool_weight(panel_size: u32) -> Weight;
}

/// Posts evidence to the forum; implemented by `pallet-reputation`.
pub trait Forum<AccountId, Hash> {
	/// Adds a post for `poster` (who pays its deposit): `authors` with weights summing to 100%,
	/// `citations` of older posts or the Incinerator with weights in parts per billion in
	/// `[-1e9, 1e9]` whose magnitudes sum to at most 1e9.
	fn add_post(
		poster: &AccountId,
		authors: Vec<(AccountId, Perbill)>,
		content_hash: Hash,
		citations: Vec<(CitationTarget, i32)>,
	) -> Result<PostId, DispatchError>;

	/// Whether `post` exists.
	fn post_exists(post: PostId) -> bool;

	/// The authors of `post` and their weights (empty if there is no such post).
	fn post_authors(post: PostId) -> Vec<(AccountId, Perbill)>;

	/// The largest weight of [`Self::add_post`].
	fn add_post_weight(authors: u32, citations: u32) -> Weight;
}

/// Availability bonds: REP set aside as collateral; implemented by `pallet-reputation`.
pub trait AvailabilityBonds<AccountId> {
	/// Moves `amount` of `who`'s free REP into its bond; fails if it has less free REP.
	fn bond(who: &AccountId, amount: Rep) -> Result<(), DispatchError>;
	/// Moves `amount` of `who`'s bond back to its free REP; fails if the bond is smaller.
	fn unbond(who: &AccountId, amount: Rep) -> Result<(), DispatchError>;
	/// Burns up to `amount` of `who`'s bond; returns what was burned.
	fn slash_bond(who: &AccountId, amount: Rep) -> Rep;
	/// The REP `who` has bonded.
	fn bonded_of(who: &AccountId) -> Rep;
}

/// Reads of the REP ledger.
pub trait ReputationLedger<AccountId> {
	/// The REP of `who`: free plus staked.
	fn rep_of(who: &AccountId) -> Rep;
	/// The free (unstaked) REP of `who`.
	fn free_rep_of(who: &AccountId) -> Rep;
	/// The total REP supply.
	fn total_rep() -> Rep;
}

/// An account's REP, as the runtime API reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct RepInfo<Balance> {
	/// REP the account may stake; it earns fees and panel seats.
	pub free: Rep,
	/// REP the account has staked in pools it has not claimed from yet.
	pub staked: Rep,
	/// REP the account has bonded (availability stakes).
	pub bonded: Rep,
	/// Fees (in the chain currency) the account may claim now.
	pub claimable_fees: Balance,
	/// The total REP supply.
	pub total_supply: Rep,
}

/// A citation, as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct CitationInfo {
	/// What is cited.
	pub target: CitationTarget,
	/// The signed weight in parts per billion.
	pub weight: i32,
	/// The REP that has flowed along this citation so far, net: to the target for a positive
	/// citation, leached from it for a negative one.
	pub flowed: Rep,
}

/// A post, as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct PostInfo<AccountId, Hash, BlockNumber> {
	/// Who added the post (and holds its deposit).
	pub poster: AccountId,
	/// The authors and their weights.
	pub authors: Vec<(AccountId, Perbill)>,
	/// The hash of the content, stored off chain.
	pub content_hash: Hash,
	/// The post's citations.
	pub citations: Vec<CitationInfo>,
	/// The REP the post's authors have gained through it, net.
	pub value: Rep,
	/// The block the post was added in.
	pub created_at: BlockNumber,
	/// How many posts cite it.
	pub cited_by: u32,
	/// How many validation pools were opened on it.
	pub pools: u32,
}

/// The state of a pool, as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum PoolStatus {
	/// Accepting stakes (or waiting for settlement once the window is over).
	Open,
	/// Settled; members claim their stakes and winnings.
	Settled {
		/// The verdict.
		verdict: Verdict,
		/// The REP shared pro rata among the winning members' stakes.
		member_winnings: Rep,
	},
}

/// A validation pool, as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct PoolInfo<AccountId, BlockNumber, Balance> {
	/// The post it judges.
	pub post: PostId,
	/// Who paid the fee.
	pub initiator: AccountId,
	/// The parameters it runs with (a copy of the named set when it opened).
	pub params: PoolParams<BlockNumber, Balance>,
	/// The fee paid.
	pub fee: Balance,
	/// REP minted and staked for the post.
	pub minted_for: Rep,
	/// REP minted and staked against the post (unowned).
	pub minted_against: Rep,
	/// REP staked for by members.
	pub stake_for: Rep,
	/// REP staked against by members.
	pub stake_against: Rep,
	/// The backer of a backed pool and the REP of its bond staked for the post (not counted
	/// toward the quorum).
	pub backing: Option<(AccountId, Rep)>,
	/// The quorum denominator: the REP supply when the pool opened, or the panel's REP.
	pub quorum_base: Rep,
	/// The opening block.
	pub opened_at: BlockNumber,
	/// The first block at which the pool may be settled.
	pub ends_at: BlockNumber,
	/// The panel, for a panel pool.
	pub panel: Option<Vec<AccountId>>,
	/// How many members have staked.
	pub voters: u32,
	/// How many stakes are not claimed yet.
	pub unclaimed_stakes: u32,
	/// REP the pool still holds.
	pub remaining: Rep,
	/// Whether this is the bootstrap pool.
	pub bootstrap: bool,
	/// Open or settled.
	pub status: PoolStatus,
}
