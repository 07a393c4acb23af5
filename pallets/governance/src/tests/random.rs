//! A randomized run: thousands of propose / stake / settle / claim / block steps from a seeded
//! generator, checking after each that nothing was enacted without a passed (non-bootstrap)
//! pool, that a refused call changed nothing, that deposits add up (held = Σ deposits of voting
//! proposals; burned = Σ deposits of rejected ones), that active counts match and that a
//! preimage is kept exactly while an active proposal needs it.

use super::*;
use gpow_mock_runtime::Rng;
use sp_runtime::traits::Dispatchable;

/// REP holders (also proposers).
const HOLDERS: u64 = 6;
/// Operations per run.
const STEPS: u32 = 3000;

/// The parameter set a `parameters` proposal stores: named after the proposal, so its presence
/// says the proposal was enacted.
fn marker(id: ProposalId) -> ParamSetName {
	set_name(&[b"p".as_slice(), &id.to_le_bytes()].concat())
}

fn random_call(rng: &mut Rng, id: ProposalId) -> (TrackId, RuntimeCall) {
	let store = RuntimeCall::Reputation(pallet_reputation::Call::set_parameter_set {
		name: marker(id),
		params: default_params(),
	});
	match rng.below(10) {
		0..=4 => (PARAMETERS, store),
		// A long call (a preimage) that also stores the marker.
		5 => (
			PARAMETERS,
			RuntimeCall::Utility(pallet_utility::Call::batch_all {
				calls: vec![store, parameter_batch(4)],
			}),
		),
		6 => (
			EMERGENCY,
			RuntimeCall::Governance(Call::cancel { proposal: rng.below(id as u64 + 1) as u32 }),
		),
		7 => (
			UPGRADE,
			RuntimeCall::Governance(Call::authorize_upgrade {
				code_hash: H256::repeat_byte(id as u8),
			}),
		),
		// Not allowed on the track, or not allowed anywhere.
		8 => (UPGRADE, store),
		_ => (PARAMETERS, RuntimeCall::System(frame_system::Call::remark { remark: vec![1] })),
	}
}

fn storage_root() -> Vec<u8> {
	sp_io::storage::root(sp_runtime::StateVersion::V1)
}

/// Applies `call` from `who`; a refused call must leave the state as it was.
fn apply(who: AccountId, call: RuntimeCall) -> bool {
	let before = storage_root();
	let events = System::event_count();
	match call.dispatch(RuntimeOrigin::signed(who)) {
		Ok(_) => true,
		Err(_) => {
			assert_eq!(System::event_count(), events);
			assert_eq!(storage_root(), before, "a refused call changed the state");
			false
		},
	}
}

fn check_invariants(issuance_at_start: u64) {
	Governance::do_try_state().expect("the pallet's invariants hold");
	Reputation::do_try_state().expect("the ledger's invariants hold");
	let proposals: Vec<_> = Proposals::<Test>::iter().collect();
	let needed: alloc::collections::BTreeSet<H256> = proposals
		.iter()
		.filter(|(_, p)| p.status.is_active())
		.filter_map(|(_, p)| match &p.call {
			Bounded::Lookup { hash, .. } => Some(*hash),
			_ => None,
		})
		.collect();
	let mut held_expected = 0;
	let mut burned_expected = 0;
	for (id, p) in &proposals {
		let passed = <Reputation as ValidationPools<AccountId, u64>>::verdict(p.pool)
			== Some(Verdict::Passed);
		let bootstrap = pallet_reputation::Pools::<Test>::get(p.pool).unwrap().bootstrap;
		match &p.status {
			ProposalStatus::Voting => held_expected += p.deposit,
			ProposalStatus::Rejected => burned_expected += p.deposit,
			ProposalStatus::Scheduled { .. } | ProposalStatus::Enacted { .. } => {
				assert!(passed && !bootstrap, "proposal {id} scheduled without a passed pool")
			},
			_ => {},
		}
		// Enacted effects only come from enacted proposals.
		if p.track == PARAMETERS {
			let stored = ParameterSets::<Test>::contains_key(marker(*id));
			let enacted = matches!(p.status, ProposalStatus::Enacted { succeeded: true, .. });
			assert_eq!(stored, enacted, "proposal {id}: marker {stored}, status {:?}", p.status);
		}
		if let Bounded::Lookup { hash, .. } = &p.call {
			assert_eq!(preimage_stored(*hash), needed.contains(hash), "proposal {id}: preimage");
		}
	}
	let held_total: u64 = (1..=ENDOWED).chain([POOR]).map(held).sum();
	assert_eq!(held_total, held_expected, "held deposits");
	assert_eq!(issuance_at_start - Balances::total_issuance(), burned_expected, "burned deposits");
	if let Some(auth) = System::authorized_upgrade() {
		// Only an enacted upgrade proposal authorizes.
		assert!(proposals.iter().any(|(id, p)| p.track == UPGRADE
			&& matches!(p.status, ProposalStatus::Enacted { .. })
			&& *auth.code_hash() == H256::repeat_byte(*id as u8)));
	}
}

/// How the proposals of a run ended: proposed, enacted, rejected, and every status in full.
struct Summary {
	proposed: u32,
	enacted: u32,
	rejected: u32,
	statuses: Vec<ProposalStatus<u64>>,
}

fn run(seed: u64) -> Summary {
	let holders: Vec<_> = (1..=HOLDERS).map(|a| (a, START_REP)).collect();
	let mut summary = Summary { proposed: 0, enacted: 0, rejected: 0, statuses: vec![] };
	new_test_ext_with(holders).execute_with(|| {
		use_bootstrap_pool();
		let mut rng = Rng(seed);
		let issuance = Balances::total_issuance();
		for _ in 0..STEPS {
			let who = 1 + rng.below(HOLDERS);
			let (open, settled): (Vec<_>, Vec<_>) = Proposals::<Test>::iter()
				.map(|(id, p)| (id, p.pool, p.status == ProposalStatus::Voting))
				.partition(|(_, _, voting)| *voting);
			match rng.below(100) {
				0..=11 => {
					let post = post_by(who);
					let id = NextProposalId::<Test>::get();
					let (track, call) = random_call(&mut rng, id);
					// Sometimes from someone who is not the author.
					let proposer = if rng.chance(10) { 1 + (who % HOLDERS) } else { who };
					let ok = apply(
						proposer,
						RuntimeCall::Governance(Call::propose {
							post,
							track,
							call: Box::new(call),
						}),
					);
					summary.proposed += ok as u32;
				},
				12..=61 if !open.is_empty() => {
					let (_, pool, _) = open[rng.below(open.len() as u64) as usize];
					let side = if rng.chance(50) { Side::For } else { Side::Against };
					let amount = 1 + rng.below(400) as Rep;
					apply(
						who,
						RuntimeCall::Reputation(pallet_reputation::Call::stake {
							pool,
							side,
							amount,
						}),
					);
				},
				62..=73 if !open.is_empty() => {
					let (_, pool, _) = open[rng.below(open.len() as u64) as usize];
					apply(who, RuntimeCall::Reputation(pallet_reputation::Call::settle { pool }));
				},
				74..=85 => {
					// A stake of `who` in a settled pool, if any.
					let settled: Vec<PoolId> = settled.iter().map(|(_, pool, _)| *pool).collect();
					let stakes: Vec<PoolId> = pallet_reputation::Stakes::<Test>::iter_keys()
						.filter(|(pool, staker)| *staker == who && settled.contains(pool))
						.map(|(pool, _)| pool)
						.collect();
					if !stakes.is_empty() {
						let pool = stakes[rng.below(stakes.len() as u64) as usize];
						apply(
							who,
							RuntimeCall::Reputation(pallet_reputation::Call::claim { pool }),
						);
					}
				},
				_ => run_to(System::block_number() + 1),
			}
			check_invariants(issuance);
		}
		for (_, p) in Proposals::<Test>::iter() {
			match p.status {
				ProposalStatus::Enacted { .. } => summary.enacted += 1,
				ProposalStatus::Rejected => summary.rejected += 1,
				_ => {},
			}
			summary.statuses.push(p.status);
		}
	});
	summary
}

#[test]
fn random_governance_keeps_its_invariants() {
	let s = run(0x9e37_79b9_7f4a_7c15);
	// The run exercised every path, not just refusals.
	let all = format!("{:?}", s.statuses);
	assert!(s.proposed > 100, "only {} proposals: {all}", s.proposed);
	assert!(s.enacted >= 8, "only {} enacted: {all}", s.enacted);
	assert!(s.rejected >= 8, "only {} rejected: {all}", s.rejected);
}
