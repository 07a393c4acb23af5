//! Panel pools and the sortition tree.

use super::*;
use frame_support::assert_noop;

/// Accounts 1..=n hold `rep(i)` REP each.
fn members(n: u64, rep: impl Fn(u64) -> Rep) -> Vec<(AccountId, Rep)> {
	(1..=n).map(|i| (i, rep(i))).collect()
}

fn open_panel(initiator: AccountId, post: PostId, size: u32) -> PoolId {
	let id = NextPoolId::<Test>::get();
	assert_ok!(Reputation::initiate_pool(
		RuntimeOrigin::signed(initiator),
		post,
		default_param_set(),
		size,
		100
	));
	id
}

fn panel_of(pool: PoolId) -> Vec<AccountId> {
	Pools::<Test>::get(pool).unwrap().panel.unwrap().into_inner()
}

#[test]
fn a_panel_of_distinct_non_authors_is_drawn_and_only_it_votes() {
	new_test_ext_with(members(10, |i| 100 * i as u128)).execute_with(|| {
		bootstrap();
		let post = add_post(1, &[(1, 50), (2, 50)], &[]);
		System::set_parent_hash(H256::repeat_byte(7));
		let pool = open_panel(E, post, 3);
		let panel = panel_of(pool);
		assert_eq!(panel.len(), 3);
		assert!(!panel.contains(&1) && !panel.contains(&2), "authors are skipped");
		let mut sorted = panel.clone();
		sorted.sort();
		sorted.dedup();
		assert_eq!(sorted.len(), 3, "members are distinct");
		let weight: Rep = panel.iter().map(|m| free(*m)).sum();
		let record = Pools::<Test>::get(pool).unwrap();
		assert_eq!(record.quorum_base, weight);
		assert!(events().contains(&Event::PanelDrawn {
			pool,
			panel: record.panel.clone().unwrap(),
			weight
		}));

		let outsider = (3..=10).find(|m| !panel.contains(m)).unwrap();
		assert_noop!(
			Reputation::stake(RuntimeOrigin::signed(outsider), pool, Side::For, 1),
			Error::<Test>::NotOnPanel
		);
		// Every panel member votes: the pool may settle early.
		for member in &panel {
			stake(*member, pool, Side::For, free(*member));
		}
		assert_ok!(Reputation::settle(RuntimeOrigin::signed(E), pool));
		assert_eq!(verdict(pool), Verdict::Passed);
		check_invariants();
	});
}

#[test]
fn a_panel_early_settlement_waits_for_every_member() {
	new_test_ext_with(members(10, |_| 100)).execute_with(|| {
		bootstrap();
		let post = solo(20, &[]);
		let pool = open_panel(E, post, 4);
		let panel = panel_of(pool);
		for member in panel.iter().skip(1) {
			stake(*member, pool, Side::Against, 50);
		}
		assert_noop!(Reputation::settle(RuntimeOrigin::signed(E), pool), Error::<Test>::VotingOpen);
		stake(panel[0], pool, Side::Against, 50);
		assert_ok!(Reputation::settle(RuntimeOrigin::signed(E), pool));
		assert_eq!(verdict(pool), Verdict::Failed);
	});
}

#[test]
fn the_panel_is_smaller_when_few_members_can_be_drawn() {
	new_test_ext_with(vec![(A, 100), (B, 100), (C, 100)]).execute_with(|| {
		bootstrap();
		let post = solo(A, &[]);
		let pool = open_panel(E, post, 5);
		let mut panel = panel_of(pool);
		panel.sort();
		assert_eq!(panel, vec![B, C]);
	});
}

#[test]
fn no_panel_can_be_drawn_without_eligible_members() {
	new_test_ext().execute_with(|| {
		let post = solo(A, &[]);
		assert_noop!(
			Reputation::initiate_pool(RuntimeOrigin::signed(E), post, default_param_set(), 3, 100),
			Error::<Test>::NoEligibleMembers
		);
	});
	new_test_ext_with(vec![(A, 100)]).execute_with(|| {
		// The only member is the author.
		let post = solo(A, &[]);
		assert_noop!(
			Reputation::initiate_pool(RuntimeOrigin::signed(E), post, default_param_set(), 3, 100),
			Error::<Test>::NoEligibleMembers
		);
	});
}

#[test]
fn draws_follow_rep_weights() {
	new_test_ext_with(vec![(A, 1000), (B, 3000)]).execute_with(|| {
		let total = Reputation::sortition_total();
		assert_eq!(total, 4000);
		let mut b = 0;
		for i in 0..4000u32 {
			let seed = sp_crypto_hashing::blake2_256(&i.encode());
			if Reputation::draw_member(seed, total) == Some(B) {
				b += 1;
			}
		}
		// Expect 3000; the standard deviation is about 27.
		assert!((2850..=3150).contains(&b), "B drawn {b} times out of 4000");
	});
}

#[test]
fn the_draw_depends_on_the_parent_hash_and_the_pool() {
	new_test_ext_with(members(30, |_| 100)).execute_with(|| {
		System::set_parent_hash(H256::repeat_byte(1));
		let a = Reputation::panel_seed(5, 0);
		System::set_parent_hash(H256::repeat_byte(2));
		let b = Reputation::panel_seed(5, 0);
		assert_ne!(a, b);
		assert_ne!(b, Reputation::panel_seed(6, 0));
		assert_ne!(b, Reputation::panel_seed(5, 1));
	});
}

#[test]
fn slots_follow_free_rep_and_are_reused() {
	new_test_ext_with(vec![(A, 100), (B, 200)]).execute_with(|| {
		let slot_a = Accounts::<Test>::get(A).unwrap().slot.unwrap();
		assert_eq!(SlotOwners::<Test>::get(slot_a), Some(A));
		bootstrap();
		let post = solo(C, &[]);
		let pool = open(E, post, 100);
		// A stakes everything: its slot is released.
		stake(A, pool, Side::For, 100);
		assert_eq!(Accounts::<Test>::get(A).unwrap().slot, None);
		assert_eq!(SlotOwners::<Test>::get(slot_a), None);
		assert_eq!(Reputation::sortition_total(), 200);
		check_invariants();
		// A new member takes the released slot.
		let post2 = solo(D, &[]);
		forum_ratify(post2);
		assert_eq!(Accounts::<Test>::get(D).unwrap().slot, Some(slot_a));
		check_invariants();
		settle(pool);
		claim(A, pool);
		assert!(Accounts::<Test>::get(A).unwrap().slot.is_some());
		check_invariants();
	});
}

fn forum_ratify(post: PostId) {
	super::forum::ratify(post, 100);
}

#[test]
fn a_full_tree_leaves_new_holders_out_of_draws() {
	// One level holds 16 members.
	new_test_ext_with(members(16, |_| 10)).execute_with(|| {
		assert_eq!(NextSlot::<Test>::get(), 16);
		// The mock has 4 levels; fill the tree by hand to its 16^4 capacity.
		NextSlot::<Test>::put(Reputation::sortition_capacity());
		let post = solo(20, &[]);
		super::forum::ratify(post, 100);
		assert_eq!(free(20), 100);
		assert_eq!(Accounts::<Test>::get(20).unwrap().slot, None);
		assert!(events().contains(&Event::SortitionFull { who: 20 }));
		assert_eq!(Reputation::sortition_total(), 160);
	});
}

/// Best times of 5 rounds among `n` members, with the members' state committed to the trie
/// (reads go through the trie as on a node): 1,000 single draws, and 100 panel draws of 16 seats.
fn time_draws(n: u64) -> (std::time::Duration, std::time::Duration) {
	let mut ext = new_test_ext_with((1..=n).map(|i| (i, 1_000 + i as Rep)).collect());
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		let total = Reputation::sortition_total();
		let (mut single, mut panel) = (std::time::Duration::MAX, std::time::Duration::MAX);
		for round in 0..5u8 {
			System::set_parent_hash(H256::repeat_byte(round));
			let start = std::time::Instant::now();
			for attempt in 0..1_000 {
				assert!(
					Reputation::draw_member(Reputation::panel_seed(0, attempt), total).is_some()
				);
			}
			single = single.min(start.elapsed());
			let start = std::time::Instant::now();
			for pool in 0..100 {
				assert!(!Reputation::draw_panel(pool, &[], 16).unwrap().0.is_empty());
			}
			panel = panel.min(start.elapsed());
		}
		(single, panel)
	})
}

/// A measurement, not a regular test: wall-clock timings depend on the machine's load. Run
/// `cargo test --release -p pallet-reputation -- --ignored --nocapture` to print the numbers.
#[test]
#[ignore = "timing measurement; run with --ignored"]
fn a_draw_over_10_000_members_costs_about_what_a_draw_over_10_costs() {
	let (single_10, panel_10) = time_draws(10);
	let (single_10k, panel_10k) = time_draws(10_000);
	println!(
		"1,000 draws: {single_10:?} over 10 members, {single_10k:?} over 10,000 members \
		 (ratio {:.2}); 100 panels of 16: {panel_10:?} over 10 members (at most 10 seats, 64 \
		 draws each), {panel_10k:?} over 10,000 members (ratio {:.2})",
		single_10k.as_secs_f64() / single_10.as_secs_f64(),
		panel_10k.as_secs_f64() / panel_10.as_secs_f64(),
	);
	assert!(single_10k < single_10 * 2, "single draws: {single_10k:?} vs {single_10:?}");
	assert!(panel_10k < panel_10 * 2, "panel draws: {panel_10k:?} vs {panel_10:?}");
}
