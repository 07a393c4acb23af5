//! Proposing: what is stored and held, and every error, with nothing changed by a refused call.

use super::*;

#[test]
fn propose_holds_the_deposit_keeps_the_call_and_opens_a_pool() {
	new_test_ext().execute_with(|| {
		let free = Balances::balance(&A);
		let post = post_by(A);
		let free_after_post = Balances::balance(&A);
		let call = set_params_call(b"fast", 3);
		let pool = NextPoolId::<Test>::get();
		assert_ok!(Governance::propose(
			RuntimeOrigin::signed(A),
			post,
			PARAMETERS,
			Box::new(call.clone())
		));
		let p = Proposals::<Test>::get(0).unwrap();
		assert_eq!(p.proposer, A);
		assert_eq!(p.post, post);
		assert_eq!(p.pool, pool);
		assert_eq!(p.status, ProposalStatus::Voting);
		assert_eq!(p.call, Bounded::Inline(call.encode().try_into().unwrap()));
		assert_eq!(held(A), DEPOSIT);
		// The deposit is held and the pool fee paid.
		assert_eq!(Balances::balance(&A), free_after_post - DEPOSIT - POOL_FEE);
		assert!(free > free_after_post);
		assert_eq!(ActiveProposals::<Test>::get(PARAMETERS), 1);
		assert_eq!(ProposalOfPost::<Test>::get(post), Some(0));
		assert_eq!(ProposalOfPool::<Test>::get(pool), Some(0));
		let pool_record = pallet_reputation::Pools::<Test>::get(pool).unwrap();
		assert_eq!(pool_record.post, post);
		assert_eq!(pool_record.params, default_params());
		assert_eq!(
			events().last(),
			Some(&Event::Proposed {
				proposal: 0,
				track: PARAMETERS,
				post,
				pool,
				proposer: A,
				call_hash: <Test as frame_system::Config>::Hashing::hash(&call.encode()),
			})
		);
	});
}

#[test]
fn a_long_call_is_kept_as_a_requested_preimage() {
	new_test_ext().execute_with(|| {
		let call = parameter_batch(6);
		assert!(call.encoded_size() > 128);
		let hash = <Test as frame_system::Config>::Hashing::hash(&call.encode());
		let id = propose(A, PARAMETERS, call.clone());
		assert!(matches!(Proposals::<Test>::get(id).unwrap().call, Bounded::Lookup { .. }));
		assert!(preimage_stored(hash));
		assert!(<Preimage as QueryPreimage>::is_requested(&hash));
		// A second proposal of the same call holds a request of its own: dropping the first
		// keeps the preimage for the second.
		let second = propose(B, PARAMETERS, call);
		vote(C, id, Side::Against, 900);
		vote(A, second, Side::For, 500);
		vote(B, second, Side::For, 500);
		settle(id);
		assert_eq!(status(id), ProposalStatus::Rejected);
		assert!(preimage_stored(hash));
		settle(second);
		assert!(matches!(status(second), ProposalStatus::Scheduled { .. }));
		run_to(System::block_number() + DELAY);
		assert!(matches!(status(second), ProposalStatus::Enacted { succeeded: true, .. }));
		assert!(!preimage_stored(hash));
	});
}

#[test]
fn unknown_track() {
	new_test_ext().execute_with(|| {
		let post = post_by(A);
		assert_refused(A, post, 7, set_params_call(b"x", 3), Error::<Test>::UnknownTrack);
	});
}

#[test]
fn unknown_post() {
	new_test_ext().execute_with(|| {
		assert_refused(A, 42, PARAMETERS, set_params_call(b"x", 3), Error::<Test>::PostNotFound);
	});
}

#[test]
fn only_an_author_may_propose() {
	new_test_ext().execute_with(|| {
		let post = post_by(A);
		assert_refused(B, post, PARAMETERS, set_params_call(b"x", 3), Error::<Test>::NotAuthor);
	});
}

#[test]
fn a_post_carries_one_proposal() {
	new_test_ext().execute_with(|| {
		let post = post_by(A);
		assert_ok!(Governance::propose(
			RuntimeOrigin::signed(A),
			post,
			PARAMETERS,
			Box::new(set_params_call(b"x", 3))
		));
		assert_refused(
			A,
			post,
			PARAMETERS,
			set_params_call(b"y", 3),
			Error::<Test>::PostHasProposal,
		);
	});
}

#[test]
fn a_call_outside_the_allow_list_is_refused_and_nothing_is_held() {
	new_test_ext().execute_with(|| {
		let post = post_by(A);
		let free = Balances::balance(&A);
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
			dest: B,
			value: 1,
		});
		// On its own, on the wrong track, inside each kind of batch, and nested.
		let batch =
			|calls: Vec<RuntimeCall>| RuntimeCall::Utility(pallet_utility::Call::batch { calls });
		let force = |calls: Vec<RuntimeCall>| {
			RuntimeCall::Utility(pallet_utility::Call::force_batch { calls })
		};
		let refused = [
			(PARAMETERS, transfer.clone()),
			(UPGRADE, set_params_call(b"x", 3)),
			(PARAMETERS, batch(vec![set_params_call(b"x", 3), transfer.clone()])),
			(PARAMETERS, force(vec![transfer.clone()])),
			(PARAMETERS, batch(vec![batch(vec![set_params_call(b"x", 3), transfer.clone()])])),
			(
				PARAMETERS,
				RuntimeCall::Utility(pallet_utility::Call::dispatch_as {
					as_origin: Box::new(frame_system::RawOrigin::Root.into()),
					call: Box::new(set_params_call(b"x", 3)),
				}),
			),
		];
		for (track, call) in refused {
			assert_refused(A, post, track, call, Error::<Test>::CallNotAllowed);
		}
		assert_eq!(Balances::balance(&A), free);
		assert_eq!(held(A), 0);
		assert_eq!(NextProposalId::<Test>::get(), 0);
	});
}

#[test]
fn batches_of_allowed_calls_are_allowed_up_to_the_nesting_limit() {
	new_test_ext().execute_with(|| {
		let mut call = set_params_call(b"x", 3);
		for _ in 0..origin_max_depth() {
			call = RuntimeCall::Utility(pallet_utility::Call::batch { calls: vec![call] });
		}
		propose(A, PARAMETERS, call.clone());
		let too_deep = RuntimeCall::Utility(pallet_utility::Call::batch { calls: vec![call] });
		let post = post_by(A);
		assert_refused(A, post, PARAMETERS, too_deep, Error::<Test>::CallNotAllowed);
	});
}

fn origin_max_depth() -> u32 {
	crate::origin::MAX_BATCH_DEPTH
}

#[test]
fn too_many_active_proposals() {
	new_test_ext().execute_with(|| {
		for who in [A, B, C].into_iter().take(MAX_ACTIVE as usize) {
			propose(who, PARAMETERS, set_params_call(b"x", 3));
		}
		let post = post_by(A);
		assert_refused(
			A,
			post,
			PARAMETERS,
			set_params_call(b"x", 3),
			Error::<Test>::TooManyProposals,
		);
		// Other tracks have caps of their own.
		propose(
			A,
			UPGRADE,
			RuntimeCall::Governance(Call::authorize_upgrade { code_hash: H256::zero() }),
		);
	});
}

#[test]
fn a_deposit_the_caller_cannot_hold() {
	new_test_ext().execute_with(|| {
		// A has REP but, after the post, not enough free currency for the deposit.
		let post = post_by(A);
		let spare = Balances::balance(&A) - DEPOSIT / 2;
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(A), POOR, spare));
		let free = Balances::balance(&A);
		assert_refused(
			A,
			post,
			PARAMETERS,
			set_params_call(b"x", 3),
			Error::<Test>::CannotHoldDeposit,
		);
		assert_eq!(Balances::balance(&A), free);
	});
}

#[test]
fn a_call_over_the_size_limit() {
	new_test_ext().execute_with(|| {
		let call = parameter_batch(40);
		assert!(call.encoded_size() > MAX_CALL_LEN as usize);
		let post = post_by(A);
		assert_refused(A, post, PARAMETERS, call, Error::<Test>::CallTooLong);
	});
}

#[test]
fn a_pool_that_cannot_open_leaves_nothing_behind() {
	new_test_ext().execute_with(|| {
		// The track's pool fee is below its parameter set's minimum fee.
		assert_ok!(Reputation::set_parameter_set(
			RuntimeOrigin::root(),
			set_name(b"gov"),
			PoolParams { min_fee: POOL_FEE + 1, ..default_params() }
		));
		let post = post_by(A);
		let free = Balances::balance(&A);
		assert_refused(
			A,
			post,
			PARAMETERS,
			parameter_batch(6),
			pallet_reputation::Error::<Test>::FeeTooLow,
		);
		assert_eq!(Balances::balance(&A), free);
		assert_eq!(held(A), 0);
	});
}

#[test]
fn unsigned_origins_cannot_propose() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Governance::propose(
				RuntimeOrigin::none(),
				0,
				PARAMETERS,
				Box::new(set_params_call(b"x", 3))
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn one_account_cannot_fill_a_track() {
	new_test_ext().execute_with(|| {
		for _ in 0..MAX_PER_PROPOSER {
			propose(A, PARAMETERS, set_params_call(b"x", 3));
		}
		let post = post_by(A);
		assert_refused(
			A,
			post,
			PARAMETERS,
			set_params_call(b"x", 3),
			Error::<Test>::TooManyProposalsByCaller,
		);
		// Another account, or another track, still may.
		propose(B, PARAMETERS, set_params_call(b"x", 3));
		propose(
			A,
			UPGRADE,
			RuntimeCall::Governance(Call::authorize_upgrade { code_hash: H256::zero() }),
		);
		// Once one of A's proposals ends, A may propose again.
		settle(0);
		assert_eq!(ActiveByProposer::<Test>::get(PARAMETERS, A), 1);
		propose(A, PARAMETERS, set_params_call(b"x", 3));
	});
}

#[test]
fn a_call_too_heavy_to_enact() {
	new_test_ext().execute_with(|| {
		let removals = (0..100u8)
			.map(|i| {
				RuntimeCall::Reputation(pallet_reputation::Call::remove_parameter_set {
					name: set_name(&[i]),
				})
			})
			.collect();
		let call = RuntimeCall::Utility(pallet_utility::Call::batch { calls: removals });
		assert!(call.encoded_size() <= MAX_CALL_LEN as usize);
		let post = post_by(A);
		assert_refused(A, post, PARAMETERS, call, Error::<Test>::CallTooHeavy);
	});
}
