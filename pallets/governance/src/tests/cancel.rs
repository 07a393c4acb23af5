//! The emergency track cancels scheduled enactments; the upgrade track authorizes upgrades.

use super::*;

#[test]
fn the_emergency_track_cancels_a_scheduled_enactment() {
	new_test_ext().execute_with(|| {
		let before = governed_state();
		let target = propose(A, PARAMETERS, set_params_call(b"fast", 3));
		pass(target);
		let ProposalStatus::Scheduled { at } = status(target) else { panic!("not scheduled") };
		let cancel =
			propose(A, EMERGENCY, RuntimeCall::Governance(Call::cancel { proposal: target }));
		// The strict set: quorum 30%, win ratio 66%, a window of 3 blocks, enacted a block
		// after it settles: before the target's enactment.
		assert_ok!(Reputation::claim(RuntimeOrigin::signed(B), pool_of(target)));
		assert_ok!(Reputation::claim(RuntimeOrigin::signed(C), pool_of(target)));
		vote(B, cancel, Side::For, 900);
		vote(C, cancel, Side::For, 900);
		settle(cancel);
		assert!(matches!(status(cancel), ProposalStatus::Scheduled { at: a } if a < at));
		run_to(at);
		assert_eq!(status(target), ProposalStatus::Cancelled);
		assert!(matches!(status(cancel), ProposalStatus::Enacted { succeeded: true, .. }));
		assert!(events().contains(&Event::Cancelled { proposal: target }));
		assert_eq!(governed_state(), before);
		assert_eq!(ActiveProposals::<Test>::get(PARAMETERS), 0);
		assert_eq!(ActiveProposals::<Test>::get(EMERGENCY), 0);
	});
}

#[test]
fn cancelling_what_is_not_scheduled() {
	new_test_ext().execute_with(|| {
		let emergency = RuntimeOrigin::from(Origin::Track(EMERGENCY));
		assert_noop!(Governance::cancel(emergency.clone(), 5), Error::<Test>::UnknownProposal);
		let id = propose(A, PARAMETERS, set_params_call(b"fast", 3));
		assert_noop!(Governance::cancel(emergency.clone(), id), Error::<Test>::NotScheduled);
		pass(id);
		// Other tracks and signed accounts may not cancel.
		assert_noop!(
			Governance::cancel(RuntimeOrigin::from(Origin::Track(PARAMETERS)), id),
			DispatchError::BadOrigin
		);
		assert_noop!(Governance::cancel(RuntimeOrigin::signed(A), id), DispatchError::BadOrigin);
		assert_ok!(Governance::cancel(emergency.clone(), id));
		assert_noop!(Governance::cancel(emergency, id), Error::<Test>::NotScheduled);
		// Root (a chain with a sudo key) may cancel too.
		let other = propose(A, PARAMETERS, set_params_call(b"other", 3));
		assert_ok!(Reputation::claim(RuntimeOrigin::signed(B), pool_of(id)));
		assert_ok!(Reputation::claim(RuntimeOrigin::signed(C), pool_of(id)));
		pass(other);
		assert_ok!(Governance::cancel(RuntimeOrigin::root(), other));
	});
}

#[test]
fn the_upgrade_track_authorizes_an_upgrade() {
	new_test_ext().execute_with(|| {
		let code_hash = H256::repeat_byte(7);
		let id =
			propose(A, UPGRADE, RuntimeCall::Governance(Call::authorize_upgrade { code_hash }));
		pass(id);
		let ProposalStatus::Scheduled { at } = status(id) else { panic!("not scheduled") };
		run_to(at);
		let authorized = System::authorized_upgrade().unwrap();
		assert_eq!(*authorized.code_hash(), code_hash);
		// No other origin may.
		assert_noop!(
			Governance::authorize_upgrade(
				RuntimeOrigin::from(Origin::Track(PARAMETERS)),
				code_hash
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Governance::authorize_upgrade(RuntimeOrigin::signed(A), code_hash),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn track_origins_reach_only_what_the_runtime_grants_them() {
	new_test_ext().execute_with(|| {
		// The parameters track's origin may store parameter sets (the mock's `ParamsOrigin`)...
		assert_ok!(Reputation::set_parameter_set(
			RuntimeOrigin::from(Origin::Track(PARAMETERS)),
			set_name(b"p"),
			default_params()
		));
		// ...the emergency track's may not.
		assert_noop!(
			Reputation::set_parameter_set(
				RuntimeOrigin::from(Origin::Track(EMERGENCY)),
				set_name(b"p"),
				default_params()
			),
			DispatchError::BadOrigin
		);
	});
}
