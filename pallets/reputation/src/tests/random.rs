//! A randomized run: thousands of operations from a seeded PRNG, checking after each one that
//! the REP supply equals free plus staked REP and that fees in equal fees out (paid, claimable,
//! undistributed, the pot's reserve and rounding dust).

use super::*;
use gpow_mock_runtime::Rng;
use sp_runtime::traits::Dispatchable;

/// Accounts taking part (all endowed with currency).
const ACCOUNTS: u64 = 12;
/// Operations per run.
const STEPS: u32 = 3000;
/// Parameter sets the run picks from.
const SETS: [&[u8]; 4] = [b"default", b"q0", b"half", b"burn"];

fn random_post(rng: &mut Rng) -> RuntimeCall {
	let max_authors = if rng.chance(3) { 5 } else { 4 };
	let n_authors = 1 + rng.below(max_authors);
	let mut authors: Vec<(AccountId, Perbill)> = Vec::new();
	let mut left: u32 = 1_000_000_000;
	for i in 0..n_authors {
		let who = 1 + rng.below(ACCOUNTS);
		let weight = if i + 1 == n_authors { left } else { rng.below(left as u64 + 1) as u32 };
		left -= weight;
		authors.push((who, Perbill::from_parts(weight)));
	}
	if rng.chance(3) {
		// Weights not summing to 100%.
		authors[0].1 = Perbill::from_parts(authors[0].1.deconstruct() / 2);
	}
	let next = NextPostId::<Test>::get();
	let mut citations = Vec::new();
	let mut budget: i64 = 1_000_000_000;
	for _ in 0..rng.below(5) {
		let target = if rng.chance(10) {
			Incinerator
		} else {
			// Mostly existing posts; sometimes a newer id.
			let beyond = if rng.chance(3) { 3 } else { 0 };
			Post(rng.below(next + beyond))
		};
		let magnitude = rng.below(budget as u64 + 1) as i64;
		let negative = rng.chance(35) && target != Incinerator || rng.chance(1);
		budget -= magnitude;
		citations.push((target, if negative { -magnitude } else { magnitude } as i32));
	}
	RuntimeCall::Reputation(crate::Call::add_post {
		authors,
		content_hash: H256::from_low_u64_be(rng.next_u64()),
		citations,
	})
}

#[test]
fn randomized_operations_keep_supply_and_fees_balanced() {
	let mut rng = Rng(0x5eed_0003_9e57_d00d);
	let genesis: Vec<_> = (1..=8).map(|i| (i, 1 + rng.below(20_000) as Rep)).collect();
	new_test_ext_with(genesis).execute_with(|| {
		set_params(b"q0", |p| p.quorum = Perbill::zero());
		set_params(b"half", |p| {
			p.binding = Perbill::from_percent(50);
			p.quorum = Perbill::from_percent(1);
			p.stake_for_author = Perbill::from_percent(60);
		});
		set_params(b"burn", |p| {
			p.redistribute_losing_stakes = false;
			p.quorum = Perbill::from_percent(2);
			p.minting_ratio = sp_runtime::FixedU128::from_rational(3, 2);
		});

		let mut fees_in: u128 = 0;
		let mut fees_out: u128 = 0;
		let mut ok: BTreeMap<&'static str, u32> = BTreeMap::new();
		let mut failed: BTreeMap<&'static str, u32> = BTreeMap::new();
		let mut max_dust = 0;
		for step in 0..STEPS {
			System::reset_events();
			let who = 1 + rng.below(ACCOUNTS);
			let pools = NextPoolId::<Test>::get();
			let (kind, origin, call) = match rng.below(100) {
				0..=14 => ("add_post", who, random_post(&mut rng)),
				15..=26 => {
					let panel = if rng.chance(25) { 1 + rng.below(6) as u32 } else { 0 };
					let fee = if rng.chance(5) { rng.below(20) } else { 10 + rng.below(1_000_000) };
					let set = SETS[rng.below(SETS.len() as u64) as usize];
					(
						"initiate_pool",
						who,
						RuntimeCall::Reputation(crate::Call::initiate_pool {
							post: rng.below(NextPostId::<Test>::get() + 1),
							param_set: set.to_vec().try_into().unwrap(),
							panel_size: panel,
							fee,
						}),
					)
				},
				27..=56 => {
					// Mostly a holder of free REP in a pool still open.
					let holders: Vec<AccountId> = (1..=ACCOUNTS).filter(|a| free(*a) > 0).collect();
					let who = if holders.is_empty() || rng.chance(10) {
						who
					} else {
						holders[rng.below(holders.len() as u64) as usize]
					};
					let now = System::block_number();
					let open: Vec<PoolId> = (pools.saturating_sub(30)..pools)
						.filter(|p| {
							Pools::<Test>::get(p).is_some_and(|r| {
								r.state == PoolState::Open
									&& now < r.ends_at && r
									.panel
									.as_ref()
									.is_none_or(|m| m.contains(&who) || rng.chance(5))
							})
						})
						.collect();
					let pool = if open.is_empty() || rng.chance(10) {
						rng.below(pools + 1)
					} else {
						open[rng.below(open.len() as u64) as usize]
					};
					let free_rep = free(who);
					let amount = if rng.chance(10) {
						free_rep + 1 + rng.below(10) as Rep
					} else {
						rng.below(free_rep as u64 + 1) as Rep
					};
					let side = if rng.chance(50) { Side::For } else { Side::Against };
					(
						"stake",
						who,
						RuntimeCall::Reputation(crate::Call::stake { pool, side, amount }),
					)
				},
				57..=66 => {
					run_to(System::block_number() + 1 + rng.below(4));
					(
						"advance",
						who,
						RuntimeCall::System(frame_system::Call::remark { remark: vec![] }),
					)
				},
				67..=76 => (
					"settle",
					who,
					RuntimeCall::Reputation(crate::Call::settle { pool: rng.below(pools + 1) }),
				),
				77..=91 => {
					// Mostly a stake in a settled pool.
					let settled: Vec<(PoolId, AccountId)> = Stakes::<Test>::iter()
						.filter(|(p, _, _)| {
							Pools::<Test>::get(p).is_some_and(|r| r.state != PoolState::Open)
						})
						.map(|(p, w, _)| (p, w))
						.collect();
					let (pool, claimer) = if settled.is_empty() || rng.chance(10) {
						(rng.below(pools + 1), who)
					} else {
						settled[rng.below(settled.len() as u64) as usize]
					};
					("claim", claimer, RuntimeCall::Reputation(crate::Call::claim { pool }))
				},
				92..=96 => ("claim_fees", who, RuntimeCall::Reputation(crate::Call::claim_fees {})),
				_ => (
					"remove_post",
					who,
					RuntimeCall::Reputation(crate::Call::remove_post {
						post: rng.below(NextPostId::<Test>::get() + 1),
					}),
				),
			};
			let fee = match &call {
				RuntimeCall::Reputation(crate::Call::initiate_pool { fee, .. }) => *fee as u128,
				_ => 0,
			};
			let result = call.dispatch(RuntimeOrigin::signed(origin));
			if result.is_ok() {
				*ok.entry(kind).or_default() += 1;
				fees_in += fee;
			} else {
				*failed.entry(kind).or_default() += 1;
			}
			for event in events() {
				if let Event::FeesClaimed { amount, .. } = event {
					fees_out += amount as u128;
				}
			}
			let dust = check_invariants();
			max_dust = max_dust.max(dust);
			assert_eq!(Reputation::pot_balance(), fees_in - fees_out, "step {step}: pot");
			assert!(dust <= 2 * u128::from(step + 1), "step {step}: dust {dust}");
		}

		// Wind down: settle every pool, claim every stake and every fee.
		run_to(System::block_number() + 1_000);
		for pool in 0..NextPoolId::<Test>::get() {
			let _ = Reputation::settle(RuntimeOrigin::signed(1), pool);
			let stakers: Vec<AccountId> =
				Stakes::<Test>::iter_prefix(pool).map(|(who, _)| who).collect();
			for who in stakers {
				assert_ok!(Reputation::claim(RuntimeOrigin::signed(who), pool));
			}
		}
		for who in 1..=ACCOUNTS {
			let _ = Reputation::claim_fees(RuntimeOrigin::signed(who));
		}
		let dust = check_invariants();
		assert_eq!(TotalStaked::<Test>::get(), 0);
		assert_eq!(supply(), TotalFree::<Test>::get());
		assert!(Pools::<Test>::iter().all(|(_, p)| p.remaining == 0 && p.state != PoolState::Open));
		let claimable: u128 = (1..=ACCOUNTS).map(|w| Reputation::claimable_fees(&w)).sum();
		assert_eq!(claimable, 0);
		let pot = Reputation::pot_balance();
		let paid_out = fees_in - pot;
		assert_eq!(
			pot,
			ED as u128 + UndistributedFees::<Test>::get() + dust,
			"fees in ({fees_in}) = paid ({paid_out}) + reserve + undistributed + dust"
		);
		println!(
			"randomized run: {STEPS} steps, ok {ok:?}, failed {failed:?}, pools {}, posts {}, \
			 supply {}, fees in {fees_in}, paid {paid_out}, undistributed {}, final dust {dust}, \
			 max dust {max_dust}",
			NextPoolId::<Test>::get(),
			NextPostId::<Test>::get(),
			supply(),
			UndistributedFees::<Test>::get(),
		);
		assert!(ok.get("settle").copied().unwrap_or(0) > 50, "enough settlements");
		assert!(ok.get("claim").copied().unwrap_or(0) > 50, "enough claims");
	});
}
