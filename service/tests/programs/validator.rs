//! `gpow-validator` against a real `gpow-node --dev`: Root registers a range-compute type with a
//! panel of one; Alice (the type's author and its provider) offers it at an in-test endpoint;
//! Ferdie (funded by Alice) requests two instances; Alice submits both results; Bob, the only
//! other REP holder, is each pool's panel and runs the daemon (the built binary, as a child
//! process; a submission whose draw finds only Alice, one in 16, is tried again in a later
//! block). The honest instance gets `For` and is paid; the one whose endpoint cheats on half
//! the values gets `Against`, and Ferdie is refunded. Both pools settle early (the panel has
//! staked) and Bob claims both. A restarted daemon finds nothing left to do.

use std::{
	fs,
	path::Path,
	process::Command,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use futures::StreamExt;
use gpow_market::{
	kind::range_volume,
	range::{compute, compute_cheating, target_one_in, RangeDefinition},
	Limits, ServiceKind,
};
use gpow_market_client::{Follow, MarketEvent, Request};
use gpow_runtime::{AccountId, RuntimeCall, UNIT};
use gpow_service::validator::{
	job::{Job, Outcome, Stage},
	record::VerdictRecord,
};
use pallet_services::InstanceStatus;
use sp_core::{sr25519, Pair, H256};

use crate::support::{register_type, submit_result, Node, Process, TempDir};

use gpow_service::endpoint as endpoint_api;
// Storage serving is for the unit tests.
#[allow(dead_code)]
#[path = "../../src/validator/test_endpoint.rs"]
mod test_endpoint;
use test_endpoint::{Served, TestEndpoint};

/// How long both pools may take from the results to the claims.
const JUDGE_TIMEOUT: Duration = Duration::from_secs(60);
/// The evidence hash of Alice's results.
const EVIDENCE: H256 = H256::repeat_byte(0xee);

/// Starts the validator daemon as Bob with `dir`.
fn start_validator(url: &str, dir: &Path) -> Process {
	Process::spawn(
		Command::new(env!("CARGO_BIN_EXE_gpow-validator"))
			.args(["--node", url, "--suri", "//Bob", "--samples", "20", "--data-dir"])
			.arg(dir),
	)
}

/// A range of 4,096 values (4 volume units) under `salt`.
fn definition(salt: u8) -> RangeDefinition {
	let target = target_one_in(std::num::NonZeroU64::new(64).unwrap());
	RangeDefinition { salt: [salt; 32], start: 0, end: 4096, target }
}

/// The job of `pool` in the daemon's store.
fn job(dir: &Path, pool: u64) -> Option<Job> {
	let json = fs::read(dir.join(Job::file(pool))).ok()?;
	serde_json::from_slice(&json).ok()
}

#[tokio::test]
async fn the_validator_judges_stakes_settles_and_claims() {
	let started = Instant::now();
	let mut node = Node::start("validator");
	let chain = node.connect().await;
	let url = node.url.clone();
	let pair = |suri: &str| sr25519::Pair::from_string(suri, None).unwrap();
	let (alice, bob, ferdie) = (pair("//Alice"), pair("//Bob"), pair("//Ferdie"));
	let (alice_id, bob_id) = (AccountId::from(alice.public()), AccountId::from(bob.public()));
	let events = Arc::new(Mutex::new(Vec::new()));
	let mut blocks = chain.follow(Follow::Best).await.unwrap();
	let seen = events.clone();
	tokio::spawn(async move {
		while let Some(Ok(block)) = blocks.next().await {
			seen.lock().unwrap().extend(block.events);
		}
	});

	// The dev chain endows Alice and Bob only: Alice funds Ferdie meanwhile.
	let ferdie_id = AccountId::from(ferdie.public());
	let fund = gpow_runtime::BalancesCall::transfer_keep_alive {
		dest: ferdie_id.into(),
		value: 1_000 * UNIT,
	};
	let (service_type, funded) = futures::join!(
		register_type(&chain, &alice, ServiceKind::Range, "range compute", "1024 values", 50),
		chain.submit(&alice, RuntimeCall::Balances(fund))
	);
	funded.unwrap();
	let endpoint = TestEndpoint::default();
	let (endpoint_url, server) = endpoint.start().await;
	let offer = endpoint_url.clone().into_bytes();
	chain.offer(&alice, service_type, 100, UNIT, offer, 100 * UNIT).await.unwrap();

	let dir = TempDir::new("validator", "data");
	let validator = start_validator(&url, &dir);

	// Ferdie requests two ranges from Alice.
	let (honest, cheat) = (definition(1), definition(2));
	let request = |definition: &RangeDefinition| Request {
		service_type,
		definition: H256(definition.definition_hash()),
		payload: Vec::new(),
		volume: range_volume(definition).unwrap(),
		max_rate: UNIT,
		provider: Some(alice_id.clone()),
	};
	let (first, second) = futures::join!(
		chain.request(&ferdie, request(&honest)),
		chain.request(&ferdie, request(&cheat))
	);
	let (first, second) = (first.unwrap(), second.unwrap());

	// Alice's endpoint serves the first honestly and cheats on half of the second.
	let limits = Limits::default();
	let honest_work = compute(&honest, &limits).unwrap();
	let cheat_work = compute_cheating(&cheat, &limits, 0.5, [7; 32]).unwrap();
	let results = (honest_work.result().result_hash(), cheat_work.result().result_hash());
	endpoint.serve(first.instance, Served::Range(honest, honest_work));
	endpoint.serve(second.instance, Served::Range(cheat, cheat_work));
	let (evaluation_1, evaluation_2) = futures::join!(
		submit_result(&chain, &alice, first.instance, H256(results.0), EVIDENCE),
		submit_result(&chain, &alice, second.instance, H256(results.1), EVIDENCE)
	);
	let (pool_1, pool_2) = (evaluation_1.pool, evaluation_2.pool);
	let submitted = started.elapsed();

	// The daemon stakes, settles and claims both.
	for pool in [pool_1, pool_2] {
		validator.wait_for(&[&format!("pool {pool}: claimed")], JUDGE_TIMEOUT).await;
	}
	let judged = started.elapsed() - submitted;
	assert!(!validator.printed(&[&format!("pool {pool_1}: staked For")]).is_empty());
	assert!(!validator.printed(&[&format!("pool {pool_2}: staked Against")]).is_empty());
	for pool in [pool_1, pool_2] {
		let job = job(&dir, pool).expect("the job is in the store");
		assert!(
			matches!(job.stage, Stage::Closed(Outcome::Claimed { payout: Some(_) })),
			"{job:?}"
		);
		assert_eq!(chain.stake_in(pool, &bob_id, None).await.unwrap(), None);
	}

	// The verdicts, as the store keeps them.
	let verdict = |pool: u64| -> VerdictRecord {
		serde_json::from_slice(&fs::read(dir.join(VerdictRecord::file(pool))).unwrap()).unwrap()
	};
	let (passed, failed) = (verdict(pool_1), verdict(pool_2));
	assert!(passed.pass && passed.rounds[0].reasons.is_empty(), "{passed:?}");
	assert_eq!(passed.rounds[0].samples.len(), 20);
	assert!(!failed.pass);
	assert!(failed.rounds[0].reasons.iter().any(|r| r.name == "WrongHash"), "{failed:?}");

	// The chain: Alice paid for the first, Ferdie refunded for the second.
	let status = |instance| {
		let chain = chain.clone();
		async move { chain.instance(instance, None).await.unwrap().unwrap().status }
	};
	assert_eq!(status(first.instance).await, InstanceStatus::Completed);
	assert_eq!(status(second.instance).await, InstanceStatus::Failed);
	let events = events.lock().unwrap().clone();
	assert!(events.iter().any(|e| matches!(e,
		MarketEvent::Services(pallet_services::Event::Paid { instance, .. }) if *instance == first.instance)));
	assert!(events.iter().any(|e| matches!(e,
		MarketEvent::Services(pallet_services::Event::Refunded { instance, amount, .. })
			if *instance == second.instance && *amount == second.fee)));

	// A restarted daemon has nothing left to do: it stakes nothing twice.
	drop(validator);
	let restarted = start_validator(&url, &dir);
	restarted.wait_for(&["0 open pools"], JUDGE_TIMEOUT).await;
	restarted.wait_for(&["following best blocks"], JUDGE_TIMEOUT).await;
	tokio::time::sleep(Duration::from_secs(4)).await;
	assert!(restarted.printed(&["pool "]).is_empty(), "{:?}", restarted.lines());

	server.stop().unwrap();
	println!(
		"validator round trip on a dev node: {:.1} s in all, {:.1} s from the results to both \
		 claims",
		started.elapsed().as_secs_f64(),
		judged.as_secs_f64()
	);
}
