//! Offering, changing and withdrawing offers; availability stakes and deposits.

use super::*;
use frame_support::assert_noop;

#[test]
fn an_offer_bonds_its_stake_holds_a_deposit_and_enters_the_index() {
	new_market().execute_with(|| {
		let before = balance(P1);
		offer(P1, 100, 5, 400);
		let o = offer_of(P1);
		assert_eq!(
			(o.id, o.capacity, o.used, o.rate, o.stake, o.committed, o.active),
			(0, 100, 0, 5, 400, 0, 0)
		);
		assert_eq!((free_rep(P1), bonded(P1)), (START_REP - 400, 400));
		assert!(balance(P1) < before, "the deposit is held");
		assert_eq!(OfferProviders::<Test>::get(0, 0), Some(P1));
		assert_eq!(ServiceTypes::<Test>::get(0).unwrap().offers, 1);
		assert!(events().contains(&Event::Offered {
			service_type: 0,
			provider: P1,
			offer: 0,
			capacity: 100,
			rate: 5,
			stake: 400
		}));
		check_invariants();
	});
}

#[test]
fn bad_offers_are_refused_by_name_and_change_nothing() {
	new_market().execute_with(|| {
		let offer_call = |who, ty, capacity, rate, stake| {
			Services::offer(RuntimeOrigin::signed(who), ty, capacity, rate, bytes(b"e"), stake)
		};
		assert_noop!(offer_call(P1, 9, 100, 5, 400), Error::<Test>::UnknownServiceType);
		assert_noop!(offer_call(P1, 0, 0, 5, 400), Error::<Test>::ZeroCapacity);
		assert_noop!(offer_call(P1, 0, 100, 5, MIN_STAKE - 1), Error::<Test>::StakeBelowMinimum);
		assert_noop!(
			offer_call(P1, 0, 100, 5, START_REP + 1),
			pallet_reputation::Error::<Test>::InsufficientRep
		);
		offer(P1, 100, 5, 400);
		assert_noop!(offer_call(P1, 0, 100, 5, 400), Error::<Test>::AlreadyOffering);
	});
}

#[test]
fn an_offer_changes_capacity_rate_and_stake() {
	new_market().execute_with(|| {
		offer(P1, 100, 5, 400);
		assert_ok!(Services::update_offer(RuntimeOrigin::signed(P1), 0, 50, 7, 600));
		let o = offer_of(P1);
		assert_eq!((o.capacity, o.rate, o.stake), (50, 7, 600));
		assert_eq!((free_rep(P1), bonded(P1)), (START_REP - 600, 600));
		check_invariants();
		assert_ok!(Services::update_offer(RuntimeOrigin::signed(P1), 0, 50, 7, 200));
		assert_eq!((free_rep(P1), bonded(P1)), (START_REP - 200, 200));
		check_invariants();
		// The old rate's leaf is gone: a request at rate 5 finds nothing.
		assert_noop!(
			Services::request(
				RuntimeOrigin::signed(CONSUMER),
				0,
				H256::zero(),
				bytes(b"p"),
				1,
				5,
				None
			),
			Error::<Test>::NoProviderWithinRate
		);
	});
}

#[test]
fn capacity_and_stake_never_drop_below_what_is_in_use() {
	new_market().execute_with(|| {
		offer(P1, 100, 5, 400);
		request(CONSUMER, 60, 5, None);
		// 60 of 100 units back the instance with 400 · 60 / 100 = 240 REP.
		assert_eq!(offer_of(P1).committed, 240);
		let update = |capacity, stake| {
			Services::update_offer(RuntimeOrigin::signed(P1), 0, capacity, 5, stake)
		};
		assert_noop!(update(59, 400), Error::<Test>::CapacityInUse);
		assert_noop!(update(0, 400), Error::<Test>::ZeroCapacity);
		assert_noop!(update(100, 239), Error::<Test>::StakeCommitted);
		assert_noop!(update(100, MIN_STAKE - 1), Error::<Test>::StakeBelowMinimum);
		assert_noop!(
			Services::update_offer(RuntimeOrigin::signed(P2), 0, 100, 5, 400),
			Error::<Test>::NoOffer
		);
		assert_ok!(update(60, 240));
		check_invariants();
	});
}

#[test]
fn an_offer_withdraws_only_when_nothing_is_active() {
	new_market().execute_with(|| {
		let before = balance(P1);
		offer(P1, 100, 5, 400);
		let id = request(CONSUMER, 10, 5, None);
		assert_noop!(
			Services::withdraw_offer(RuntimeOrigin::signed(P1), 0),
			Error::<Test>::OfferActive
		);
		assert_noop!(
			Services::withdraw_offer(RuntimeOrigin::signed(P2), 0),
			Error::<Test>::NoOffer
		);
		run_to(System::block_number() + DEADLINE);
		assert_ok!(Services::cancel(RuntimeOrigin::signed(CONSUMER), id));
		assert_ok!(Services::withdraw_offer(RuntimeOrigin::signed(P1), 0));
		assert_eq!(balance(P1), before, "the deposit is released");
		// The stake, less the slashed backing (400 · 10 / 100 = 40), is free again.
		assert_eq!((free_rep(P1), bonded(P1)), (START_REP - 40, 0));
		assert!(Offers::<Test>::get(0, P1).is_none());
		assert_eq!(OfferProviders::<Test>::get(0, 0), None);
		assert_eq!(OfferIndex::<Test>::iter_prefix(0).count(), 0, "the index is empty");
		assert!(events().contains(&Event::OfferWithdrawn { service_type: 0, provider: P1 }));
		check_invariants();
	});
}
