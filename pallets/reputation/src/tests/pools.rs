//! Validation pools: verdicts, binding, redistribution, claims, parameters and every error.

use super::*;
use frame_support::{assert_noop, traits::fungible::Inspect};
use sp_runtime::{DispatchError, TokenError};

/// A, B and C hold 1000 REP each; the bootstrap pool is used up; D has posted post 1.
fn with_members(test: impl FnOnce(PostId)) {
	new_test_ext_with(vec![(A, 1000), (B, 1000), (C, 1000)]).execute_with(|| {
		bootstrap();
		let post = solo(D, &[]);
		test(post)
	})
}

#[test]
fn the_first_pool_ever_passes() {
	new_test_ext().execute_with(|| {
		let post = solo(A, &[]);
		let pool = open(E, post, 100);
		assert!(Pools::<Test>::get(pool).unwrap().bootstrap);
		settle(pool);
		assert_eq!(verdict(pool), Verdict::Passed);
		// No voters: the post gets the minted REP of both halves.
		assert_eq!(free(A), 100);
		assert_eq!(supply(), 100);
		assert!(outcomes()[0].bootstrap);
		check_invariants();
	});
}

#[test]
fn the_first_pool_passes_even_against_every_vote() {
	new_test_ext_with(vec![(B, 1000)]).execute_with(|| {
		let post = solo(A, &[]);
		let pool = open(E, post, 100);
		stake(B, pool, Side::Against, 1000);
		// All REP is staked: it may settle early.
		assert_ok!(Reputation::settle(RuntimeOrigin::signed(E), pool));
		assert_eq!(verdict(pool), Verdict::Passed);
		claim(B, pool);
		// B lost its whole stake (binding 100%) to the post: 50 + 50 + 1000.
		assert_eq!((free(A), free(B)), (1100, 0));
		check_invariants();
	});
}

#[test]
fn a_pool_passes_with_quorum() {
	with_members(|post| {
		let pool = open(E, post, 100);
		stake(A, pool, Side::For, 200);
		stake(B, pool, Side::Against, 100);
		assert_eq!((free(A), staked(A)), (800, 200));
		check_invariants();
		settle(pool);
		assert_eq!(verdict(pool), Verdict::Passed);
		// Forfeits: the minted 50 against and B's 100 (binding 100%) = 150, shared by the
		// winning stakes 50 (minted, the post's) and 200 (A's): the post gets 30, A 120.
		assert_eq!(free(D), 80);
		assert_eq!(value(post), 80);
		assert_eq!(
			Pools::<Test>::get(pool).unwrap().state,
			PoolState::Settled { verdict: Verdict::Passed, member_winnings: 120 }
		);
		check_invariants();
		claim(A, pool);
		claim(B, pool);
		assert_eq!((free(A), free(B), staked(A), staked(B)), (1120, 900, 0, 0));
		assert_eq!(supply(), 3100);
		assert_eq!(Pools::<Test>::get(pool).unwrap().remaining, 0);
		assert_eq!(outcomes().last().unwrap().verdict, Verdict::Passed);
		check_invariants();
	});
}

#[test]
fn a_pool_fails_with_quorum() {
	with_members(|post| {
		let pool = open(E, post, 100);
		stake(A, pool, Side::For, 100);
		stake(B, pool, Side::Against, 300);
		settle(pool);
		assert_eq!(verdict(pool), Verdict::Failed);
		// Against takes both minted halves and A's forfeited stake: 50 + 50 + 100.
		assert_eq!(free(D), 0);
		claim(B, pool);
		claim(A, pool);
		assert_eq!((free(A), free(B)), (900, 1200));
		assert_eq!(supply(), 3100);
		assert_eq!(outcomes().last().unwrap().verdict, Verdict::Failed);
		check_invariants();
	});
}

#[test]
fn a_pool_without_quorum_returns_every_stake_and_burns_its_mint() {
	with_members(|post| {
		let pool = open(E, post, 100);
		// 10% of the 3000 REP supply is 300.
		stake(A, pool, Side::For, 150);
		stake(B, pool, Side::Against, 149);
		settle(pool);
		assert_eq!(verdict(pool), Verdict::NoQuorum);
		assert_eq!(free(D), 0);
		claim(A, pool);
		claim(B, pool);
		assert_eq!((free(A), free(B)), (1000, 1000));
		assert_eq!(supply(), 3000);
		check_invariants();
	});
}

#[test]
fn a_failed_pool_without_members_against_burns_everything() {
	with_members(|post| {
		set_params(b"strict", |p| p.win_ratio = Perbill::from_percent(90));
		let pool = open_with(E, post, 100, b"strict");
		stake(A, pool, Side::For, 300);
		settle(pool);
		// 350 for, 50 against: 87.5% < 90%.
		assert_eq!(verdict(pool), Verdict::Failed);
		claim(A, pool);
		assert_eq!(free(A), 700);
		assert_eq!(supply(), 2700);
		check_invariants();
	});
}

#[test]
fn binding_zero_means_nobody_loses() {
	with_members(|post| {
		set_params(b"b0", |p| p.binding = Perbill::zero());
		let pool = open_with(E, post, 100, b"b0");
		stake(A, pool, Side::For, 200);
		stake(B, pool, Side::Against, 100);
		settle(pool);
		assert_eq!(verdict(pool), Verdict::Passed);
		// Only the unowned minted 50 against is forfeited: the post gets 50 · 50/250 = 10.
		assert_eq!(free(D), 60);
		claim(A, pool);
		claim(B, pool);
		assert_eq!((free(A), free(B)), (1040, 1000));

		let post2 = solo(D, &[]);
		let pool = open_with(E, post2, 100, b"b0");
		stake(A, pool, Side::For, 100);
		stake(B, pool, Side::Against, 300);
		settle(pool);
		assert_eq!(verdict(pool), Verdict::Failed);
		claim(A, pool);
		claim(B, pool);
		// A gets its stake back; B shares the two minted halves.
		assert_eq!((free(A), free(B)), (1040, 1100));
		check_invariants();
	});
}

#[test]
fn binding_one_hundred_percent_takes_whole_losing_stakes() {
	with_members(|post| {
		let pool = open(E, post, 100);
		stake(A, pool, Side::For, 300);
		stake(B, pool, Side::Against, 100);
		stake(C, pool, Side::Against, 60);
		settle(pool);
		claim(B, pool);
		claim(C, pool);
		assert_eq!((free(B), free(C)), (900, 940));
		claim(A, pool);
		// Forfeits 50 + 160 = 210 over winning stakes 350: the post 30, A 180.
		assert_eq!((free(A), free(D)), (1180, 80));
		check_invariants();
	});
}

#[test]
fn partial_binding_rounds_forfeits_in_the_pools_favour_and_burns_the_dust() {
	with_members(|post| {
		set_params(b"third", |p| p.binding = Perbill::from_percent(33));
		let pool = open_with(E, post, 100, b"third");
		stake(A, pool, Side::For, 301);
		stake(B, pool, Side::Against, 7);
		stake(C, pool, Side::Against, 5);
		settle(pool);
		let winnings = match Pools::<Test>::get(pool).unwrap().state {
			PoolState::Settled { member_winnings, .. } => member_winnings,
			_ => unreachable!(),
		};
		claim(B, pool);
		claim(C, pool);
		// ceil(33% of 7) = 3, ceil(33% of 5) = 2.
		assert_eq!((free(B), free(C)), (997, 998));
		claim(A, pool);
		assert_eq!(free(A), 1000 + winnings);
		let dust = events().iter().find_map(|e| match e {
			Event::PoolClosed { pool: p, dust } if *p == pool => Some(*dust),
			_ => None,
		});
		assert!(dust.is_some());
		assert_eq!(Pools::<Test>::get(pool).unwrap().remaining, 0);
		check_invariants();
	});
}

#[test]
fn without_redistribution_forfeits_are_burned() {
	with_members(|post| {
		set_params(b"burn", |p| p.redistribute_losing_stakes = false);
		let pool = open_with(E, post, 100, b"burn");
		stake(A, pool, Side::For, 200);
		stake(B, pool, Side::Against, 100);
		settle(pool);
		assert_eq!(verdict(pool), Verdict::Passed);
		assert_eq!(free(D), 50);
		claim(A, pool);
		claim(B, pool);
		assert_eq!((free(A), free(B)), (1000, 900));
		assert_eq!(supply(), 3000 + 100 - 150);
		check_invariants();
	});
}

#[test]
fn the_mint_follows_the_minting_ratio_and_the_author_stake() {
	with_members(|post| {
		set_params(b"rich", |p| {
			p.minting_ratio = sp_runtime::FixedU128::from_u32(3);
			p.stake_for_author = Perbill::from_percent(70);
		});
		let pool = open_with(E, post, 100, b"rich");
		let record = Pools::<Test>::get(pool).unwrap();
		assert_eq!((record.minted_for, record.minted_against), (210, 90));
		assert_eq!(supply(), 3300);
		assert_eq!(record.quorum_base, 3000);
		check_invariants();
	});
}

#[test]
fn a_pool_settles_early_once_all_rep_is_staked() {
	with_members(|post| {
		let pool = open(E, post, 100);
		stake(A, pool, Side::For, 1000);
		stake(B, pool, Side::For, 1000);
		assert_noop!(Reputation::settle(RuntimeOrigin::signed(E), pool), Error::<Test>::VotingOpen);
		stake(C, pool, Side::Against, 1000);
		assert_ok!(Reputation::settle(RuntimeOrigin::signed(E), pool));
		assert_eq!(verdict(pool), Verdict::Passed);
	});
}

#[test]
fn stakes_add_up_on_one_side() {
	with_members(|post| {
		let pool = open(E, post, 100);
		stake(A, pool, Side::For, 100);
		stake(A, pool, Side::For, 50);
		assert_eq!(
			Stakes::<Test>::get(pool, A),
			Some(StakeRecord { side: Side::For, amount: 150 })
		);
		let record = Pools::<Test>::get(pool).unwrap();
		assert_eq!((record.stake_for, record.voters, record.unclaimed_stakes), (150, 1, 1));
		assert!(events().contains(&Event::Staked { pool, who: A, side: Side::For, amount: 50 }));
		check_invariants();
	});
}

#[test]
fn bad_stakes_are_rejected_with_named_errors_and_change_nothing() {
	with_members(|post| {
		let pool = open(E, post, 100);
		let stake_ =
			|who, side, amount| Reputation::stake(RuntimeOrigin::signed(who), pool, side, amount);
		assert_noop!(
			Reputation::stake(RuntimeOrigin::signed(A), 77, Side::For, 1),
			Error::<Test>::PoolNotFound
		);
		assert_noop!(stake_(A, Side::For, 0), Error::<Test>::ZeroStake);
		assert_noop!(stake_(A, Side::For, 1001), Error::<Test>::InsufficientRep);
		assert_noop!(stake_(E, Side::For, 1), Error::<Test>::InsufficientRep);
		stake(A, pool, Side::For, 10);
		assert_noop!(stake_(A, Side::Against, 10), Error::<Test>::StakeOnOtherSide);
		assert_noop!(stake_(A, Side::For, 991), Error::<Test>::InsufficientRep);
		// D is the author and holds REP from an earlier pool.
		let post2 = solo(B, &[]);
		forum::ratify(post2, 100);
		let post3 = add_post(D, &[(D, 50), (B, 50)], &[]);
		let pool3 = open(E, post3, 100);
		assert_noop!(
			Reputation::stake(RuntimeOrigin::signed(B), pool3, Side::Against, 10),
			Error::<Test>::AuthorStakingAgainst
		);
		assert_ok!(Reputation::stake(RuntimeOrigin::signed(B), pool3, Side::For, 10));
		run_to(Pools::<Test>::get(pool).unwrap().ends_at);
		assert_noop!(stake_(A, Side::For, 10), Error::<Test>::VotingClosed);
		settle(pool);
		run_to(1);
		assert_noop!(stake_(A, Side::For, 10), Error::<Test>::VotingClosed);
	});
}

#[test]
fn bad_settlements_and_claims_are_rejected_with_named_errors() {
	with_members(|post| {
		let pool = open(E, post, 100);
		stake(A, pool, Side::For, 300);
		let settle_ = |pool| Reputation::settle(RuntimeOrigin::signed(E), pool);
		let claim_ = |who, pool| Reputation::claim(RuntimeOrigin::signed(who), pool);
		assert_noop!(settle_(9), Error::<Test>::PoolNotFound);
		assert_noop!(settle_(pool), Error::<Test>::VotingOpen);
		run_to(System::block_number() + WINDOW - 1);
		assert_noop!(settle_(pool), Error::<Test>::VotingOpen);
		assert_noop!(claim_(A, 9), Error::<Test>::PoolNotFound);
		assert_noop!(claim_(A, pool), Error::<Test>::PoolNotSettled);
		assert_noop!(claim_(B, pool), Error::<Test>::NoStake);
		run_to(System::block_number() + 1);
		assert_ok!(settle_(pool));
		assert_noop!(settle_(pool), Error::<Test>::AlreadySettled);
		claim(A, pool);
		assert_noop!(claim_(A, pool), Error::<Test>::NoStake);
		assert_noop!(
			Reputation::claim_fees(RuntimeOrigin::signed(D)),
			Error::<Test>::NoFeesToClaim
		);
	});
}

#[test]
fn bad_pool_openings_are_rejected_with_named_errors() {
	with_members(|post| {
		let open_ = |who, post, name: &[u8], panel, fee| {
			Reputation::initiate_pool(
				RuntimeOrigin::signed(who),
				post,
				name.to_vec().try_into().unwrap(),
				panel,
				fee,
			)
		};
		assert_noop!(open_(E, post, b"nope", 0, 100), Error::<Test>::UnknownParameterSet);
		assert_noop!(open_(E, post, DEFAULT_PARAM_SET, 17, 100), Error::<Test>::PanelTooLarge);
		assert_noop!(open_(E, 42, DEFAULT_PARAM_SET, 0, 100), Error::<Test>::PostNotFound);
		assert_noop!(open_(E, post, DEFAULT_PARAM_SET, 0, MIN_FEE - 1), Error::<Test>::FeeTooLow);
		set_params(b"free", |p| p.min_fee = 0);
		assert_noop!(open_(E, post, b"free", 0, ED - 1), Error::<Test>::FeeTooLow);
		assert_noop!(open_(POOR, post, DEFAULT_PARAM_SET, 0, 100), TokenError::FundsUnavailable);
		// The initiator must stay alive.
		assert_noop!(
			open_(E, post, DEFAULT_PARAM_SET, 0, Balances::balance(&E)),
			TokenError::NotExpendable
		);
	});
}

#[test]
fn parameter_sets_are_governed_and_copied_into_pools() {
	with_members(|post| {
		let name: ParamSetName = b"fast".to_vec().try_into().unwrap();
		let mut params = default_params();
		params.duration = 2;
		assert_noop!(
			Reputation::set_parameter_set(RuntimeOrigin::signed(A), name.clone(), params.clone()),
			DispatchError::BadOrigin
		);
		let mut zero = params.clone();
		zero.duration = 0;
		assert_noop!(
			Reputation::set_parameter_set(RuntimeOrigin::root(), name.clone(), zero),
			Error::<Test>::InvalidParameters
		);
		let mut deep = params.clone();
		deep.citation_depth = 4;
		assert_noop!(
			Reputation::set_parameter_set(RuntimeOrigin::root(), name.clone(), deep),
			Error::<Test>::InvalidParameters
		);
		assert_ok!(Reputation::set_parameter_set(
			RuntimeOrigin::root(),
			name.clone(),
			params.clone()
		));
		assert!(events().contains(&Event::ParameterSetUpdated { name: name.clone(), params }));
		let pool = open_with(E, post, 100, b"fast");
		assert_eq!(Pools::<Test>::get(pool).unwrap().ends_at, System::block_number() + 2);
		assert_noop!(
			Reputation::remove_parameter_set(RuntimeOrigin::signed(A), name.clone()),
			DispatchError::BadOrigin
		);
		assert_ok!(Reputation::remove_parameter_set(RuntimeOrigin::root(), name.clone()));
		assert_noop!(
			Reputation::remove_parameter_set(RuntimeOrigin::root(), name.clone()),
			Error::<Test>::UnknownParameterSet
		);
		// The open pool keeps its copy.
		assert_eq!(Pools::<Test>::get(pool).unwrap().params.duration, 2);
	});
}

#[test]
fn other_pallets_open_pools_and_hear_the_outcome() {
	use gpow_primitives_reputation::{Forum, ValidationPools};
	with_members(|_| {
		let post = <Reputation as Forum<_, _>>::add_post(
			&D,
			vec![(D, Perbill::one())],
			H256::zero(),
			vec![],
		)
		.unwrap();
		assert!(<Reputation as Forum<AccountId, H256>>::post_exists(post));
		let pool = <Reputation as ValidationPools<_, _>>::open_pool(
			&E,
			post,
			&default_param_set(),
			0,
			100,
		)
		.unwrap();
		assert_eq!(<Reputation as ValidationPools<AccountId, u64>>::verdict(pool), None);
		stake(A, pool, Side::For, 300);
		settle(pool);
		assert_eq!(
			<Reputation as ValidationPools<AccountId, u64>>::verdict(pool),
			Some(Verdict::Passed)
		);
		let outcome = outcomes().last().cloned().unwrap();
		assert_eq!(
			outcome,
			PoolOutcome {
				pool,
				post,
				verdict: Verdict::Passed,
				total_for: 350,
				total_against: 50,
				bootstrap: false,
				backing_returned: None,
			}
		);
	});
}

#[test]
fn settlement_reports_its_actual_weight() {
	with_members(|post| {
		let pool = open(E, post, 100);
		stake(A, pool, Side::Against, 400);
		run_to(100);
		let info = Reputation::settle(RuntimeOrigin::signed(E), pool).unwrap();
		// Failed: no REP flow, the base weight only.
		assert_eq!(info.actual_weight, Some(Reputation::settle_weight_actual(0)));
		assert!(Reputation::settle_weight_actual(0).all_lt(Reputation::settle_weight_max()));
	});
}

/// Best times over 3 rounds, among `n` holders (committed to the trie), of 100 stakes, 100
/// settlements (passing, REP to a post) and 100 claims.
fn time_pool_calls(n: u64) -> [std::time::Duration; 3] {
	let mut ext = new_test_ext_with((1..=n).map(|i| (i, 1_000)).collect());
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		bootstrap();
		set_params(b"q0", |p| p.quorum = Perbill::zero());
		let post = solo(D, &[]);
		let mut best = [std::time::Duration::MAX; 3];
		for _ in 0..3 {
			let first = NextPoolId::<Test>::get();
			let pools: Vec<PoolId> = (0..100).map(|_| open_with(E, post, 100, b"q0")).collect();
			assert_eq!(pools[0], first);
			let start = std::time::Instant::now();
			for pool in &pools {
				stake(A, *pool, Side::For, 1);
			}
			best[0] = best[0].min(start.elapsed());
			run_to(System::block_number() + WINDOW);
			let start = std::time::Instant::now();
			for pool in &pools {
				assert_ok!(Reputation::settle(RuntimeOrigin::signed(E), *pool));
			}
			best[1] = best[1].min(start.elapsed());
			let start = std::time::Instant::now();
			for pool in &pools {
				claim(A, *pool);
			}
			best[2] = best[2].min(start.elapsed());
		}
		best
	})
}

/// A measurement, not a regular test: wall-clock timings depend on the machine's load. Run
/// `cargo test --release -p pallet-reputation -- --ignored --nocapture` to print the numbers.
#[test]
#[ignore = "timing measurement; run with --ignored"]
fn stake_settle_and_claim_cost_the_same_among_10_and_10_000_holders() {
	let small = time_pool_calls(10);
	let large = time_pool_calls(10_000);
	for (i, name) in ["100 stakes", "100 settlements", "100 claims"].iter().enumerate() {
		println!(
			"{name}: {:?} among 10 holders, {:?} among 10,000 (ratio {:.2})",
			small[i],
			large[i],
			large[i].as_secs_f64() / small[i].as_secs_f64()
		);
		assert!(large[i] < small[i] * 2, "{name}: {:?} vs {:?}", large[i], small[i]);
	}
}
