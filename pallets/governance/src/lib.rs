//! # Governance pallet
//!
//! Governance by reputation: REP holders change the chain's parameters and upgrade its runtime
//! through validation pools, as seed 003's DAO Governance Framework puts it: a proposal is a
//! forum post, a validation pool ratifies it, the outcome is enacted. No single key is needed.
//!
//! ## Overview
//!
//! - **Proposing.** An author of a forum post calls [`Pallet::propose`] with the post (the
//!   proposal's reasons), a [track](#tracks) and a call. The call must be on the track's
//!   allow-list (a `Utility` batch is allowed when every call inside it is, to a bounded depth).
//!   The pallet keeps the call as a bounded preimage (`pallet-preimage`; short calls inline),
//!   holds the track's deposit from the proposer, and opens a validation pool on the post with
//!   the track's reputation parameter set through [`ValidationPools`], the proposer paying the
//!   track's pool fee (which goes to REP holders, like every pool fee). A post carries at most
//!   one proposal.
//! - **Voting** is the reputation pallet's: REP holders stake for or against during the pool's
//!   window (or only a drawn panel, if the track asks for one) and anyone settles it.
//! - **Outcome.** The reputation pallet reports the settlement ([`PoolOutcomeHandler`]):
//!   - *passed*: the call is scheduled (`pallet-scheduler`, a named task) for `now +
//!     enactment_delay`, to be dispatched with the track's origin; the deposit is returned;
//!   - *failed*: nothing is scheduled, the preimage is released and the deposit forfeited
//!     (burned);
//!   - *no quorum*: nothing is scheduled, the preimage is released and the deposit returned;
//!   - the **bootstrap pool** (pool 0, which always passes) never enacts anything: it is treated
//!     like no quorum.
//! - **Enactment.** The scheduler dispatches [`Pallet::enact`] with the track's origin at the
//!   enactment block; it dispatches the proposal's call with that origin, releases the preimage
//!   and reports the call's result in [`Event::Enacted`]. A failing call is reported, never
//!   retried, and does not block the scheduler.
//! - **Cancelling.** The `emergency` track (or Root) cancels a scheduled enactment with
//!   [`Pallet::cancel`].
//! - **Upgrades.** The `upgrade` track calls [`Pallet::authorize_upgrade`] with the hash of a
//!   new runtime; anyone then submits the code with the unsigned
//!   `system.apply_authorized_upgrade`, so no megabyte preimage is stored and no overweight
//!   `set_code` is scheduled. The version check applies: the spec name must stay and the spec
//!   version must grow.
//!
//! ## Tracks
//!
//! A track ([`TrackInfo`], stored at genesis) names the reputation parameter set its pools run
//! with (quorum, win ratio, binding, window), a panel size (0: every REP holder votes), the pool
//! fee, the deposit, the enactment delay and a cap on active (voting or scheduled) proposals.
//! Its allow-list is the runtime's ([`Config::TrackCalls`]): checked at `propose` and again at
//! enactment. A call must weigh at most [`Config::MaxCallWeight`], so that its enactment fits a
//! block. Each track dispatches with its own
//! origin, [`Origin::Track`]; the runtime accepts a track's origin (or Root, on chains that
//! keep a sudo key) wherever that track may act, through [`EnsureTrack`]. No track dispatches as
//! Root: on a chain without a sudo key, nothing does.
//!
//! ## The risk that remains
//!
//! OpenGov weighs votes by tokens, which can be bought; here weight is reputation, which pools
//! mint only for posts that pass (so new REP needs the consent of those who already hold it),
//! and binding stakes make a wrong vote cost. Still, **on an open pool one holder whose stake
//! alone reaches the quorum can pass a proposal no one opposes in the window.** What bounds it:
//! the track's parameter set (a quorum, a win ratio above 50%, binding so that a wrong vote
//! forfeits REP, a window long enough for others to notice and stake against), panel pools (a
//! track with `panel_size > 0` lets only a REP-weighted random panel vote, so no holder can count
//! on a seat), the enactment delay (at least the chain's confirmation depth, so every node sees
//! the decision final before it acts) and the `emergency` track, whose stricter pool can cancel
//! a scheduled enactment before it happens.
//!
//! Three further doors are closed by the runtime: the tracks' own parameter sets are changed only
//! by the `upgrade` track and within floors (the `parameters` track cannot weaken the tracks that
//! check it), a chain whose genesis gives REP has no bootstrap pool (a first pool that always
//! passes would mint REP unopposed), and each account may keep only `MaxActivePerProposer`
//! proposals active per track. Jamming a track with proposals nobody votes on still costs the
//! pool fee of each (paid to REP holders), but many accounts can do it: the caps bound it, the
//! fees price it.
//!
//! ## Terms
//!
//! - **Active proposal**: voting or scheduled; it counts toward its track's cap.
//! - **Enactment delay**: blocks between a passed pool's settlement and the dispatch.
//!
//! ## Example
//!
//! ```ignore
//! // Alice, an author of post 7, proposes a new difficulty target on the parameters track.
//! let call = RuntimeCall::Difficulty(pallet_difficulty::Call::set_target_block_time { target_ms: 3_000 });
//! Governance::propose(RuntimeOrigin::signed(alice), 7, PARAMETERS_TRACK, Box::new(call))?;
//! // REP holders stake on the pool; once its window is over anyone settles it:
//! Reputation::settle(RuntimeOrigin::signed(bob), pool)?;
//! // Passed: `Scheduled { at }`; at block `at` the call runs with the parameters track's origin
//! // and `Enacted { proposal, result }` is emitted.
//! ```

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use gpow_primitives_governance::{
	ProposalId, ProposalInfo, ProposalStatus, TrackDetails, TrackId, TrackInfo, TrackName,
};
pub use origin::{
	AllowListByName, AllowLists, EnsureAnyTrack, EnsureTrack, InnerCalls, TrackCalls,
};
pub use pallet::*;
pub use types::ProposalRecord;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod enactment;
#[cfg(test)]
mod mock;
mod origin;
#[cfg(test)]
mod tests;
mod try_state;
mod types;
pub mod weights;

use alloc::{boxed::Box, vec::Vec};
use frame_support::{
	dispatch::{GetDispatchInfo, PostDispatchInfo},
	pallet_prelude::*,
	traits::{
		fungible::{self, MutateHold},
		schedule::v3::Named as ScheduleNamed,
		Bounded, OriginTrait, QueryPreimage, StorePreimage,
	},
};
use frame_system::pallet_prelude::*;
use gpow_primitives_reputation::{Forum, PoolId, PostId, ValidationPools};
use sp_runtime::traits::Dispatchable;

/// The balance type of the currency deposits are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// A track's settings in the runtime's types.
pub type TrackInfoOf<T> = TrackInfo<BalanceOf<T>, BlockNumberFor<T>>;
/// The call a proposal enacts.
pub type CallOf<T> = <T as Config>::RuntimeCall;
/// A call kept as a bounded preimage.
pub type BoundedCallOf<T> = Bounded<CallOf<T>, <T as frame_system::Config>::Hashing>;
/// The origin the scheduler dispatches with.
pub type PalletsOriginOf<T> =
	<<T as frame_system::Config>::RuntimeOrigin as OriginTrait>::PalletsOrigin;
/// A stored proposal.
pub type ProposalRecordOf<T> = ProposalRecord<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	BoundedCallOf<T>,
>;
/// A proposal as the runtime API reports it, in the runtime's types.
pub type ProposalInfoOf<T> = ProposalInfo<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as frame_system::Config>::Hash,
>;

/// Sets up what the benchmarks need that other pallets own.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Call> {
	/// Gives `who` `amount` free REP.
	fn endow_rep(who: &AccountId, amount: gpow_primitives_reputation::Rep);
	/// A track and a call it allows, about `len` bytes long when encoded.
	fn allowed_call(len: u32) -> (TrackId, Call);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the governance pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The calls proposals enact.
		type RuntimeCall: Parameter
			+ Dispatchable<
				RuntimeOrigin = <Self as frame_system::Config>::RuntimeOrigin,
				PostInfo = PostDispatchInfo,
			> + GetDispatchInfo
			+ From<Call<Self>>
			+ IsType<<Self as frame_system::Config>::RuntimeCall>;

		/// The overarching origin, which can be made from (and checked for) a track's origin.
		type RuntimeOrigin: From<Origin>
			+ Into<Result<Origin, <Self as Config>::RuntimeOrigin>>
			+ IsType<<Self as frame_system::Config>::RuntimeOrigin>;

		/// The currency deposits are held in (and pool fees paid in).
		type Currency: fungible::Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The reputation layer: the forum whose posts carry proposals and the validation pools
		/// that vote on them.
		type Reputation: ValidationPools<Self::AccountId, BalanceOf<Self>>
			+ Forum<Self::AccountId, Self::Hash>;

		/// Keeps proposals' calls until they are enacted or dropped (`pallet-preimage`).
		type Preimages: QueryPreimage<H = Self::Hashing> + StorePreimage;

		/// Dispatches passed proposals at their enactment block (`pallet-scheduler`).
		type Scheduler: ScheduleNamed<
			BlockNumberFor<Self>,
			CallOf<Self>,
			PalletsOriginOf<Self>,
			Hasher = Self::Hashing,
		>;

		/// Which calls each track may enact.
		type TrackCalls: TrackCalls<CallOf<Self>>;

		/// The origin that cancels a scheduled enactment: the `emergency` track (or Root).
		type CancelOrigin: EnsureOrigin<<Self as frame_system::Config>::RuntimeOrigin>;

		/// The origin that authorizes a runtime upgrade: the `upgrade` track (or Root).
		type UpgradeOrigin: EnsureOrigin<<Self as frame_system::Config>::RuntimeOrigin>;

		/// The longest call a proposal may carry, in encoded bytes.
		#[pallet::constant]
		type MaxCallLen: Get<u32>;

		/// The heaviest call a proposal may carry: with `enact` around it, it must fit the
		/// scheduler's weight budget of a block, or it could never be dispatched.
		#[pallet::constant]
		type MaxCallWeight: Get<Weight>;

		/// The most proposals one account may have voting or scheduled on one track, so that no
		/// single account can fill a track's cap.
		#[pallet::constant]
		type MaxActivePerProposer: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Sets up the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, CallOf<Self>>;
	}

	/// The origin a track's enactments are dispatched with.
	#[pallet::origin]
	#[derive(
		Clone,
		Copy,
		PartialEq,
		Eq,
		Debug,
		Encode,
		Decode,
		DecodeWithMemTracking,
		TypeInfo,
		MaxEncodedLen,
	)]
	pub enum Origin {
		/// A proposal passed on this track.
		Track(TrackId),
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a proposal that is being voted on.
		ProposalDeposit,
	}

	/// The tracks and their settings.
	#[pallet::storage]
	pub type Tracks<T: Config> = StorageMap<_, Twox64Concat, TrackId, TrackInfoOf<T>>;

	/// How many proposals of each track are voting or scheduled.
	#[pallet::storage]
	pub type ActiveProposals<T: Config> = StorageMap<_, Twox64Concat, TrackId, u32, ValueQuery>;

	/// How many proposals each account has voting or scheduled on each track.
	#[pallet::storage]
	pub type ActiveByProposer<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TrackId, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The id of the next proposal.
	#[pallet::storage]
	pub type NextProposalId<T: Config> = StorageValue<_, ProposalId, ValueQuery>;

	/// The proposals.
	#[pallet::storage]
	pub type Proposals<T: Config> = StorageMap<_, Twox64Concat, ProposalId, ProposalRecordOf<T>>;

	/// The proposal each post carries.
	#[pallet::storage]
	pub type ProposalOfPost<T: Config> = StorageMap<_, Twox64Concat, PostId, ProposalId>;

	/// The proposal each governance pool votes on, until the pool settles.
	#[pallet::storage]
	pub type ProposalOfPool<T: Config> = StorageMap<_, Twox64Concat, PoolId, ProposalId>;

	/// Genesis: the tracks.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The tracks and their settings.
		pub tracks: Vec<(TrackId, TrackInfoOf<T>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (id, info) in &self.tracks {
				assert!(!Tracks::<T>::contains_key(id), "track {id} is listed twice");
				assert!(
					T::Reputation::min_fee(&info.param_set).is_some(),
					"track {id}: no reputation parameter set {:?}",
					info.param_set
				);
				assert!(info.max_active > 0, "track {id}: max_active must be at least 1");
				assert!(
					T::Reputation::min_fee(&info.param_set).is_some_and(|min| info.pool_fee >= min),
					"track {id}: the pool fee is below its parameter set's minimum fee"
				);
				Tracks::<T>::insert(id, info);
			}
		}
	}

	/// Events of the governance pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A proposal was made and its validation pool opened.
		Proposed {
			/// The proposal.
			proposal: ProposalId,
			/// Its track.
			track: TrackId,
			/// The post with its reasons.
			post: PostId,
			/// The pool voting on it.
			pool: PoolId,
			/// Who proposed it.
			proposer: T::AccountId,
			/// The hash of its call.
			call_hash: T::Hash,
		},
		/// The pool passed: the call is scheduled.
		Scheduled {
			/// The proposal.
			proposal: ProposalId,
			/// The enactment block.
			at: BlockNumberFor<T>,
		},
		/// The pool failed: nothing is enacted; the deposit was forfeited.
		Rejected {
			/// The proposal.
			proposal: ProposalId,
			/// The deposit burned.
			forfeited: BalanceOf<T>,
		},
		/// The pool reached no quorum: nothing is enacted; the deposit was returned.
		NoQuorum {
			/// The proposal.
			proposal: ProposalId,
		},
		/// The proposal's pool was the bootstrap pool, which never enacts: the deposit was
		/// returned.
		BootstrapIgnored {
			/// The proposal.
			proposal: ProposalId,
		},
		/// The pool passed but the scheduler refused the enactment: nothing is enacted; the
		/// deposit was returned.
		Unschedulable {
			/// The proposal.
			proposal: ProposalId,
			/// The scheduler's error.
			error: DispatchError,
		},
		/// A proposal's call was dispatched with its track's origin.
		Enacted {
			/// The proposal.
			proposal: ProposalId,
			/// The call's result.
			result: DispatchResult,
		},
		/// A scheduled enactment was cancelled.
		Cancelled {
			/// The proposal.
			proposal: ProposalId,
		},
	}

	/// Errors of the governance pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// There is no track with this id.
		UnknownTrack,
		/// There is no such post.
		PostNotFound,
		/// Only an author of the post may propose with it.
		NotAuthor,
		/// The post already carries a proposal.
		PostHasProposal,
		/// The call is not on the track's allow-list (or a call inside a batch is not).
		CallNotAllowed,
		/// The track has as many active proposals as it allows.
		TooManyProposals,
		/// The caller has as many active proposals on this track as one account may.
		TooManyProposalsByCaller,
		/// The call weighs more than `MaxCallWeight`: it could not be enacted.
		CallTooHeavy,
		/// The proposer cannot hold the track's deposit.
		CannotHoldDeposit,
		/// The encoded call is longer than `MaxCallLen`.
		CallTooLong,
		/// Proposal ids are exhausted.
		IdsExhausted,
		/// There is no such proposal.
		UnknownProposal,
		/// The proposal is not scheduled for enactment.
		NotScheduled,
		/// The origin is not the track of this proposal.
		WrongTrack,
		/// The call weighs more than when it was scheduled (a runtime upgrade changed its
		/// weight); it is not dispatched.
		EnactmentOverweight,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Proposes `call` on `track`, with `post` (of which the caller is an author) as its
		/// reasons: keeps the call as a preimage, holds the track's deposit and opens a
		/// validation pool on the post with the track's parameter set, paying the track's pool
		/// fee.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::propose((call.encoded_size() as u32).min(T::MaxCallLen::get())))]
		pub fn propose(
			origin: OriginFor<T>,
			post: PostId,
			track: TrackId,
			call: Box<CallOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose(&who, post, track, *call).map(|_| ())
		}

		/// Dispatches a passed proposal's call with its track's origin and reports the result in
		/// [`Event::Enacted`]. Only the scheduler calls it, with the proposal's track origin, at
		/// the enactment block; `call_weight` is the call's weight when it was scheduled.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::enact().saturating_add(*call_weight))]
		pub fn enact(
			origin: OriginFor<T>,
			proposal: ProposalId,
			call_weight: Weight,
		) -> DispatchResultWithPostInfo {
			let track = EnsureAnyTrack::ensure_origin(<T as Config>::RuntimeOrigin::from(origin))?;
			let used = Self::do_enact(track, proposal, call_weight)?;
			Ok(Some(T::WeightInfo::enact().saturating_add(used)).into())
		}

		/// Cancels the scheduled enactment of `proposal` (the `emergency` track, or Root).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, proposal: ProposalId) -> DispatchResult {
			T::CancelOrigin::ensure_origin(origin)?;
			Self::do_cancel(proposal)
		}

		/// Authorizes a runtime upgrade to the code with hash `code_hash` (the `upgrade` track,
		/// or Root). Anyone may then apply it with the unsigned
		/// `system.apply_authorized_upgrade(code)`; the new code must keep the spec name and
		/// raise the spec version.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::authorize_upgrade())]
		pub fn authorize_upgrade(origin: OriginFor<T>, code_hash: T::Hash) -> DispatchResult {
			T::UpgradeOrigin::ensure_origin(origin)?;
			frame_system::Pallet::<T>::do_authorize_upgrade(code_hash, true);
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Proposal `id` as the runtime API reports it.
	pub fn proposal_info(id: ProposalId) -> Option<ProposalInfoOf<T>> {
		Proposals::<T>::get(id).map(|p| p.info(id))
	}

	/// Up to `max` proposals from id `from` on, in id order.
	pub fn proposals_from(from: ProposalId, max: u32) -> Vec<ProposalInfoOf<T>> {
		let next = NextProposalId::<T>::get();
		(from..next).filter_map(Self::proposal_info).take(max as usize).collect()
	}

	/// Every track with its settings, active count and allow-list, in id order.
	pub fn track_details() -> Vec<TrackDetails<BalanceOf<T>, BlockNumberFor<T>>> {
		let mut tracks: Vec<_> = Tracks::<T>::iter()
			.map(|(id, info)| TrackDetails {
				id,
				info,
				active: ActiveProposals::<T>::get(id),
				allowed_calls: T::TrackCalls::allowed_calls(id),
			})
			.collect();
		tracks.sort_by_key(|t| t.id);
		tracks
	}
}
