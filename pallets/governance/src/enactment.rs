//! A proposal's life: proposing, the pool's outcome, enactment and cancellation.

use crate::*;
use frame_support::traits::{
	fungible::InspectHold,
	schedule::DispatchTime,
	tokens::{Fortitude, Precision},
	BoundedInline,
};
use gpow_primitives_reputation::{PoolOutcome, PoolOutcomeHandler, Verdict};
use sp_runtime::traits::{Hash, One, Saturating};

/// The scheduler's priority for enactments: before ordinary scheduled calls.
const ENACTMENT_PRIORITY: u8 = 63;

impl<T: Config> Pallet<T> {
	/// The scheduler's name of `proposal`'s enactment.
	pub fn task_name(proposal: ProposalId) -> [u8; 32] {
		frame_support::Hashable::blake2_256(&(*b"gpow/governance", proposal))
	}

	/// Checks everything `propose` needs before anything changes; returns the track and the
	/// call's weight.
	fn check_proposal(
		who: &T::AccountId,
		post: PostId,
		track: TrackId,
		call: &CallOf<T>,
	) -> Result<(TrackInfoOf<T>, Weight), DispatchError> {
		let info = Tracks::<T>::get(track).ok_or(Error::<T>::UnknownTrack)?;
		ensure!(T::Reputation::post_exists(post), Error::<T>::PostNotFound);
		ensure!(
			T::Reputation::post_authors(post).iter().any(|(author, _)| author == who),
			Error::<T>::NotAuthor
		);
		ensure!(!ProposalOfPost::<T>::contains_key(post), Error::<T>::PostHasProposal);
		ensure!(call.encoded_size() <= T::MaxCallLen::get() as usize, Error::<T>::CallTooLong);
		ensure!(T::TrackCalls::allows(track, call), Error::<T>::CallNotAllowed);
		let call_weight = call.get_dispatch_info().call_weight;
		ensure!(!call_weight.any_gt(T::MaxCallWeight::get()), Error::<T>::CallTooHeavy);
		ensure!(ActiveProposals::<T>::get(track) < info.max_active, Error::<T>::TooManyProposals);
		ensure!(
			ActiveByProposer::<T>::get(track, who) < T::MaxActivePerProposer::get(),
			Error::<T>::TooManyProposalsByCaller
		);
		Ok((info, call_weight))
	}

	/// `propose`: checks, holds the deposit, keeps the call and opens the pool.
	pub(crate) fn do_propose(
		who: &T::AccountId,
		post: PostId,
		track: TrackId,
		call: CallOf<T>,
	) -> Result<ProposalId, DispatchError> {
		let (info, call_weight) = Self::check_proposal(who, post, track, &call)?;
		let id = NextProposalId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::IdsExhausted)?;
		T::Currency::hold(&HoldReason::ProposalDeposit.into(), who, info.deposit)
			.map_err(|_| Error::<T>::CannotHoldDeposit)?;
		let bounded = Self::keep_call(call)?;
		let pool =
			T::Reputation::open_pool(who, post, &info.param_set, info.panel_size, info.pool_fee)?;
		let call_hash = bounded.hash();
		Proposals::<T>::insert(
			id,
			ProposalRecord {
				proposer: who.clone(),
				track,
				post,
				pool,
				call: bounded,
				call_weight,
				deposit: info.deposit,
				proposed_at: frame_system::Pallet::<T>::block_number(),
				status: ProposalStatus::Voting,
			},
		);
		NextProposalId::<T>::put(next);
		ProposalOfPost::<T>::insert(post, id);
		ProposalOfPool::<T>::insert(pool, id);
		ActiveProposals::<T>::mutate(track, |n| n.saturating_inc());
		ActiveByProposer::<T>::mutate(track, who, |n| n.saturating_inc());
		Self::deposit_event(Event::Proposed {
			proposal: id,
			track,
			post,
			pool,
			proposer: who.clone(),
			call_hash,
		});
		Ok(id)
	}

	/// Keeps `call` as a bounded preimage: inline if short, else as a requested preimage. A
	/// preimage already stored or requested (by another proposal, or noted by anyone) gets a
	/// request of its own, so each proposal releases only its own.
	fn keep_call(call: CallOf<T>) -> Result<BoundedCallOf<T>, DispatchError> {
		let encoded = call.encode();
		let len = encoded.len() as u32;
		let encoded: Vec<u8> = match BoundedInline::try_from(encoded) {
			Ok(inline) => return Ok(Bounded::Inline(inline)),
			Err(encoded) => encoded,
		};
		let hash = T::Hashing::hash(&encoded);
		let stored = T::Preimages::len(&hash).is_some();
		if stored || T::Preimages::is_requested(&hash) {
			T::Preimages::request(&hash);
		}
		if !stored {
			T::Preimages::note(encoded.into())?;
		}
		Ok(Bounded::Lookup { hash, len })
	}

	/// Drops the proposal's hold on its deposit: returned, or burned if `forfeit`. Returns what
	/// was burned.
	fn settle_deposit(who: &T::AccountId, amount: BalanceOf<T>, forfeit: bool) -> BalanceOf<T> {
		let reason = HoldReason::ProposalDeposit.into();
		let held = T::Currency::balance_on_hold(&reason, who).min(amount);
		if forfeit {
			T::Currency::burn_held(&reason, who, held, Precision::BestEffort, Fortitude::Force)
				.unwrap_or_default()
		} else {
			let _ = T::Currency::release(&reason, who, held, Precision::BestEffort);
			Default::default()
		}
	}

	/// Ends an active proposal with `status`: one fewer active on its track.
	fn finish(proposal: &mut ProposalRecordOf<T>, status: ProposalStatus<BlockNumberFor<T>>) {
		if proposal.status.is_active() {
			ActiveProposals::<T>::mutate(proposal.track, |n| n.saturating_dec());
			ActiveByProposer::<T>::mutate_exists(proposal.track, &proposal.proposer, |n| {
				*n = n.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
			});
		}
		proposal.status = status;
	}

	/// The pool of proposal `id` settled with `verdict` (`bootstrap`: it was pool 0).
	pub(crate) fn on_verdict(id: ProposalId, verdict: Verdict, bootstrap: bool) {
		let Some(mut proposal) = Proposals::<T>::get(id) else { return };
		if proposal.status != ProposalStatus::Voting {
			return;
		}
		let now = frame_system::Pallet::<T>::block_number();
		let event = match (verdict, bootstrap) {
			(_, true) => {
				Self::drop_call(&mut proposal, ProposalStatus::Bootstrap, false);
				Event::BootstrapIgnored { proposal: id }
			},
			(Verdict::Passed, false) => {
				let delay = Tracks::<T>::get(proposal.track)
					.map_or_else(Default::default, |t| t.enactment_delay);
				let at = now.saturating_add(delay).max(now.saturating_add(One::one()));
				match Self::schedule(id, &proposal, at) {
					Ok(()) => {
						Self::settle_deposit(&proposal.proposer, proposal.deposit, false);
						proposal.status = ProposalStatus::Scheduled { at };
						Event::Scheduled { proposal: id, at }
					},
					Err(error) => {
						Self::drop_call(&mut proposal, ProposalStatus::Unschedulable, false);
						Event::Unschedulable { proposal: id, error }
					},
				}
			},
			(Verdict::Failed, false) => {
				let forfeited = Self::drop_call(&mut proposal, ProposalStatus::Rejected, true);
				Event::Rejected { proposal: id, forfeited }
			},
			(Verdict::NoQuorum, false) => {
				Self::drop_call(&mut proposal, ProposalStatus::NoQuorum, false);
				Event::NoQuorum { proposal: id }
			},
		};
		Proposals::<T>::insert(id, proposal);
		Self::deposit_event(event);
	}

	/// Ends a proposal that enacts nothing: returns its deposit (or burns it if `forfeit`),
	/// releases the preimage. Returns what was burned.
	fn drop_call(
		proposal: &mut ProposalRecordOf<T>,
		status: ProposalStatus<BlockNumberFor<T>>,
		forfeit: bool,
	) -> BalanceOf<T> {
		let burned = Self::settle_deposit(&proposal.proposer, proposal.deposit, forfeit);
		T::Preimages::drop(&proposal.call);
		Self::finish(proposal, status);
		burned
	}

	/// The origin a passed proposal of `track` is dispatched with.
	pub(crate) fn track_origin(track: TrackId) -> <T as frame_system::Config>::RuntimeOrigin {
		<T as Config>::RuntimeOrigin::from(Origin::Track(track)).into()
	}

	/// Schedules the enactment of `proposal` at block `at`, dispatched with its track's origin.
	fn schedule(
		id: ProposalId,
		proposal: &ProposalRecordOf<T>,
		at: BlockNumberFor<T>,
	) -> DispatchResult {
		let enact: CallOf<T> =
			Call::<T>::enact { proposal: id, call_weight: proposal.call_weight }.into();
		T::Scheduler::schedule_named(
			Self::task_name(id),
			DispatchTime::At(at),
			None,
			ENACTMENT_PRIORITY,
			Self::track_origin(proposal.track).into_caller(),
			T::Preimages::bound(enact)?,
		)
		.map(|_| ())
	}

	/// `enact`: dispatches the call of `id` with `track`'s origin. Returns the weight the call
	/// used; the call's own failure is reported in the event, not returned.
	pub(crate) fn do_enact(
		track: TrackId,
		id: ProposalId,
		call_weight: Weight,
	) -> Result<Weight, DispatchError> {
		let mut proposal = Proposals::<T>::get(id).ok_or(Error::<T>::UnknownProposal)?;
		ensure!(proposal.track == track, Error::<T>::WrongTrack);
		ensure!(proposal.status.is_scheduled(), Error::<T>::NotScheduled);
		let (result, used) = match T::Preimages::peek(&proposal.call) {
			Ok((call, _)) => {
				let info = call.get_dispatch_info();
				if info.call_weight.any_gt(call_weight) {
					(Err(Error::<T>::EnactmentOverweight.into()), Weight::zero())
				} else if !T::TrackCalls::allows(track, &call) {
					// The allow-list may have narrowed (a runtime upgrade) since the proposal.
					(Err(Error::<T>::CallNotAllowed.into()), Weight::zero())
				} else {
					match call.dispatch(Self::track_origin(track)) {
						Ok(post) => (Ok(()), post.calc_actual_weight(&info)),
						Err(e) => (Err(e.error), e.post_info.calc_actual_weight(&info)),
					}
				}
			},
			Err(e) => (Err(e), Weight::zero()),
		};
		T::Preimages::drop(&proposal.call);
		let now = frame_system::Pallet::<T>::block_number();
		Self::finish(&mut proposal, ProposalStatus::Enacted { at: now, succeeded: result.is_ok() });
		Proposals::<T>::insert(id, proposal);
		Self::deposit_event(Event::Enacted { proposal: id, result });
		Ok(used)
	}

	/// `cancel`: removes the scheduled enactment of `id`.
	pub(crate) fn do_cancel(id: ProposalId) -> DispatchResult {
		let mut proposal = Proposals::<T>::get(id).ok_or(Error::<T>::UnknownProposal)?;
		ensure!(proposal.status.is_scheduled(), Error::<T>::NotScheduled);
		T::Scheduler::cancel_named(Self::task_name(id))?;
		T::Preimages::drop(&proposal.call);
		Self::finish(&mut proposal, ProposalStatus::Cancelled);
		Proposals::<T>::insert(id, proposal);
		Self::deposit_event(Event::Cancelled { proposal: id });
		Ok(())
	}
}

impl<T: Config> PoolOutcomeHandler<T::AccountId> for Pallet<T> {
	fn on_pool_settled(outcome: &PoolOutcome<T::AccountId>) {
		if let Some(id) = ProposalOfPool::<T>::take(outcome.pool) {
			Self::on_verdict(id, outcome.verdict, outcome.bootstrap);
		}
	}

	fn weight() -> Weight {
		T::WeightInfo::on_pool_settled()
	}
}
