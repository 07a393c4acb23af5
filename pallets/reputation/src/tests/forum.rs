//! The forum: posting rules, deposits, removal, and how REP flows through citations.

use super::*;
use frame_support::{assert_noop, traits::fungible::InspectHold};
use sp_runtime::TokenError;

/// Ratifies `post` with a pool that passes and sends exactly `amount` REP to it: the bootstrap
/// pool if none was opened yet, else a pool of the quorum-0 set `q0` with no voters.
pub fn ratify(post: PostId, amount: u64) {
	let pool = if NextPoolId::<Test>::get() == 0 {
		open(E, post, amount)
	} else {
		if !ParameterSets::<Test>::contains_key(ParamSetName::try_from(b"q0".to_vec()).unwrap()) {
			set_params(b"q0", |p| p.quorum = Perbill::zero());
		}
		open_with(E, post, amount, b"q0")
	};
	settle(pool);
	assert_eq!(verdict(pool), Verdict::Passed);
}

fn authors(list: &[(AccountId, u32)]) -> Vec<(AccountId, Perbill)> {
	list.iter().map(|(a, p)| (*a, Perbill::from_percent(*p))).collect()
}

fn try_post(
	poster: AccountId,
	list: Vec<(AccountId, Perbill)>,
	citations: Vec<(CitationTarget, i32)>,
) -> frame_support::dispatch::DispatchResult {
	Reputation::add_post(RuntimeOrigin::signed(poster), list, H256::zero(), citations)
}

#[test]
fn a_post_is_stored_with_a_deposit_and_counts_its_citations() {
	new_test_ext().execute_with(|| {
		let p0 = solo(A, &[]);
		let p1 = add_post(B, &[(B, 60), (C, 40)], &[(Post(p0), pct(30)), (Incinerator, pct(10))]);
		let record = Posts::<Test>::get(p1).unwrap();
		assert_eq!(record.poster, B);
		assert_eq!(record.authors.len(), 2);
		assert_eq!(record.citations[0].signed_weight(), pct(30));
		assert_eq!(record.value, 0);
		assert_eq!(Posts::<Test>::get(p0).unwrap().cited_by, 1);
		let size = (&record.authors, &record.content_hash, &record.citations).encoded_size();
		let held =
			Balances::balance_on_hold(&RuntimeHoldReason::Reputation(HoldReason::PostDeposit), &B);
		assert_eq!(held, DEPOSIT_BASE + DEPOSIT_PER_BYTE * size as u64);
		assert!(events().contains(&Event::PostAdded {
			post: p1,
			poster: B,
			content_hash: H256::repeat_byte(1)
		}));
	});
}

#[test]
fn bad_posts_are_rejected_with_named_errors_and_change_nothing() {
	new_test_ext().execute_with(|| {
		let p0 = solo(A, &[]);
		let p1 = solo(A, &[]);
		let one = || authors(&[(A, 100)]);
		assert_noop!(try_post(A, vec![], vec![]), Error::<Test>::NoAuthors);
		assert_noop!(
			try_post(A, authors(&[(1, 20), (2, 20), (3, 20), (4, 20), (5, 20)]), vec![]),
			Error::<Test>::TooManyAuthors
		);
		assert_noop!(
			try_post(A, authors(&[(A, 50), (A, 50)]), vec![]),
			Error::<Test>::DuplicateAuthor
		);
		assert_noop!(
			try_post(A, authors(&[(A, 50), (B, 40)]), vec![]),
			Error::<Test>::AuthorWeightsNotWhole
		);
		assert_noop!(
			try_post(A, authors(&[(A, 60), (B, 50)]), vec![]),
			Error::<Test>::AuthorWeightsNotWhole
		);
		assert_noop!(
			try_post(
				A,
				one(),
				vec![(Post(p0), 1), (Post(p1), 1), (Incinerator, 1), (Post(p0), 1), (Post(p1), 1)]
			),
			Error::<Test>::TooManyCitations
		);
		assert_noop!(
			try_post(A, one(), vec![(Post(p0), pct(10)), (Post(p0), pct(10))]),
			Error::<Test>::DuplicateCitation
		);
		for weight in [1_000_000_001, -1_000_000_001, i32::MIN, i32::MAX] {
			assert_noop!(
				try_post(A, one(), vec![(Post(p0), weight)]),
				Error::<Test>::CitationWeightOutOfRange
			);
		}
		assert_noop!(
			try_post(A, one(), vec![(Post(p0), pct(60)), (Post(p1), pct(-50))]),
			Error::<Test>::CitationWeightsExceedWhole
		);
		assert_noop!(try_post(A, one(), vec![(Post(7), pct(10))]), Error::<Test>::CitesNewerPost);
		// The id the new post would get: a post cannot cite itself.
		assert_noop!(try_post(A, one(), vec![(Post(2), pct(10))]), Error::<Test>::CitesNewerPost);
		assert_noop!(
			try_post(A, one(), vec![(Incinerator, pct(-10))]),
			Error::<Test>::NegativeIncineration
		);
		assert_noop!(try_post(POOR, one(), vec![]), TokenError::FundsUnavailable);
		assert_ok!(Reputation::remove_post(RuntimeOrigin::signed(A), p1));
		assert_noop!(
			try_post(A, one(), vec![(Post(p1), pct(10))]),
			Error::<Test>::CitedPostNotFound
		);
		// Exactly 100% in magnitudes, mixed signs, is fine.
		assert_ok!(try_post(A, one(), vec![(Post(p0), pct(-40)), (Incinerator, pct(60))]));
	});
}

#[test]
fn only_the_poster_removes_an_unused_post() {
	new_test_ext().execute_with(|| {
		let p0 = solo(A, &[]);
		let p1 = solo(A, &[(Post(p0), pct(50))]);
		let p2 = solo(B, &[]);
		let hold = |who| {
			Balances::balance_on_hold(&RuntimeHoldReason::Reputation(HoldReason::PostDeposit), &who)
		};
		assert_noop!(
			Reputation::remove_post(RuntimeOrigin::signed(A), 9),
			Error::<Test>::PostNotFound
		);
		assert_noop!(
			Reputation::remove_post(RuntimeOrigin::signed(B), p0),
			Error::<Test>::NotPoster
		);
		// Cited by p1.
		assert_noop!(
			Reputation::remove_post(RuntimeOrigin::signed(A), p0),
			Error::<Test>::PostInUse
		);
		// Judged by a pool.
		open(E, p2, MIN_FEE);
		assert_noop!(
			Reputation::remove_post(RuntimeOrigin::signed(B), p2),
			Error::<Test>::PostInUse
		);

		let before = hold(A);
		assert_ok!(Reputation::remove_post(RuntimeOrigin::signed(A), p1));
		assert!(hold(A) < before);
		assert_eq!(Posts::<Test>::get(p0).unwrap().cited_by, 0);
		assert_ok!(Reputation::remove_post(RuntimeOrigin::signed(A), p0));
		assert_eq!(hold(A), 0);
		assert!(events().contains(&Event::PostRemoved { post: p0 }));
	});
}

#[test]
fn a_post_without_citations_keeps_everything() {
	new_test_ext().execute_with(|| {
		let p0 = solo(A, &[]);
		ratify(p0, 100);
		assert_eq!(free(A), 100);
		assert_eq!(value(p0), 100);
		assert_eq!(supply(), 100);
		check_invariants();
	});
}

#[test]
fn rep_flows_down_a_chain_of_three_citations_and_stops_at_the_depth_limit() {
	new_test_ext().execute_with(|| {
		let p0 = solo(A, &[]);
		let p1 = solo(B, &[(Post(p0), pct(50))]);
		let p2 = solo(C, &[(Post(p1), pct(50))]);
		let p3 = solo(D, &[(Post(p2), pct(50))]);
		let p4 = solo(E, &[(Post(p3), pct(50))]);
		ratify(p4, 160);
		// p4 at depth 0 keeps half, p3 (1) and p2 (2) keep half of what reaches them, p1 at
		// depth 3 is the limit and keeps all it gets; p0 gets nothing.
		assert_eq!((free(E), free(D), free(C), free(B), free(A)), (80, 40, 20, 20, 0));
		assert_eq!((value(p4), value(p3), value(p2), value(p1), value(p0)), (80, 40, 20, 20, 0));
		assert_eq!((flowed(p4, 0), flowed(p3, 0), flowed(p2, 0), flowed(p1, 0)), (80, 40, 20, 0));
		assert_eq!(supply(), 160);
		check_invariants();
	});
}

#[test]
fn the_citation_depth_comes_from_the_parameter_set() {
	new_test_ext().execute_with(|| {
		bootstrap();
		let p0 = solo(A, &[]);
		let p1 = solo(B, &[(Post(p0), pct(50))]);
		let p2 = solo(C, &[(Post(p1), pct(50))]);
		set_params(b"shallow", |p| {
			p.citation_depth = 1;
			p.quorum = Perbill::zero();
		});
		let pool = open_with(E, p2, 100, b"shallow");
		settle(pool);
		assert_eq!((free(C), free(B), free(A)), (50, 50, 0));
		set_params(b"flat", |p| {
			p.citation_depth = 0;
			p.quorum = Perbill::zero();
		});
		let pool = open_with(E, p2, 100, b"flat");
		settle(pool);
		assert_eq!((free(C), free(B), free(A)), (150, 50, 0));
	});
}

#[test]
fn a_negative_citation_leaches_but_never_more_than_the_cited_post_gained() {
	new_test_ext().execute_with(|| {
		let p0 = solo(A, &[]);
		ratify(p0, 100);
		let p1 = solo(B, &[(Post(p0), pct(-100))]);
		ratify(p1, 400);
		// 400 would be leached, but p0 had gained only 100.
		assert_eq!(free(A), 0);
		assert_eq!(value(p0), 0);
		assert_eq!(free(B), 500);
		assert_eq!(value(p1), 500);
		assert_eq!(flowed(p1, 0), 100);
		assert_eq!(supply(), 500);
		assert!(events().contains(&Event::PostDebited { post: p0, amount: 100 }));
		check_invariants();
	});
}

#[test]
fn a_partial_negative_citation_leaches_its_weight() {
	new_test_ext().execute_with(|| {
		let p0 = solo(A, &[]);
		ratify(p0, 100);
		let p1 = solo(B, &[(Post(p0), pct(-10))]);
		ratify(p1, 400);
		assert_eq!((free(A), free(B)), (60, 440));
		assert_eq!(supply(), 500);
		check_invariants();
	});
}

#[test]
fn a_leach_from_staked_authors_is_forgiven() {
	new_test_ext().execute_with(|| {
		let p0 = solo(A, &[]);
		ratify(p0, 100);
		// A stakes all its REP in another pool: nothing free is left to leach.
		let other = solo(C, &[]);
		set_params(b"q0", |p| p.quorum = Perbill::zero());
		let pool = open_with(E, other, 100, b"q0");
		stake(A, pool, Side::For, 100);
		let p1 = solo(B, &[(Post(p0), pct(-50))]);
		ratify(p1, 100);
		assert_eq!(free(A), 0);
		assert_eq!(value(p0), 50);
		assert_eq!(free(B), 150);
		assert!(events().contains(&Event::RepDebited { who: A, amount: 0, forgiven: 50 }));
		check_invariants();
	});
}

#[test]
fn citing_the_incinerator_burns() {
	new_test_ext().execute_with(|| {
		let p0 = solo(A, &[(Incinerator, pct(25))]);
		ratify(p0, 100);
		assert_eq!(free(A), 75);
		assert_eq!(value(p0), 75);
		assert_eq!(flowed(p0, 0), 25);
		assert_eq!(supply(), 75);
		assert!(events().contains(&Event::Incinerated { post: p0, amount: 25 }));
		check_invariants();
	});
}

#[test]
fn incineration_helps_rebalance_a_citation_graph() {
	new_test_ext().execute_with(|| {
		let p0 = solo(A, &[]);
		ratify(p0, 100);
		// B credits A's work (30%) and burns 20% of its own reward.
		let p1 = solo(B, &[(Post(p0), pct(30)), (Incinerator, pct(20))]);
		ratify(p1, 200);
		assert_eq!((free(A), free(B)), (160, 100));
		assert_eq!(supply(), 260);
		check_invariants();
	});
}

#[test]
fn multiple_authors_share_by_weight_and_the_first_takes_the_remainder() {
	new_test_ext().execute_with(|| {
		let p0 = add_post(A, &[(A, 50), (B, 30), (C, 20)], &[]);
		ratify(p0, 100);
		assert_eq!((free(A), free(B), free(C)), (50, 30, 20));
		let thirds = vec![
			(D, Perbill::from_parts(333_333_334)),
			(E, Perbill::from_parts(333_333_333)),
			(6, Perbill::from_parts(333_333_333)),
		];
		assert_ok!(try_post(D, thirds, vec![]));
		ratify(1, 100);
		assert_eq!((free(D), free(E), free(6)), (34, 33, 33));
		check_invariants();
	});
}

#[test]
fn overlapping_authors_accumulate() {
	new_test_ext().execute_with(|| {
		let p0 = add_post(A, &[(A, 50), (B, 50)], &[]);
		let p1 = add_post(B, &[(B, 50), (C, 50)], &[(Post(p0), pct(50))]);
		ratify(p1, 200);
		// p1 keeps 100 (B 50, C 50) and passes 100 to p0 (A 50, B 50).
		assert_eq!((free(A), free(B), free(C)), (50, 100, 50));
		check_invariants();
	});
}

#[test]
fn a_negative_citation_of_a_negative_citation_gives_back_what_was_leached() {
	new_test_ext().execute_with(|| {
		let p0 = solo(A, &[]);
		ratify(p0, 100);
		let p1 = solo(B, &[(Post(p0), pct(-50))]);
		ratify(p1, 100);
		assert_eq!((free(A), free(B)), (50, 150));
		let p2 = solo(C, &[(Post(p1), pct(-100))]);
		ratify(p2, 100);
		// p1 loses 100 and, having borne it, gives back the 50 it leached from p0.
		assert_eq!((free(A), free(B), free(C)), (100, 0, 200));
		assert_eq!((value(p0), value(p1), value(p2)), (100, 0, 200));
		assert_eq!((flowed(p1, 0), flowed(p2, 0)), (0, 100));
		assert_eq!(supply(), 300);
		check_invariants();
	});
}

#[test]
fn a_leached_post_claws_back_what_it_passed_on() {
	new_test_ext().execute_with(|| {
		let p0 = solo(A, &[]);
		let p1 = solo(B, &[(Post(p0), pct(50))]);
		ratify(p1, 100);
		assert_eq!((free(A), free(B)), (50, 50));
		let p2 = solo(C, &[(Post(p1), pct(-100))]);
		ratify(p2, 100);
		// p1 must lose 100: half is clawed back from p0, the rest from p1 itself.
		assert_eq!((free(A), free(B), free(C)), (0, 0, 200));
		assert_eq!((value(p0), value(p1)), (0, 0));
		assert_eq!(flowed(p1, 0), 0);
		check_invariants();
	});
}

#[test]
fn a_zero_valued_post_can_be_cited_later_and_negatively_cited_without_effect() {
	new_test_ext().execute_with(|| {
		let p0 = solo(A, &[]);
		let p1 = solo(B, &[(Post(p0), pct(-50))]);
		ratify(p1, 100);
		// p0 had gained nothing: nothing to leach.
		assert_eq!((free(A), free(B)), (0, 100));
		let p2 = solo(C, &[(Post(p0), pct(50))]);
		ratify(p2, 100);
		assert_eq!((free(A), free(C)), (50, 50));
		check_invariants();
	});
}

#[test]
fn the_walk_stops_after_its_visit_budget() {
	new_test_ext().execute_with(|| {
		// Four layers of four posts; each post cites all four of the next layer at 25%.
		let mut layer: Vec<PostId> = (0..4).map(|i| solo(10 + i, &[])).collect();
		for l in 1..3u64 {
			let cites: Vec<_> = layer.iter().map(|p| (Post(*p), pct(25))).collect();
			layer = (0..4).map(|i| solo(10 + 4 * l + i, &cites)).collect();
		}
		let cites: Vec<_> = layer.iter().map(|p| (Post(*p), pct(25))).collect();
		let root = solo(A, &cites);
		ratify(root, 6400);
		// 85 visits would follow every path; the budget (32) stops after the first two
		// subtrees of the root's first two citations (see the crate doc): the root keeps the
		// shares of its last two citations.
		assert_eq!(free(A), 3200);
		assert_eq!(supply(), 6400);
		check_invariants();
	});
}
