//! Fees: shared pro rata to free REP through the accumulator, claimed in O(1).

use super::*;
use frame_support::{assert_noop, traits::fungible::Inspect};

#[test]
fn fees_are_shared_pro_rata_to_free_rep() {
	new_test_ext_with(vec![(A, 1000), (B, 3000)]).execute_with(|| {
		let post = solo(D, &[]);
		let before = Balances::balance(&E);
		open(E, post, 1000 + ED);
		assert_eq!(Balances::balance(&E), before - 1000 - ED);
		// The first fee leaves the existential deposit in the pot.
		assert_eq!(Reputation::pot_balance(), (1000 + ED) as u128);
		assert_eq!(Reputation::claimable_fees(&A), 250);
		assert_eq!(Reputation::claimable_fees(&B), 750);
		assert!(events().contains(&Event::FeesDistributed {
			pool: 0,
			distributed: 1000,
			undistributed: 0
		}));
		assert_eq!(check_invariants(), 0);

		let a_before = Balances::balance(&A);
		assert_ok!(Reputation::claim_fees(RuntimeOrigin::signed(A)));
		assert_eq!(Balances::balance(&A), a_before + 250);
		assert!(events().contains(&Event::FeesClaimed { who: A, amount: 250 }));
		assert_noop!(
			Reputation::claim_fees(RuntimeOrigin::signed(A)),
			Error::<Test>::NoFeesToClaim
		);
		assert_ok!(Reputation::claim_fees(RuntimeOrigin::signed(B)));
		assert_eq!(Reputation::pot_balance(), ED as u128);
		assert_eq!(check_invariants(), 0);
	});
}

#[test]
fn fees_wait_when_nobody_holds_rep() {
	new_test_ext().execute_with(|| {
		let post = solo(A, &[]);
		let pool = open(E, post, 100);
		assert_eq!(UndistributedFees::<Test>::get(), 95);
		settle(pool);
		// A now holds all REP and receives both fees (but none of them earned before it held
		// REP... there was nobody else to pay).
		let post2 = solo(B, &[]);
		open(E, post2, 100);
		assert_eq!(UndistributedFees::<Test>::get(), 0);
		assert_eq!(Reputation::claimable_fees(&A), 195);
		assert_eq!(check_invariants(), 0);
	});
}

#[test]
fn staked_rep_and_new_rep_earn_no_fees() {
	new_test_ext_with(vec![(A, 1000), (B, 1000)]).execute_with(|| {
		bootstrap();
		let a0 = Reputation::claimable_fees(&A);
		let b0 = Reputation::claimable_fees(&B);
		let post = solo(D, &[]);
		let pool = open(E, post, 100);
		assert_eq!(Reputation::claimable_fees(&A) - a0, 50);
		stake(A, pool, Side::For, 1000);
		let post2 = solo(D, &[]);
		open(E, post2, 100);
		// A's REP is staked: B gets the whole fee.
		assert_eq!(Reputation::claimable_fees(&A) - a0, 50);
		assert_eq!(Reputation::claimable_fees(&B) - b0, 150);
		settle(pool);
		// D's new REP did not exist when the fees were paid.
		assert_eq!(Reputation::claimable_fees(&D), 0);
		check_invariants();
	});
}

#[test]
fn rounding_favours_the_pot() {
	new_test_ext_with(vec![(A, 1), (B, 1), (C, 1)]).execute_with(|| {
		let post = solo(D, &[]);
		open(E, post, 10 + ED);
		// 10 over 3 REP: each gets 3; the pot keeps the unit of dust.
		for who in [A, B, C] {
			assert_eq!(Reputation::claimable_fees(&who), 3);
		}
		assert_eq!(UndistributedFees::<Test>::get(), 0);
		assert_eq!(check_invariants(), 1);
		// A's REP changes: its debt is rounded up, so what it has accrued never exceeds its
		// share and the pot keeps the rounding.
		let pool = NextPoolId::<Test>::get() - 1;
		stake(A, pool, Side::For, 1);
		open(E, post, 11);
		for who in [A, B, C] {
			assert_ok!(Reputation::claim_fees(RuntimeOrigin::signed(who)));
		}
		let dust = check_invariants();
		assert!(dust <= 4, "dust {dust}");
	});
}
