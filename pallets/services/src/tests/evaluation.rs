//! Evaluation and compensation: results, panel verdicts, payment, refunds, slashes,
//! cancellation and closing.

use super::*;
use frame_support::assert_noop;

/// P1 offers 100 units at rate 5 with a stake of 400; the consumer requests 10 units:
/// F = 50, backing 40. Returns the instance.
fn one_instance() -> InstanceId {
	offer(P1, 100, 5, 400);
	request(CONSUMER, 10, 5, None)
}

#[test]
fn a_result_opens_a_backed_panel_pool_on_an_evidence_post() {
	new_market().execute_with(|| {
		let id = one_instance();
		let before = balance(P1);
		let pool = submit(id);
		let record = Pools::<Test>::get(pool).unwrap();
		assert_eq!(record.backing, Some((P1, 40)));
		assert_eq!(record.fee, 10, "max(10% of 50, the minimum fee 10)");
		assert_eq!(record.panel.as_ref().unwrap().len(), 3);
		assert!(!record.panel.unwrap().contains(&P1), "the provider is not on its panel");
		let InstanceStatus::Evaluating { post, .. } = status(id) else { panic!() };
		assert_eq!(
			<Reputation as gpow_primitives_reputation::Forum<AccountId, H256>>::post_authors(post),
			vec![(P1, Perbill::one())]
		);
		assert!(balance(P1) < before - 10, "the provider paid the fee and the post deposit");
		// The backing left the offer's stake and the bond.
		assert_eq!((offer_of(P1).stake, offer_of(P1).committed, bonded(P1)), (360, 0, 360));
		assert_eq!(PoolInstances::<Test>::get(pool), Some(id));
		check_invariants();
	});
}

#[test]
fn a_pass_pays_the_provider_and_the_author_and_releases_capacity() {
	new_market().execute_with(|| {
		let id = one_instance();
		let consumer_before = balance(CONSUMER);
		let pool = submit(id);
		let (provider_before, author_before) = (balance(P1), balance(AUTHOR));
		let rep_before = free_rep(P1);
		judge(pool, Side::For);
		assert_eq!(status(id), InstanceStatus::Completed);
		assert_eq!(balance(P1), provider_before + 45, "F minus the author's 10%");
		assert_eq!(balance(AUTHOR), author_before + 5);
		assert_eq!(escrow_of(CONSUMER), 0);
		assert_eq!(balance(CONSUMER), consumer_before, "the fee left escrow, not free funds");
		assert!(events().contains(&Event::Paid {
			instance: id,
			provider_amount: 45,
			author_amount: 5
		}));
		// The backing came back to the offer's stake (with winnings), the post was credited.
		assert!(offer_of(P1).stake >= 400);
		assert_eq!(offer_of(P1).stake, bonded(P1));
		assert!(free_rep(P1) > rep_before, "the pool minted REP for the evidence post");
		assert_eq!((offer_of(P1).used, offer_of(P1).active), (0, 0));
		assert_eq!(PoolInstances::<Test>::get(pool), None);
		check_invariants();
	});
}

#[test]
fn a_fail_refunds_the_consumer_and_forfeits_the_backing() {
	new_market().execute_with(|| {
		let id = one_instance();
		let consumer_before = balance(CONSUMER);
		let pool = submit(id);
		judge(pool, Side::Against);
		assert_eq!(
			pallet_reputation::Pallet::<Test>::pool_info(pool).unwrap().status,
			gpow_primitives_reputation::PoolStatus::Settled {
				verdict: Verdict::Failed,
				member_winnings: Pools::<Test>::get(pool)
					.map(|p| match p.state {
						pallet_reputation::PoolState::Settled { member_winnings, .. } =>
							member_winnings,
						_ => 0,
					})
					.unwrap(),
			}
		);
		assert_eq!(status(id), InstanceStatus::Failed);
		assert_eq!(balance(CONSUMER), consumer_before + 50, "F is refunded in full");
		assert_eq!(escrow_of(CONSUMER), 0);
		// Binding 100%: the 40 REP backing is lost.
		assert_eq!((offer_of(P1).stake, bonded(P1)), (360, 360));
		assert_eq!((offer_of(P1).used, offer_of(P1).active), (0, 0));
		assert!(events().contains(&Event::Refunded {
			instance: id,
			amount: 50,
			status: InstanceStatus::Failed
		}));
		check_invariants();
	});
}

#[test]
fn no_quorum_refunds_without_a_slash() {
	new_market().execute_with(|| {
		let id = one_instance();
		let consumer_before = balance(CONSUMER);
		let pool = submit(id);
		run_to(Pools::<Test>::get(pool).unwrap().ends_at);
		assert_ok!(Reputation::settle(RuntimeOrigin::signed(CONSUMER), pool));
		assert_eq!(status(id), InstanceStatus::Unjudged);
		assert_eq!(balance(CONSUMER), consumer_before + 50);
		assert_eq!((offer_of(P1).stake, bonded(P1)), (400, 400));
		check_invariants();
	});
}

#[test]
fn a_missed_deadline_is_cancelled_with_a_refund_and_a_slash() {
	new_market().execute_with(|| {
		let id = one_instance();
		let consumer_before = balance(CONSUMER);
		let supply_before = supply();
		run_to(System::block_number() + DEADLINE - 1);
		assert_noop!(
			Services::cancel(RuntimeOrigin::signed(CONSUMER), id),
			Error::<Test>::DeadlineNotReached
		);
		run_to(System::block_number() + 1);
		assert_noop!(Services::cancel(RuntimeOrigin::signed(P1), id), Error::<Test>::NotConsumer);
		assert_noop!(
			Services::submit_result(RuntimeOrigin::signed(P1), id, H256::zero(), H256::zero()),
			Error::<Test>::DeadlinePassed
		);
		assert_ok!(Services::cancel(RuntimeOrigin::signed(CONSUMER), id));
		assert_eq!(status(id), InstanceStatus::Cancelled);
		assert_eq!(balance(CONSUMER), consumer_before + 50);
		assert_eq!(supply(), supply_before - 40, "the backing is burned");
		assert_eq!((offer_of(P1).stake, offer_of(P1).committed, bonded(P1)), (360, 0, 360));
		assert!(events().contains(&Event::Slashed { instance: id, provider: P1, amount: 40 }));
		assert_noop!(
			Services::cancel(RuntimeOrigin::signed(CONSUMER), id),
			Error::<Test>::NotAssigned
		);
		check_invariants();
	});
}

#[test]
fn the_provider_declines_in_the_first_half_with_a_refund_and_no_slash() {
	new_market().execute_with(|| {
		let id = one_instance();
		let consumer_before = balance(CONSUMER);
		let supply_before = supply();
		let requested_at = System::block_number();
		assert_eq!((offer_of(P1).used, offer_of(P1).committed), (10, 40));
		assert_noop!(
			Services::decline(RuntimeOrigin::signed(CONSUMER), id),
			Error::<Test>::NotProvider
		);
		assert_noop!(
			Services::decline(RuntimeOrigin::signed(P1), 9),
			Error::<Test>::UnknownInstance
		);
		run_to(requested_at + DEADLINE / 2 - 1);
		assert_ok!(Services::decline(RuntimeOrigin::signed(P1), id));
		assert_eq!(status(id), InstanceStatus::Declined);
		assert_eq!(balance(CONSUMER), consumer_before + 50, "the fee is refunded");
		assert_eq!(supply(), supply_before, "nothing is burned");
		let offer = offer_of(P1);
		assert_eq!(
			(offer.stake, offer.committed, offer.used, offer.active, bonded(P1)),
			(400, 0, 0, 0, 400)
		);
		assert!(events().contains(&Event::Refunded {
			instance: id,
			amount: 50,
			status: InstanceStatus::Declined
		}));
		assert_noop!(Services::decline(RuntimeOrigin::signed(P1), id), Error::<Test>::NotAssigned);
		assert_ok!(Services::close_instance(RuntimeOrigin::signed(CONSUMER), id));
		check_invariants();
	});
}

#[test]
fn declining_ends_at_half_time_and_once_a_result_is_in() {
	new_market().execute_with(|| {
		let late = one_instance();
		let early = request(CONSUMER, 10, 5, None);
		submit(early);
		assert_noop!(
			Services::decline(RuntimeOrigin::signed(P1), early),
			Error::<Test>::NotAssigned
		);
		run_to(System::block_number() + DEADLINE / 2);
		assert_noop!(
			Services::decline(RuntimeOrigin::signed(P1), late),
			Error::<Test>::DeclineWindowClosed
		);
		assert_eq!(status(late), InstanceStatus::Assigned);
		check_invariants();
	});
}

#[test]
fn bad_results_are_refused_by_name_and_change_nothing() {
	new_market().execute_with(|| {
		let id = one_instance();
		let submit_as = |who| {
			Services::submit_result(RuntimeOrigin::signed(who), id, H256::zero(), H256::zero())
		};
		assert_noop!(submit_as(P2), Error::<Test>::NotProvider);
		assert_noop!(
			Services::submit_result(RuntimeOrigin::signed(P1), 9, H256::zero(), H256::zero()),
			Error::<Test>::UnknownInstance
		);
		submit(id);
		assert_noop!(submit_as(P1), Error::<Test>::NotAssigned);
		assert_noop!(
			Services::cancel(RuntimeOrigin::signed(CONSUMER), id),
			Error::<Test>::NotAssigned
		);
	});
}

#[test]
fn a_finished_instance_is_closed_by_its_consumer() {
	new_market().execute_with(|| {
		let before = balance(CONSUMER);
		let id = one_instance();
		assert_noop!(
			Services::close_instance(RuntimeOrigin::signed(CONSUMER), id),
			Error::<Test>::InstanceActive
		);
		let pool = submit(id);
		judge(pool, Side::Against);
		assert_noop!(
			Services::close_instance(RuntimeOrigin::signed(P1), id),
			Error::<Test>::NotConsumer
		);
		assert_ok!(Services::close_instance(RuntimeOrigin::signed(CONSUMER), id));
		assert_eq!(balance(CONSUMER), before, "fee refunded, deposit released");
		assert!(Instances::<Test>::get(id).is_none());
		assert_noop!(
			Services::close_instance(RuntimeOrigin::signed(CONSUMER), id),
			Error::<Test>::UnknownInstance
		);
		check_invariants();
	});
}

#[test]
fn a_consumer_holding_rep_never_judges_its_own_instance() {
	let mut members: Vec<(AccountId, Rep)> =
		VALIDATORS.iter().chain([P1].iter()).map(|who| (*who, START_REP)).collect();
	// The consumer holds ~40% of the free REP: without the exclusion it would sit on most panels.
	members.push((CONSUMER, 5 * START_REP));
	new_test_ext_with(members).execute_with(|| {
		bootstrap();
		register(terms());
		offer(P1, 1_000, 5, 900);
		for round in 0..6u8 {
			System::set_parent_hash(H256::repeat_byte(round));
			let pool = submit(request(CONSUMER, 1, 5, None));
			let panel = Pools::<Test>::get(pool).unwrap().panel.unwrap();
			assert!(!panel.contains(&CONSUMER), "the consumer sat on panel {panel:?}");
			assert!(!panel.contains(&P1), "the provider sat on panel {panel:?}");
		}
	});
}
