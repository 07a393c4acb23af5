//! # Reputation pallet
//!
//! The reputation layer of GPoW: a body of experts posts evidence of work to a **forum**; a
//! **validation pool** ratifies (or rejects) a post by a vote weighted by reputation (**REP**);
//! REP is minted and distributed by the pool, flows through the post's **citations**, and the
//! pool's fee is paid to all REP holders. A **panel pool** restricts the vote to `m` members
//! drawn at random, weighted by REP (the seed's function `P`). The design follows the DAO
//! Governance Framework (DGF); every deviation is named below.
//!
//! ## Overview
//!
//! **REP ledger.** Each account has *free* REP (which it may stake, which earns fees and which
//! counts in panel draws), *staked* REP (in pools it has not claimed back from) and *bonded* REP
//! (collateral other pallets set aside through [`AvailabilityBonds`], such as the service
//! market's availability stakes; it earns no fees, gives no panel seats, and can back a pool or
//! be slashed). REP cannot be transferred; only the pool mechanics below mint, move or burn it,
//! and a slashed bond burns. The pallet tracks the total supply:
//! `TotalIssuance = TotalFree + TotalStaked`, where `TotalStaked` is all REP held by pools
//! (members' stakes, backings and the minted halves) plus all bonds. Founding members get REP
//! at genesis (`members`).
//!
//! **Forum.** [`Pallet::add_post`] stores a post: up to `MaxAuthors` authors whose weights sum to
//! exactly 100%, a content hash, and up to `MaxCitations` citations of *older* posts (or of the
//! **Incinerator**) with signed weights in `[-100%, 100%]` whose magnitudes sum to at most 100%.
//! A deposit (a [`Consideration`] ticket) is held for the post; the poster may remove a post that
//! was never cited, never judged and has no value.
//!
//! **How REP flows through citations.** Each post has a *value*: the REP its authors have gained
//! through it, net, never negative. When an amount `x` of REP reaches a post at depth `d`
//! (the ratified post is at depth 0) and `d` is below the pool's citation depth (default 3):
//! - a positive citation with weight `w` passes `w·x` on to the cited post, which treats it the
//!   same way one level deeper; a positive citation of the Incinerator burns `w·x`;
//! - a negative citation with weight `-w` *leaches* `w·x` from the cited post: the cited post
//!   loses up to `w·x` but never more than its value (what it had gained), and what it loses is
//!   added to the citing post. A post that loses REP first claws back, along each of its own
//!   positive citations, its weight's share of the loss (never more than it had passed along
//!   that citation), then bears the rest itself down to a value of zero; if it could bear all of
//!   it, it also gives back, along its negative citations, their share of the loss from its
//!   remaining value (never more than it had leached along that citation). A further leach is
//!   never applied to the Incinerator: burned REP cannot be recovered.
//! - what stays with the post (the amount, minus what it passed on, plus what it leached) is
//!   shared among its authors by weight (rounding remainders go to the first author); a loss is
//!   taken from the authors' free REP the same way. If an author's free REP cannot cover their
//!   share (it is staked or lost), the uncovered part is *forgiven* (reported in
//!   [`Event::RepDebited`]) and the supply shrinks only by what was actually taken.
//! - The walk is depth first in citation order and visits at most `MaxPropagationVisits` posts per
//!   settlement; once that budget is spent, further citations are not followed and the post being
//!   processed keeps their share (as at the depth limit). This bounds the settlement's weight.
//!
//! **Validation pools.** [`Pallet::initiate_pool`] opens a pool on a post with a named parameter
//! set ([`PoolParams`]) and a fee in the chain currency. The fee goes to the pallet's pot and is
//! shared among current REP holders pro rata to their free REP through a reward-per-REP
//! accumulator (claims are O(1), nothing loops over holders; see *Fees*). Then `fee ·
//! minting_ratio` REP are minted into the pool: `stake_for_author` of it (default 50%) staked for
//! the post, the rest staked against it, unowned. REP holders stake free REP for or against
//! with [`Pallet::stake`] until `ends_at = opened_at + duration` (exclusive); an account stakes
//! on one side only (top-ups allowed), and an author of the post may not stake against it.
//!
//! **Settlement** ([`Pallet::settle`], anyone, once the window is over, or early once no more REP
//! can be staked: every REP unit on chain is staked, or every panel member has staked). With `S_f`,
//! `S_a` the members' stakes and `M_f`, `M_a` the minted halves:
//! - **Quorum** is met if `S_f + S_a ≥ quorum · base`, where `base` is the REP supply just before
//!   the pool's mint (the panel's free REP at the draw for a panel pool). The minted halves do
//!   not count toward quorum (deviation: in DGF they would, letting a large fee buy quorum).
//!   Without quorum the verdict is [`Verdict::NoQuorum`]: the minted REP is burned, every member
//!   gets their stake back in full and the post gains nothing.
//! - **Win ratio**: the pool passes if `M_f + S_f ≥ win_ratio · (M_f + S_f + M_a + S_a)` (minted
//!   halves included, as in DGF), else it fails. **The first pool ever (pool 0) always passes**
//!   (bootstrap), whatever the stakes and quorum; a chain whose genesis gives members REP can
//!   start without it (`no_bootstrap_pool`: pool ids start at 1).
//! - **Binding**: each losing member stake forfeits `binding` of itself (rounded up) and gets the
//!   rest back. The unowned minted stake of the losing side is forfeited entirely (there is no
//!   one to return it to).
//! - **Passed**: with `redistribute_losing_stakes`, the forfeits (`M_a + binding·S_a`) are
//!   shared pro rata among the winning stakes: the post's share (`M_f`'s) joins `M_f`, members'
//!   shares are claimed with their stakes; without it the forfeits are burned. `M_f` (plus its
//!   share) goes to the post and flows down its citations as described above.
//! - **Failed**: with `redistribute_losing_stakes` and at least one member against, `M_f`, `M_a`
//!   and `binding·S_f` all go to the members who staked against, pro rata; otherwise they are
//!   burned. The post gains nothing.
//! - Settlement does not touch voters: each member calls [`Pallet::claim`] to get their stake
//!   back plus winnings (or minus forfeit), computed from the pool's totals. When the last stake
//!   is claimed, rounding dust left in the pool is burned. The outcome is reported to
//!   [`Config::OutcomeHandler`].
//!
//! **Panel pools** (`panel_size = m > 0`): up to `m` distinct members are drawn, weighted by free
//! REP, from a sum tree over all REP holders (16-ary, `SortitionLevels` levels, each node one
//! storage item of 16 sums, updated on every change of free REP). A draw reads one node per level,
//! so its cost does not depend on how many members there are. The post's authors are skipped;
//! at most `4m` draws are made, so the panel may be smaller than `m`. Only the panel may stake.
//!
//! **Randomness and its bias.** The chain is proof of work and has no VRF. Draw `i` of pool `p`
//! uses `blake2_256("gpow/reputation/panel" ‖ parent_hash ‖ p ‖ i)`, its first 16 bytes as a
//! little-endian `u128`, reduced modulo the tree's total (modulo bias `≤ total / 2^128`). The
//! parent hash is fixed by the miner of the previous block: a miner who also wants a panel can
//! withhold a block whose hash would draw a panel it dislikes and keep mining, but each
//! withheld block forfeits its block reward (and fees) and lets other miners overtake it, so the
//! bias it can buy is bounded by the rewards it is willing to lose; the initiator, in turn, can
//! only choose in which block to open the pool, and cannot see the parent hash of a block it
//! has not yet seen. Where a panel's integrity matters more than the block reward, use an open
//! pool (every REP holder may vote).
//!
//! **Fees.** A reward-per-REP accumulator `RewardPerRep` (scaled by `1e18`) grows by `fee · 1e18
//! / TotalFree` at each fee; each account keeps a debt, `ceil(free · RewardPerRep / 1e18)`, taken
//! whenever its free REP changes, after moving what it had accrued (`floor(free · RewardPerRep /
//! 1e18) − debt`) into its unclaimed fees. Rounding always favours the pot, so the pot can pay
//! every claim; what rounding leaves behind stays in the pot as dust. What the accumulator cannot
//! represent, and fees paid while nobody holds free REP, are carried to the next fee
//! (`UndistributedFees`). The first fee into an empty pot leaves the currency's existential
//! deposit there. [`Pallet::claim_fees`] pays the unclaimed fees out.
//!
//! **Parameter sets** are stored by name and set by [`Config::ParamsOrigin`] (the runtime: Root
//! or the governance `parameters` track). Genesis stores the `default` set from
//! [`Config::DefaultParams`] and any further sets it lists (such as the governance tracks' own
//! `gov-*` sets). DGF's defaults: minting ratio 1, 50%
//! staked for the author, win ratio 50%, citation depth 3. Ours in addition: quorum 10% (DGF
//! suggests a floor of 1/10), binding 100% with redistribution (DGF's binding validation pool:
//! losers' stakes go to the winners) and a window of one day of blocks (a runtime choice).
//!
//! ## Terms
//!
//! - **Free REP**: REP an account holds and may stake; earns fees, counts in panel draws.
//! - **Staked REP**: REP in a pool, the account's until it claims.
//! - **Value of a post**: REP its authors gained through it, net; the most a leach can take.
//! - **Forfeit**: the part of a losing stake that the stakers lose (`binding`).
//! - **Bootstrap pool**: pool 0, which always passes so a chain with no REP can start.
//!
//! ## Example
//!
//! ```ignore
//! // Alice posts evidence citing post 3 positively (30%) and post 1 negatively (-10%).
//! let authors = vec![(alice.clone(), Perbill::from_percent(100))];
//! let citations = vec![(CitationTarget::Post(3), 300_000_000), (CitationTarget::Post(1), -100_000_000)];
//! Reputation::add_post(RuntimeOrigin::signed(alice.clone()), authors, content_hash, citations)?;
//! // Anyone opens a pool on it (post 4) with the default parameters and a fee of 10 GPOW.
//! Reputation::initiate_pool(RuntimeOrigin::signed(bob), 4, default_param_set(), 0, 10 * UNIT)?;
//! // REP holders vote during the window, then anyone settles and each voter claims.
//! Reputation::stake(RuntimeOrigin::signed(carol.clone()), 0, Side::For, 500)?;
//! Reputation::settle(RuntimeOrigin::signed(dave), 0)?;
//! Reputation::claim(RuntimeOrigin::signed(carol), 0)?;
//! ```

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use gpow_primitives_reputation::{
	default_param_set, AvailabilityBonds, CitationTarget, ParamSetName, PoolId, PoolOutcome,
	PoolOutcomeHandler, PoolParams, PostId, Rep, Side, Verdict, DEFAULT_PARAM_SET,
};
pub use pallet::*;
pub use types::{CitationRecord, PoolRecord, PoolState, PostRecord, RepAccount, StakeRecord};
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod forum;
mod ledger;
#[cfg(test)]
mod mock;
mod pools;
#[cfg(test)]
mod tests;
mod try_state;
mod types;
pub mod weights;

pub use ledger::{FEE_SCALE, SORTITION_BRANCH};

use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{fungible, Consideration, Footprint},
	PalletId,
};
use frame_system::pallet_prelude::*;
use sp_runtime::Perbill;

/// The balance type of the fee currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// A pool's parameters in the runtime's types.
pub type PoolParamsOf<T> = PoolParams<BlockNumberFor<T>, BalanceOf<T>>;
/// A stored post.
pub type PostRecordOf<T> = PostRecord<
	<T as frame_system::Config>::AccountId,
	<T as frame_system::Config>::Hash,
	BlockNumberFor<T>,
	<T as Config>::PostConsideration,
	<T as Config>::MaxAuthors,
	<T as Config>::MaxCitations,
>;
/// A stored pool.
pub type PoolRecordOf<T> = PoolRecord<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	BalanceOf<T>,
	<T as Config>::MaxPanelSize,
>;
/// A pool's panel.
pub type PanelOf<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxPanelSize>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the reputation pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The chain currency: pool fees are paid and shared out in it.
		type Currency: fungible::Mutate<Self::AccountId>;

		/// The deposit held for a stored post, by its encoded size.
		type PostConsideration: Consideration<Self::AccountId, Footprint>;

		/// The origin that sets and removes parameter sets (the runtime: Root or the governance
		/// `parameters` track).
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Told the outcome of every settled pool (the service market, governance); `()` for none.
		type OutcomeHandler: PoolOutcomeHandler<Self::AccountId>;

		/// The id of the pot account that holds fees until REP holders claim them.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The most authors a post may have.
		#[pallet::constant]
		type MaxAuthors: Get<u32>;

		/// The most citations a post may have.
		#[pallet::constant]
		type MaxCitations: Get<u32>;

		/// The deepest citation depth a parameter set may ask for.
		#[pallet::constant]
		type MaxCitationDepth: Get<u8>;

		/// The most posts one settlement visits while REP flows through citations.
		#[pallet::constant]
		type MaxPropagationVisits: Get<u32>;

		/// The largest panel.
		#[pallet::constant]
		type MaxPanelSize: Get<u32>;

		/// Levels of the 16-ary sortition tree: it holds `16^levels` members (1 to 7).
		#[pallet::constant]
		type SortitionLevels: Get<u32>;

		/// The parameters genesis stores as the `default` set.
		#[pallet::constant]
		type DefaultParams: Get<PoolParamsOf<Self>>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a forum post.
		PostDeposit,
	}

	/// Each REP holder's ledger entry.
	#[pallet::storage]
	pub type Accounts<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, RepAccount>;

	/// The total REP supply: `TotalFree + TotalStaked`.
	#[pallet::storage]
	pub type TotalIssuance<T: Config> = StorageValue<_, Rep, ValueQuery>;

	/// The sum of all accounts' free REP.
	#[pallet::storage]
	pub type TotalFree<T: Config> = StorageValue<_, Rep, ValueQuery>;

	/// The REP held by pools: members' stakes, minted halves and unclaimed winnings.
	#[pallet::storage]
	pub type TotalStaked<T: Config> = StorageValue<_, Rep, ValueQuery>;

	/// Fees per unit of free REP ever distributed, times `FEE_SCALE`.
	#[pallet::storage]
	pub type RewardPerRep<T: Config> = StorageValue<_, u128, ValueQuery>;

	/// Fees not yet distributed (nobody held free REP, or below the accumulator's resolution);
	/// added to the next fee.
	#[pallet::storage]
	pub type UndistributedFees<T: Config> = StorageValue<_, u128, ValueQuery>;

	/// The id of the next post.
	#[pallet::storage]
	pub type NextPostId<T: Config> = StorageValue<_, PostId, ValueQuery>;

	/// The forum's posts.
	#[pallet::storage]
	pub type Posts<T: Config> = StorageMap<_, Twox64Concat, PostId, PostRecordOf<T>>;

	/// The id of the next pool.
	#[pallet::storage]
	pub type NextPoolId<T: Config> = StorageValue<_, PoolId, ValueQuery>;

	/// The validation pools.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Twox64Concat, PoolId, PoolRecordOf<T>>;

	/// Members' stakes per pool, until claimed.
	#[pallet::storage]
	pub type Stakes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, PoolId, Blake2_128Concat, T::AccountId, StakeRecord>;

	/// The named parameter sets.
	#[pallet::storage]
	pub type ParameterSets<T: Config> =
		StorageMap<_, Blake2_128Concat, ParamSetName, PoolParamsOf<T>>;

	/// The sortition sum tree: node `(level, index)` holds the 16 sums of its children (level 0:
	/// the free REP of slots `16·index .. 16·index + 15`).
	#[pallet::storage]
	pub type SortitionTree<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		u8,
		Twox64Concat,
		u32,
		[Rep; SORTITION_BRANCH],
		ValueQuery,
	>;

	/// The account in each sortition slot.
	#[pallet::storage]
	pub type SlotOwners<T: Config> = StorageMap<_, Twox64Concat, u32, T::AccountId>;

	/// The next never-used sortition slot.
	#[pallet::storage]
	pub type NextSlot<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// How many released slots are on the free-slot stack.
	#[pallet::storage]
	pub type FreeSlotCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The free-slot stack: position to slot.
	#[pallet::storage]
	pub type FreeSlots<T: Config> = StorageMap<_, Twox64Concat, u32, u32>;

	/// Genesis: founding members and their REP, and parameter sets besides `default`.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Founding members and the REP each starts with (bootstrap).
		pub members: Vec<(T::AccountId, Rep)>,
		/// Named parameter sets stored besides `default` (such as the governance tracks').
		pub parameter_sets: Vec<(ParamSetName, PoolParamsOf<T>)>,
		/// Start pool ids at 1: no bootstrap pool. For chains whose members hold REP from
		/// genesis, where a first pool that always passes would only let whoever opens it mint
		/// REP for their own post unopposed.
		pub no_bootstrap_pool: bool,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			ParameterSets::<T>::insert(default_param_set(), T::DefaultParams::get());
			for (name, params) in &self.parameter_sets {
				assert!(
					Pallet::<T>::valid_params(params),
					"parameter set {name:?}: zero duration or citation depth above the maximum"
				);
				ParameterSets::<T>::insert(name, params);
			}
			if self.no_bootstrap_pool {
				NextPoolId::<T>::put(1);
			}
			for (who, rep) in &self.members {
				Pallet::<T>::mint_free(who, *rep);
			}
		}
	}

	/// Events of the reputation pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A post was added to the forum.
		PostAdded {
			/// The new post.
			post: PostId,
			/// Who added it (and holds its deposit).
			poster: T::AccountId,
			/// The hash of its content.
			content_hash: T::Hash,
		},
		/// A post was removed and its deposit released.
		PostRemoved {
			/// The post.
			post: PostId,
		},
		/// A parameter set was stored (created or replaced).
		ParameterSetUpdated {
			/// Its name.
			name: ParamSetName,
			/// The parameters.
			params: PoolParamsOf<T>,
		},
		/// A parameter set was removed.
		ParameterSetRemoved {
			/// Its name.
			name: ParamSetName,
		},
		/// A validation pool was opened and its REP minted.
		PoolInitiated {
			/// The pool.
			pool: PoolId,
			/// The post it judges.
			post: PostId,
			/// Who paid the fee.
			initiator: T::AccountId,
			/// The fee.
			fee: BalanceOf<T>,
			/// REP minted and staked for the post.
			minted_for: Rep,
			/// REP minted and staked against the post.
			minted_against: Rep,
			/// The first block at which it may be settled.
			ends_at: BlockNumberFor<T>,
			/// Whether it is the bootstrap pool.
			bootstrap: bool,
		},
		/// A panel was drawn for a panel pool.
		PanelDrawn {
			/// The pool.
			pool: PoolId,
			/// The members drawn.
			panel: PanelOf<T>,
			/// Their free REP at the draw (the pool's quorum base).
			weight: Rep,
		},
		/// A pool's fee was shared among REP holders.
		FeesDistributed {
			/// The pool that paid it.
			pool: PoolId,
			/// Fees added to the accumulator (including earlier undistributed fees).
			distributed: u128,
			/// Fees carried to the next distribution.
			undistributed: u128,
		},
		/// A member staked REP in a pool.
		Staked {
			/// The pool.
			pool: PoolId,
			/// The member.
			who: T::AccountId,
			/// For or against.
			side: Side,
			/// REP added to the stake.
			amount: Rep,
		},
		/// A pool was settled.
		PoolSettled {
			/// The pool.
			pool: PoolId,
			/// The verdict.
			verdict: Verdict,
			/// All REP for (minted included).
			total_for: Rep,
			/// All REP against (minted included).
			total_against: Rep,
			/// REP sent to the post (and down its citations).
			to_post: Rep,
			/// REP burned at settlement.
			burned: Rep,
			/// REP shared among the winning members' stakes.
			member_winnings: Rep,
		},
		/// REP reached a post and stayed with its authors.
		PostCredited {
			/// The post.
			post: PostId,
			/// REP added to its value.
			amount: Rep,
		},
		/// A post lost value (leached, clawed back, or giving back what it leached).
		PostDebited {
			/// The post.
			post: PostId,
			/// REP taken from its value.
			amount: Rep,
		},
		/// REP flowing along a citation of the Incinerator was burned.
		Incinerated {
			/// The citing post.
			post: PostId,
			/// REP burned.
			amount: Rep,
		},
		/// An author's free REP grew through a post.
		RepCredited {
			/// The author.
			who: T::AccountId,
			/// REP added.
			amount: Rep,
		},
		/// An author's free REP shrank through a post.
		RepDebited {
			/// The author.
			who: T::AccountId,
			/// REP taken.
			amount: Rep,
			/// The part of the author's share that free REP could not cover.
			forgiven: Rep,
		},
		/// A member claimed their stake from a settled pool.
		Claimed {
			/// The pool.
			pool: PoolId,
			/// The member.
			who: T::AccountId,
			/// The stake.
			stake: Rep,
			/// REP returned to free REP (stake plus winnings, or minus forfeit).
			payout: Rep,
		},
		/// The last stake of a pool was claimed; the pool's rounding dust was burned.
		PoolClosed {
			/// The pool.
			pool: PoolId,
			/// REP burned.
			dust: Rep,
		},
		/// A REP holder claimed fees.
		FeesClaimed {
			/// The holder.
			who: T::AccountId,
			/// The amount paid.
			amount: BalanceOf<T>,
		},
		/// An account bonded free REP (an availability stake).
		Bonded {
			/// The account.
			who: T::AccountId,
			/// REP bonded.
			amount: Rep,
		},
		/// An account's bond went back to its free REP.
		Unbonded {
			/// The account.
			who: T::AccountId,
			/// REP unbonded.
			amount: Rep,
		},
		/// Part of an account's bond was burned (a missed service deadline).
		BondSlashed {
			/// The account.
			who: T::AccountId,
			/// REP burned.
			amount: Rep,
		},
		/// A backed pool settled and its backing went back to the backer's bond.
		BackingReturned {
			/// The pool.
			pool: PoolId,
			/// The backer.
			who: T::AccountId,
			/// The backing staked.
			stake: Rep,
			/// REP returned to the bond (the backing plus winnings, or minus forfeit).
			payout: Rep,
		},
		/// An account holds REP but the sortition tree is full: it cannot be drawn for panels
		/// until a slot frees up and its free REP changes again.
		SortitionFull {
			/// The account.
			who: T::AccountId,
		},
	}

	/// Errors of the reputation pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// A post needs at least one author.
		NoAuthors,
		/// More authors than `MaxAuthors`.
		TooManyAuthors,
		/// An author is listed twice.
		DuplicateAuthor,
		/// The authors' weights do not sum to exactly 100%.
		AuthorWeightsNotWhole,
		/// More citations than `MaxCitations`.
		TooManyCitations,
		/// A target is cited twice.
		DuplicateCitation,
		/// A citation weight is outside `[-1e9, 1e9]` parts per billion.
		CitationWeightOutOfRange,
		/// The citations' weight magnitudes sum to more than 100%.
		CitationWeightsExceedWhole,
		/// A citation points at a post id not issued yet (a post may cite only older posts).
		CitesNewerPost,
		/// A citation points at a post that no longer exists.
		CitedPostNotFound,
		/// The Incinerator may only be cited positively.
		NegativeIncineration,
		/// There is no such post.
		PostNotFound,
		/// Only the poster may remove a post.
		NotPoster,
		/// The post is cited, was judged, or has value; it cannot be removed.
		PostInUse,
		/// Post or pool ids are exhausted.
		IdsExhausted,
		/// There is no parameter set with this name.
		UnknownParameterSet,
		/// The parameters are invalid (zero duration, or citation depth above the maximum).
		InvalidParameters,
		/// The fee is below the parameter set's minimum or the existential deposit.
		FeeTooLow,
		/// The panel is larger than `MaxPanelSize`.
		PanelTooLarge,
		/// No member can be drawn for a panel.
		NoEligibleMembers,
		/// There is no such pool.
		PoolNotFound,
		/// The pool's voting window is over.
		VotingClosed,
		/// The pool's voting window is not over (and it cannot settle early).
		VotingOpen,
		/// The pool is already settled.
		AlreadySettled,
		/// A stake must be more than zero.
		ZeroStake,
		/// The stake is more than the account's free REP.
		InsufficientRep,
		/// The account already staked on the other side of this pool.
		StakeOnOtherSide,
		/// An author may not stake against their own post.
		AuthorStakingAgainst,
		/// Only panel members may stake in a panel pool.
		NotOnPanel,
		/// The pool is not settled yet.
		PoolNotSettled,
		/// The account has no stake (left) in this pool.
		NoStake,
		/// The account has no fees to claim.
		NoFeesToClaim,
		/// The account's bond is smaller than the amount.
		InsufficientBond,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			let levels = T::SortitionLevels::get();
			assert!((1..=7).contains(&levels), "SortitionLevels must be 1 to 7");
			assert!(T::MaxAuthors::get() >= 1, "MaxAuthors must be at least 1");
			assert!(T::MaxPropagationVisits::get() >= 1, "MaxPropagationVisits must be at least 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Adds a post to the forum and holds its deposit from the caller.
		///
		/// `authors`: 1 to `MaxAuthors` distinct accounts with weights summing to exactly 100%.
		/// `citations`: up to `MaxCitations` distinct targets, each an older post or the
		/// Incinerator, with a signed weight in parts per billion in `[-1e9, 1e9]` (the
		/// Incinerator only positive); the magnitudes sum to at most `1e9`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_post(
			(authors.len() as u32).min(T::MaxAuthors::get()),
			(citations.len() as u32).min(T::MaxCitations::get()),
		))]
		pub fn add_post(
			origin: OriginFor<T>,
			authors: Vec<(T::AccountId, Perbill)>,
			content_hash: T::Hash,
			citations: Vec<(CitationTarget, i32)>,
		) -> DispatchResult {
			let poster = ensure_signed(origin)?;
			Self::do_add_post(&poster, authors, content_hash, citations).map(|_| ())
		}

		/// Removes the caller's post and releases its deposit. Only a post that no post cites,
		/// no pool was opened on, and that has no value can be removed.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_post())]
		pub fn remove_post(origin: OriginFor<T>, post: PostId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_post(&who, post)
		}

		/// Opens a validation pool on `post` with the parameter set `param_set`, paying `fee`.
		///
		/// The fee is shared among REP holders; `fee · minting_ratio` REP are minted and staked
		/// for and against the post. `panel_size` 0 lets every REP holder vote; `m > 0` draws a
		/// panel of up to `m` members weighted by REP, and only they may vote.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::initiate_pool((*panel_size).min(T::MaxPanelSize::get())))]
		pub fn initiate_pool(
			origin: OriginFor<T>,
			post: PostId,
			param_set: ParamSetName,
			panel_size: u32,
			fee: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open_pool(&who, post, &param_set, panel_size, fee).map(|_| ())
		}

		/// Stakes `amount` of the caller's free REP for or against the post of `pool`, during
		/// its window. A second stake adds to the first and must be on the same side.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::stake())]
		pub fn stake(
			origin: OriginFor<T>,
			pool: PoolId,
			side: Side,
			amount: Rep,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_stake(&who, pool, side, amount)
		}

		/// Settles `pool`: decides the verdict, sends REP to the post and down its citations if
		/// it passed, burns what must be burned, and tells the outcome handler. Anyone may call
		/// it once the window is over, or earlier once no more REP can be staked. Members then
		/// claim with [`Pallet::claim`].
		#[pallet::call_index(4)]
		#[pallet::weight(Pallet::<T>::settle_weight_max())]
		pub fn settle(origin: OriginFor<T>, pool: PoolId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let visits = Self::do_settle(pool)?;
			Ok(Some(Self::settle_weight_actual(visits)).into())
		}

		/// Claims the caller's stake in a settled pool: the stake back plus winnings, or minus
		/// the forfeit, computed from the pool's totals.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::claim())]
		pub fn claim(origin: OriginFor<T>, pool: PoolId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(&who, pool)
		}

		/// Pays the caller the fees its free REP has earned.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::claim_fees())]
		pub fn claim_fees(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_fees(&who)
		}

		/// Stores (creates or replaces) the parameter set `name`. Pools already open keep the
		/// parameters they opened with.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_parameter_set())]
		pub fn set_parameter_set(
			origin: OriginFor<T>,
			name: ParamSetName,
			params: PoolParamsOf<T>,
		) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			ensure!(Self::valid_params(&params), Error::<T>::InvalidParameters);
			ParameterSets::<T>::insert(&name, params.clone());
			Self::deposit_event(Event::ParameterSetUpdated { name, params });
			Ok(())
		}

		/// Removes the parameter set `name`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::remove_parameter_set())]
		pub fn remove_parameter_set(origin: OriginFor<T>, name: ParamSetName) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			ensure!(ParameterSets::<T>::contains_key(&name), Error::<T>::UnknownParameterSet);
			ParameterSets::<T>::remove(&name);
			Self::deposit_event(Event::ParameterSetRemoved { name });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Whether `params` may be stored: a non-zero window and a citation depth within
	/// `MaxCitationDepth`.
	pub fn valid_params(params: &PoolParamsOf<T>) -> bool {
		!params.duration.is_zero() && params.citation_depth <= T::MaxCitationDepth::get()
	}

	/// The weight charged before settling: the worst case of either outcome plus the handler.
	pub fn settle_weight_max() -> Weight {
		T::WeightInfo::settle_passed()
			.max(T::WeightInfo::settle_failed())
			.saturating_add(T::OutcomeHandler::weight())
	}

	/// The weight of a settlement that visited `visits` posts: the failed case plus a share of
	/// the worst-case propagation per visit.
	pub fn settle_weight_actual(visits: u32) -> Weight {
		let base = T::WeightInfo::settle_failed();
		let max_visits = T::MaxPropagationVisits::get().max(1);
		let per_visit = T::WeightInfo::settle_passed()
			.saturating_sub(base)
			.checked_div(max_visits.into())
			.unwrap_or_default();
		base.saturating_add(per_visit.saturating_mul(visits.into()))
			.saturating_add(T::OutcomeHandler::weight())
			.min(Self::settle_weight_max())
	}
}
