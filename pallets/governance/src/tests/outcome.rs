//! The pool's outcome: passed proposals are scheduled and enacted with the track's origin; failed,
//! unquorate and bootstrap ones enact nothing.

use super::*;

#[test]
fn a_passed_proposal_is_enacted_at_its_block_with_the_track_origin() {
	new_test_ext().execute_with(|| {
		let id = propose(A, PARAMETERS, set_params_call(b"fast", 3));
		pass(id);
		let settled_at = System::block_number();
		let at = settled_at + DELAY;
		assert_eq!(status(id), ProposalStatus::Scheduled { at });
		assert_eq!(events().last(), Some(&Event::Scheduled { proposal: id, at }));
		// The deposit is back; the proposal still counts as active until enacted.
		assert_eq!(held(A), 0);
		assert_eq!(ActiveProposals::<Test>::get(PARAMETERS), 1);
		run_to(at - 1);
		assert!(ParameterSets::<Test>::get(set_name(b"fast")).is_none());
		run_to(at);
		assert_eq!(ParameterSets::<Test>::get(set_name(b"fast")).unwrap().duration, 3);
		assert_eq!(status(id), ProposalStatus::Enacted { at, succeeded: true });
		assert_eq!(events().last(), Some(&Event::Enacted { proposal: id, result: Ok(()) }));
		assert_eq!(ActiveProposals::<Test>::get(PARAMETERS), 0);
	});
}

#[test]
fn a_failing_call_is_reported_and_does_not_block_the_scheduler() {
	new_test_ext().execute_with(|| {
		// Removing a parameter set that does not exist fails when enacted.
		let bad = RuntimeCall::Reputation(pallet_reputation::Call::remove_parameter_set {
			name: set_name(b"missing"),
		});
		let first = propose(A, PARAMETERS, bad);
		let second = propose(A, PARAMETERS, set_params_call(b"after", 4));
		vote(B, first, Side::For, 400);
		vote(B, second, Side::For, 400);
		vote(C, first, Side::For, 400);
		vote(C, second, Side::For, 400);
		settle(first);
		settle(second);
		let at = System::block_number() + DELAY;
		run_to(at);
		assert_eq!(status(first), ProposalStatus::Enacted { at, succeeded: false });
		assert!(events().contains(&Event::Enacted {
			proposal: first,
			result: Err(pallet_reputation::Error::<Test>::UnknownParameterSet.into()),
		}));
		assert_eq!(status(second), ProposalStatus::Enacted { at, succeeded: true });
		assert!(ParameterSets::<Test>::get(set_name(b"after")).is_some());
	});
}

#[test]
fn a_failed_vote_changes_nothing_and_forfeits_the_deposit() {
	new_test_ext().execute_with(|| {
		let before = governed_state();
		let issuance = Balances::total_issuance();
		let call = parameter_batch(6);
		let hash = <Test as frame_system::Config>::Hashing::hash(&call.encode());
		let id = propose(A, PARAMETERS, call);
		let issuance_after_propose = Balances::total_issuance();
		vote(B, id, Side::Against, 600);
		settle(id);
		assert_eq!(verdict(id), Some(Verdict::Failed));
		assert_eq!(status(id), ProposalStatus::Rejected);
		assert_eq!(events().last(), Some(&Event::Rejected { proposal: id, forfeited: DEPOSIT }));
		assert_eq!(held(A), 0);
		assert_eq!(Balances::total_issuance(), issuance_after_propose - DEPOSIT);
		assert!(issuance > Balances::total_issuance());
		assert!(!preimage_stored(hash));
		assert_eq!(ActiveProposals::<Test>::get(PARAMETERS), 0);
		run_to(System::block_number() + 3 * DELAY);
		assert_eq!(governed_state(), before);
	});
}

#[test]
fn no_quorum_enacts_nothing_and_returns_the_deposit() {
	new_test_ext().execute_with(|| {
		let before = governed_state();
		let id = propose(A, PARAMETERS, set_params_call(b"fast", 3));
		let free = Balances::balance(&A);
		assert_eq!(held(A), DEPOSIT);
		settle(id);
		assert_eq!(verdict(id), Some(Verdict::NoQuorum));
		assert_eq!(status(id), ProposalStatus::NoQuorum);
		assert_eq!(events().last(), Some(&Event::NoQuorum { proposal: id }));
		// The deposit is back.
		assert_eq!(Balances::balance(&A), free + DEPOSIT);
		assert_eq!(held(A), 0);
		run_to(System::block_number() + 3 * DELAY);
		assert_eq!(governed_state(), before);
	});
}

#[test]
fn the_bootstrap_pool_never_enacts() {
	// No pool has been opened: the proposal's pool is pool 0, which always passes.
	new_test_ext_with(vec![(A, START_REP)]).execute_with(|| {
		let before = governed_state();
		let id = propose(A, PARAMETERS, set_params_call(b"fast", 3));
		assert_eq!(pool_of(id), 0);
		settle(id);
		assert_eq!(verdict(id), Some(Verdict::Passed));
		assert_eq!(status(id), ProposalStatus::Bootstrap);
		assert_eq!(events().last(), Some(&Event::BootstrapIgnored { proposal: id }));
		assert_eq!(held(A), 0);
		run_to(System::block_number() + 3 * DELAY);
		assert_eq!(governed_state(), before);
		assert_eq!(ActiveProposals::<Test>::get(PARAMETERS), 0);
	});
}

#[test]
fn only_the_scheduler_with_the_track_origin_enacts() {
	new_test_ext().execute_with(|| {
		let id = propose(A, PARAMETERS, set_params_call(b"fast", 3));
		let weight = Proposals::<Test>::get(id).unwrap().call_weight;
		assert_noop!(
			Governance::enact(RuntimeOrigin::signed(A), id, weight),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Governance::enact(RuntimeOrigin::root(), id, weight),
			DispatchError::BadOrigin
		);
		let track = |t| RuntimeOrigin::from(Origin::Track(t));
		// Not scheduled yet.
		assert_noop!(Governance::enact(track(PARAMETERS), id, weight), Error::<Test>::NotScheduled);
		pass(id);
		assert_noop!(Governance::enact(track(UPGRADE), id, weight), Error::<Test>::WrongTrack);
		assert_noop!(
			Governance::enact(track(PARAMETERS), 9, weight),
			Error::<Test>::UnknownProposal
		);
	});
}

#[test]
fn a_call_heavier_than_scheduled_is_not_dispatched() {
	new_test_ext().execute_with(|| {
		let id = propose(A, PARAMETERS, set_params_call(b"fast", 3));
		pass(id);
		let origin = RuntimeOrigin::from(Origin::Track(PARAMETERS));
		assert_ok!(Governance::enact(origin, id, Weight::zero()));
		assert_eq!(
			events().last(),
			Some(&Event::Enacted {
				proposal: id,
				result: Err(Error::<Test>::EnactmentOverweight.into())
			})
		);
		assert!(ParameterSets::<Test>::get(set_name(b"fast")).is_none());
	});
}

#[test]
fn a_full_agenda_makes_a_passed_proposal_unschedulable() {
	new_test_ext().execute_with(|| {
		// The mock's scheduler takes 2 tasks per block: the third enactment for the same block
		// is refused.
		let ids: Vec<_> = [A, B, C]
			.iter()
			.map(|who| propose(*who, PARAMETERS, set_params_call(b"x", 3)))
			.collect();
		for id in &ids {
			vote(B, *id, Side::For, 300);
			vote(C, *id, Side::For, 300);
		}
		for id in &ids {
			settle(*id);
		}
		assert!(matches!(status(ids[0]), ProposalStatus::Scheduled { .. }));
		assert!(matches!(status(ids[1]), ProposalStatus::Scheduled { .. }));
		assert_eq!(status(ids[2]), ProposalStatus::Unschedulable);
		assert!(
			matches!(events().last(), Some(Event::Unschedulable { proposal, .. }) if *proposal == ids[2])
		);
		assert_eq!(held(C), 0);
		assert_eq!(ActiveProposals::<Test>::get(PARAMETERS), 2);
		assert_eq!(ActiveByProposer::<Test>::get(PARAMETERS, C), 0);
	});
}

#[test]
fn a_call_the_allow_list_no_longer_admits_is_not_dispatched() {
	new_test_ext().execute_with(|| {
		let id = propose(A, PARAMETERS, set_params_call(b"fast", 3));
		pass(id);
		// The allow-list narrows (as a runtime upgrade could) before the enactment.
		REFUSED_NAMES.with(|r| r.borrow_mut().push(set_name(b"fast")));
		let ProposalStatus::Scheduled { at } = status(id) else { panic!("not scheduled") };
		run_to(at);
		assert_eq!(status(id), ProposalStatus::Enacted { at, succeeded: false });
		assert!(events().contains(&Event::Enacted {
			proposal: id,
			result: Err(Error::<Test>::CallNotAllowed.into()),
		}));
		assert!(ParameterSets::<Test>::get(set_name(b"fast")).is_none());
	});
}
