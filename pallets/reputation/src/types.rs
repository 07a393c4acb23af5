//! What the pallet stores.

use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use gpow_primitives_reputation::{
	CitationTarget, PoolParams, PostId, Rep, Side, Verdict, CITATION_WEIGHT_ONE,
};
use scale_info::TypeInfo;
use sp_runtime::{traits::Get, Perbill};

/// An account's entry in the REP ledger.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct RepAccount {
	/// REP the account may stake. Only free REP earns fees and counts in panel draws.
	pub free: Rep,
	/// REP the account has staked in pools and not claimed back yet.
	pub staked: Rep,
	/// REP the account has bonded as collateral (availability stakes of the service market).
	/// Counted in `TotalStaked`; it earns no fees and gives no panel seats.
	pub bonded: Rep,
	/// The fee accumulator's value for this account's free REP when it last changed, rounded
	/// up: `ceil(free * RewardPerRep / FEE_SCALE)`.
	pub reward_debt: u128,
	/// Fees accrued but not claimed, in the currency's smallest unit.
	pub unclaimed_fees: u128,
	/// The account's leaf in the sortition tree, if it has one.
	pub slot: Option<u32>,
}

impl RepAccount {
	/// Whether the entry holds nothing and can be removed.
	pub fn is_empty(&self) -> bool {
		self.free == 0
			&& self.staked == 0
			&& self.bonded == 0
			&& self.unclaimed_fees == 0
			&& self.slot.is_none()
	}
}

/// A citation as stored in its post.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct CitationRecord {
	/// What is cited.
	pub target: CitationTarget,
	/// The magnitude of the weight.
	pub weight: Perbill,
	/// Whether the citation is negative.
	pub negative: bool,
	/// The REP that has flowed along the citation, net: given to the target (positive citation,
	/// or burned for the Incinerator) or leached from it (negative citation). Never negative.
	pub flowed: Rep,
}

impl CitationRecord {
	/// The signed weight in parts per billion.
	pub fn signed_weight(&self) -> i32 {
		// A Perbill is at most 1e9, which fits an i32.
		let magnitude = i32::try_from(self.weight.deconstruct()).unwrap_or(CITATION_WEIGHT_ONE);
		if self.negative {
			-magnitude
		} else {
			magnitude
		}
	}
}

/// A forum post.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxAuthors, MaxCitations))]
#[codec(mel_bound(
	AccountId: MaxEncodedLen,
	Hash: MaxEncodedLen,
	BlockNumber: MaxEncodedLen,
	Ticket: MaxEncodedLen
))]
pub struct PostRecord<AccountId, Hash, BlockNumber, Ticket, MaxAuthors, MaxCitations>
where
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
	Hash: Clone + core::fmt::Debug + PartialEq + Eq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq + Eq,
	Ticket: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxAuthors: Get<u32>,
	MaxCitations: Get<u32>,
{
	/// Who added the post; holds its deposit and may remove it while unused.
	pub poster: AccountId,
	/// The authors and their weights (summing to 100%).
	pub authors: BoundedVec<(AccountId, Perbill), MaxAuthors>,
	/// The hash of the content.
	pub content_hash: Hash,
	/// The citations of older posts or of the Incinerator.
	pub citations: BoundedVec<CitationRecord, MaxCitations>,
	/// The REP the authors have gained through this post, net. Never negative: a negative
	/// citation can leach at most this much.
	pub value: Rep,
	/// The block it was added in.
	pub created_at: BlockNumber,
	/// How many posts cite it.
	pub cited_by: u32,
	/// How many pools were opened on it.
	pub pools: u32,
	/// The deposit held for it.
	pub ticket: Ticket,
}

/// The state of a validation pool.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub enum PoolState {
	/// Accepting stakes until `ends_at`; then waiting for settlement.
	Open,
	/// Settled; stakers claim.
	Settled {
		/// The verdict.
		verdict: Verdict,
		/// REP shared among the winning members' stakes, pro rata.
		member_winnings: Rep,
	},
}

/// A validation pool.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxPanel))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen, Balance: MaxEncodedLen))]
pub struct PoolRecord<AccountId, BlockNumber, Balance, MaxPanel>
where
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq + Eq,
	Balance: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxPanel: Get<u32>,
{
	/// The post judged.
	pub post: PostId,
	/// Who paid the fee.
	pub initiator: AccountId,
	/// A copy of the parameter set when the pool opened.
	pub params: PoolParams<BlockNumber, Balance>,
	/// The fee paid.
	pub fee: Balance,
	/// REP minted and staked for the post.
	pub minted_for: Rep,
	/// REP minted and staked against the post; unowned.
	pub minted_against: Rep,
	/// Members' stakes for.
	pub stake_for: Rep,
	/// Members' stakes against.
	pub stake_against: Rep,
	/// The backer of a backed pool and the REP of its bond staked for the post. It counts
	/// toward the win ratio and shares wins and forfeits like a member's stake for, but not
	/// toward the quorum; it returns to the bond at settlement.
	pub backing: Option<(AccountId, Rep)>,
	/// The quorum denominator: the REP supply before the pool's mint, or the panel's free REP.
	pub quorum_base: Rep,
	/// The opening block.
	pub opened_at: BlockNumber,
	/// The first block at which the pool may be settled; stakes are accepted before it.
	pub ends_at: BlockNumber,
	/// The panel, for a panel pool: only these accounts may stake.
	pub panel: Option<BoundedVec<AccountId, MaxPanel>>,
	/// How many members have staked.
	pub voters: u32,
	/// How many members' stakes are not claimed yet.
	pub unclaimed_stakes: u32,
	/// REP the pool still holds (counted in `TotalStaked`).
	pub remaining: Rep,
	/// Whether this is the bootstrap pool, which always passes.
	pub bootstrap: bool,
	/// Open or settled.
	pub state: PoolState,
}

/// A member's stake in a pool.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct StakeRecord {
	/// The side.
	pub side: Side,
	/// The REP staked.
	pub amount: Rep,
}
