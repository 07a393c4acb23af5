//! Availability bonds and pools backed by them.

use super::*;
use frame_support::assert_noop;
use gpow_primitives_reputation::{AvailabilityBonds, ReputationLedger, ValidationPools};

/// A, B, C and D hold 1000 REP each; the bootstrap pool is settled and D has bonded 500 REP and
/// authored a post, which `test` receives.
fn with_bonded_author(test: impl FnOnce(PostId)) {
	new_test_ext_with(vec![(A, 1000), (B, 1000), (C, 1000), (D, 1000)]).execute_with(|| {
		bootstrap();
		assert_ok!(<Reputation as AvailabilityBonds<AccountId>>::bond(&D, 500));
		let post = solo(D, &[]);
		test(post)
	})
}

/// Opens a pool on `post` (fee 100, minting 50 for and 50 against) backed by `backing` of D's
/// bond.
fn open_backed(post: PostId, backing: Rep) -> Result<PoolId, sp_runtime::DispatchError> {
	<Reputation as ValidationPools<AccountId, u64>>::open_backed_pool(
		&E,
		post,
		&default_param_set(),
		0,
		100,
		&D,
		backing,
		&[],
	)
}

#[test]
fn bonding_moves_free_rep_aside_and_back() {
	with_bonded_author(|_| {
		assert_eq!((free(D), bonded(D)), (500, 500));
		assert_eq!(Reputation::rep_info(&D).bonded, 500);
		assert_eq!(<Reputation as ReputationLedger<AccountId>>::rep_of(&D), 1000);
		// Bonded REP is not in the sortition tree and cannot be staked.
		assert_eq!(TotalFree::<Test>::get(), free(A) + free(B) + free(C) + 500 + free(E));
		check_invariants();

		assert_ok!(<Reputation as AvailabilityBonds<AccountId>>::unbond(&D, 200));
		assert_eq!((free(D), bonded(D)), (700, 300));
		assert!(events().contains(&Event::Unbonded { who: D, amount: 200 }));
		check_invariants();
	});
}

#[test]
fn bonding_more_than_free_or_unbonding_more_than_bonded_changes_nothing() {
	with_bonded_author(|_| {
		assert_noop!(
			<Reputation as AvailabilityBonds<AccountId>>::bond(&D, 501),
			Error::<Test>::InsufficientRep
		);
		assert_noop!(
			<Reputation as AvailabilityBonds<AccountId>>::unbond(&D, 501),
			Error::<Test>::InsufficientBond
		);
	});
}

#[test]
fn a_slash_burns_the_bond_and_the_supply() {
	with_bonded_author(|_| {
		let before = supply();
		assert_eq!(<Reputation as AvailabilityBonds<AccountId>>::slash_bond(&D, 200), 200);
		assert_eq!((free(D), bonded(D)), (500, 300));
		assert_eq!(supply(), before - 200);
		// A slash takes at most the bond.
		assert_eq!(<Reputation as AvailabilityBonds<AccountId>>::slash_bond(&D, 1000), 300);
		assert_eq!(bonded(D), 0);
		assert!(events().contains(&Event::BondSlashed { who: D, amount: 300 }));
		check_invariants();
	});
}

#[test]
fn a_backing_larger_than_the_bond_opens_nothing() {
	with_bonded_author(|post| {
		assert_noop!(open_backed(post, 501), Error::<Test>::InsufficientBond);
	});
}

#[test]
fn a_backing_alone_does_not_make_the_quorum() {
	with_bonded_author(|post| {
		let pool = open_backed(post, 500).unwrap();
		assert_eq!(bonded(D), 0);
		assert_eq!(staked(D), 500);
		check_invariants();
		run_to(WINDOW + 1);
		settle(pool);
		// 500 of ~4,100 REP is over the 10% quorum, but only members count for it.
		assert_eq!(verdict(pool), Verdict::NoQuorum);
		assert_eq!((bonded(D), staked(D)), (500, 0));
		assert_eq!(outcomes().last().unwrap().backing_returned, Some((D, 500)));
		check_invariants();
	});
}

#[test]
fn a_passing_backed_pool_returns_the_backing_with_winnings_to_the_bond() {
	with_bonded_author(|post| {
		let pool = open_backed(post, 500).unwrap();
		stake(A, pool, Side::For, 500);
		stake(B, pool, Side::Against, 200);
		run_to(WINDOW + 1);
		settle(pool);
		assert_eq!(verdict(pool), Verdict::Passed);
		// Forfeits 50 (minted against) + 200 (B, binding 100%) = 250; the post's share is
		// 250 · 50 / 1050 = 11, the members' 239 go to the 1000 staked for: 119 to D's backing.
		assert_eq!(bonded(D), 619);
		assert!(events().contains(&Event::BackingReturned {
			pool,
			who: D,
			stake: 500,
			payout: 619
		}));
		claim(A, pool);
		assert_eq!(free(A), 1000 + 119);
		check_invariants();
	});
}

#[test]
fn a_failing_backed_pool_forfeits_the_backing() {
	with_bonded_author(|post| {
		let pool = open_backed(post, 500).unwrap();
		stake(A, pool, Side::Against, 600);
		run_to(WINDOW + 1);
		settle(pool);
		assert_eq!(verdict(pool), Verdict::Failed);
		// Binding 100%: the backing is lost, and goes with both minted halves to A.
		assert_eq!((bonded(D), staked(D)), (0, 0));
		assert_eq!(outcomes().last().unwrap().backing_returned, Some((D, 0)));
		claim(A, pool);
		assert_eq!(free(A), 400 + 600 + 500 + 100);
		check_invariants();
	});
}

#[test]
fn excluded_accounts_never_sit_on_a_backed_pool_panel() {
	new_test_ext_with((1..=12).map(|i| (i, 1000 * i as u128)).collect()).execute_with(|| {
		bootstrap();
		assert_ok!(<Reputation as AvailabilityBonds<AccountId>>::bond(&D, 100));
		let post = solo(D, &[]);
		// Account 12 holds the most REP; keep it and 11 off every panel.
		for round in 0..8u8 {
			System::set_parent_hash(H256::repeat_byte(round));
			let pool = <Reputation as ValidationPools<AccountId, u64>>::open_backed_pool(
				&E,
				post,
				&default_param_set(),
				6,
				100,
				&D,
				0,
				&[11, 12],
			)
			.unwrap();
			let panel = Pools::<Test>::get(pool).unwrap().panel.unwrap();
			// At most 4m draws: skipping the heavy excluded accounts may leave seats empty.
			assert!(!panel.is_empty() && panel.len() <= 6);
			assert!(!panel.contains(&11) && !panel.contains(&12) && !panel.contains(&D));
		}
		check_invariants();
	});
}
