//! `gpow-provider` against a real `gpow-node --dev`: Root registers the two service types
//! through sudo, the daemon (Alice) offers both, Alice//stash (endowed, no REP) requests two
//! range instances and a storage instance from her and delivers through the SSK channel. The
//! daemon is killed (SIGKILL) right after it accepted the first delivery, before it could
//! submit, and started again: the result is submitted exactly once, with the right result hash
//! (a submission whose panel draw finds nobody but Alice, one in 16, fails as
//! `reputation.NoEligibleMembers` and is tried again in a later block), and the spot checks of
//! `range::evaluate` pass against its endpoint. A delivery whose definition does not match its
//! hash is refused as `DefinitionMismatch`, one not sealed with the pair's SSK as `NotSealed`,
//! and a second delivery of the first instance is a duplicate. The blob's challenges are
//! answered, it is retrieved, and its receipt is submitted after its term. A second storage
//! instance, requested after the restart and never delivered, is declined by the daemon before
//! the middle of its 24 blocks: the chain has it `Declined` and a late delivery is refused as
//! `Declined`.

use std::{
	fs,
	num::NonZeroU64,
	path::Path,
	process::Command,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use futures::StreamExt;
use gpow_market::{
	range::{self, RangeDefinition, RangeResult},
	storage::{self, StoredBlob},
	wire, ServiceKind,
};
use gpow_market_client::{Follow, MarketEvent, Request};
use gpow_runtime::{AccountId, UNIT};
use gpow_service::{
	channel,
	endpoint::{refusal, Delivery, EndpointError, MarketEndpointClient, MAX_MESSAGE_BYTES},
	store::Store,
};
use jsonrpsee::ws_client::{WsClient, WsClientBuilder};
use pallet_services::InstanceStatus;
use sp_core::{sr25519, Bytes, Pair, H256};

use crate::support::{free_port, register_type, until, Node, Process, TempDir, START_TIMEOUT};

/// Starts `gpow-provider` as Alice with `data_dir`, listening at `listen`.
fn start_daemon(node: &str, data_dir: &Path, listen: &str) -> Process {
	Process::spawn(
		Command::new(env!("CARGO_BIN_EXE_gpow-provider"))
			.args(["--node", node, "--data-dir"])
			.arg(data_dir)
			.args(["--listen", listen, "--offer", "range:4096:0.001:100"])
			.args(["--offer", "storage:64:0.001:50"])
			.env("GPOW_SURI", "//Alice"),
	)
}

/// A client of the endpoint at `url`, once it answers `market_hello`.
async fn endpoint(url: &str) -> WsClient {
	let started = Instant::now();
	loop {
		let client = WsClientBuilder::default()
			.max_request_size(MAX_MESSAGE_BYTES)
			.max_response_size(MAX_MESSAGE_BYTES)
			.build(url)
			.await;
		if let Ok(client) = client {
			if client.hello().await.is_ok() {
				return client;
			}
		}
		assert!(started.elapsed() < START_TIMEOUT, "the endpoint at {url} does not answer");
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
}

/// A range of `values` values from 0 under `salt`.
fn range_definition(salt: u8, values: u64) -> RangeDefinition {
	let target = range::target_one_in(NonZeroU64::new(4096).expect("non-zero"));
	RangeDefinition { salt: [salt; 32], start: 0, end: values, target }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_provider_serves_survives_a_kill_and_refuses_bad_deliveries() {
	let started = Instant::now();
	let mut node = Node::start("provider");
	let chain = node.connect().await;
	let url = node.url.clone();
	let alice = sr25519::Pair::from_string("//Alice", None).expect("a dev key");
	let consumer = sr25519::Pair::from_string("//Alice//stash", None).expect("a dev key");
	let alice_id = AccountId::from(alice.public());

	// Every ResultSubmitted, counted per instance from the start.
	let submitted = Arc::new(Mutex::new(Vec::new()));
	let mut blocks = chain.follow(Follow::Best).await.expect("a block stream");
	let seen = submitted.clone();
	tokio::spawn(async move {
		while let Some(Ok(block)) = blocks.next().await {
			for event in block.events {
				if let MarketEvent::Services(pallet_services::Event::ResultSubmitted {
					instance,
					result,
					..
				}) = event
				{
					seen.lock().expect("not poisoned").push((instance, result));
				}
			}
		}
	});

	// The types (range with a long deadline, as the second range is delivered late; storage
	// with a short one, so the undelivered instance is declined, at block 6 of its 24, while the
	// test goes on); the daemon; the consumer's encryption key, meanwhile.
	let register = |kind: ServiceKind, deadline| {
		register_type(&chain, &alice, kind, kind.name(), "unit", deadline)
	};
	let (service_type, storage_type) =
		tokio::join!(register(ServiceKind::Range, 100), register(ServiceKind::Storage, 24));
	let data_dir = TempDir::new("provider", "data");
	let listen = format!("127.0.0.1:{}", free_port());
	let endpoint_url = format!("ws://{listen}");
	let daemon = start_daemon(&url, &data_dir, &listen);
	let consumer_dir = TempDir::new("provider", "consumer");
	let consumer_store = Store::open(&*consumer_dir).expect("the consumer's store");
	let keys = channel::ensure_encryption_key(&chain, &consumer_store, &consumer)
		.await
		.expect("the consumer publishes its key");
	let client = endpoint(&endpoint_url).await;
	let hello = client.hello().await.expect("hello");
	assert_eq!(hello.kinds, vec!["range".to_owned(), "storage".to_owned()]);
	until("Alice's offers on chain", Duration::from_secs(30), || {
		let (chain, alice_id) = (chain.clone(), alice_id.clone());
		async move { chain.offer_of(storage_type, &alice_id, None).await.ok().flatten() }
	})
	.await;

	// Two instances: a large range (1024 units) and a small one. A blob of 16 chunks kept for 3
	// blocks is requested when delivered, and once more, never delivered, after the restart.
	let (large, small) = (range_definition(1, 1 << 20), range_definition(2, 2048));
	let blob: Vec<u8> = (0..1000u32).map(|i| (i * 13 % 251) as u8).collect();
	let stored = StoredBlob::new(&blob, 64, &Default::default()).expect("a blob");
	let storage = stored.definition(3).expect("a term");
	let request = |service_type, definition: [u8; 32], volume| Request {
		service_type,
		definition: H256::from(definition),
		payload: Vec::new(),
		volume,
		max_rate: UNIT,
		provider: Some(alice_id.clone()),
	};
	let (first, second) = tokio::join!(
		chain.request(&consumer, request(service_type, large.definition_hash(), 1024)),
		chain.request(&consumer, request(service_type, small.definition_hash(), 2)),
	);
	let (first, second) = (first.expect("assigned").instance, second.expect("assigned").instance);
	let seal_delivery = |delivery: Delivery| {
		let (chain, store, keys, consumer, alice_id) =
			(&chain, &consumer_store, &keys, &consumer, &alice_id);
		async move {
			channel::seal_delivery(chain, store, consumer, keys, alice_id, &delivery)
				.await
				.expect("sealed")
		}
	};
	let seal = |instance, definition: &RangeDefinition| {
		let definition = wire::encode(definition).expect("small");
		seal_delivery(Delivery { instance, definition, blob: Vec::new() })
	};

	// The first delivery is taken; the daemon is killed at once, before it could submit.
	let receipt = client.deliver(first, Bytes(seal(first, &large).await)).await.expect("taken");
	assert!(!receipt.duplicate);
	assert_eq!(receipt.definition, format!("{:?}", H256::from(large.definition_hash())));
	let before_kill = daemon.kill();
	let job: serde_json::Value = serde_json::from_slice(
		&fs::read(data_dir.join(format!("jobs/{first}.json"))).expect("the job is stored"),
	)
	.expect("JSON");
	assert!(matches!(job["stage"].as_str(), Some("delivered" | "computed")), "{job}");

	// Started again, it resumes the job and submits the result, once.
	let daemon = start_daemon(&url, &data_dir, &listen);
	let client = endpoint(&endpoint_url).await;
	let expected = range::compute(&large, &Default::default()).expect("valid").result().clone();
	let (on_chain, ignored) = tokio::join!(
		until("the result on chain", Duration::from_secs(40), || {
			let chain = chain.clone();
			async move {
				match chain.instance(first, None).await.ok()??.status {
					InstanceStatus::Evaluating { result, .. } => Some(result),
					_ => None,
				}
			}
		}),
		chain.request(&consumer, request(storage_type, storage.definition_hash(), 16)),
	);
	let ignored = ignored.expect("assigned").instance;
	assert_eq!(on_chain, H256::from(expected.result_hash()));

	// The spot checks: the result frame matches the chain, and 20 samples pass.
	let frame = client.result(first).await.expect("the result frame");
	assert!(wire::matches_hash(&frame, wire::Kind::RangeResult, &on_chain.0));
	let delivered: RangeResult = wire::decode(&frame).expect("a result");
	let handle = tokio::runtime::Handle::current();
	let verdict = range::evaluate(&large, &delivered, &on_chain.0, 20, [9; 32], |index| {
		let leaf = tokio::task::block_in_place(|| handle.block_on(client.leaf(first, index)));
		leaf.map_err(|e| e.to_string())
			.and_then(|bytes| wire::decode(&bytes).map_err(|e| e.to_string()))
	})
	.expect("well formed");
	assert!(verdict.pass, "{verdict}");
	let beyond = client.leaf(first, 1 << 20).await.expect_err("out of range");
	assert_eq!(refusal(&beyond), Some(EndpointError::OutOfRange));
	let definition = client.definition(first).await.expect("the definition frame");
	assert!(wire::matches_hash(&definition, wire::Kind::RangeDefinition, &large.definition_hash()));

	// Bad deliveries of the second instance, refused by name; the first is a duplicate.
	let other = seal(second, &range_definition(3, 2048)).await;
	let mismatch = client.deliver(second, Bytes(other)).await.expect_err("refused");
	assert_eq!(refusal(&mismatch), Some(EndpointError::DefinitionMismatch), "{mismatch}");
	let garbage = Bytes(vec![0x5a; 120]);
	let unsealed = client.deliver(second, garbage).await.expect_err("refused");
	assert_eq!(refusal(&unsealed), Some(EndpointError::NotSealed), "{unsealed}");
	let again = client.deliver(first, Bytes(seal(first, &large).await)).await.expect("answered");
	assert!(again.duplicate);
	let ready = client.result(second).await.expect_err("not delivered");
	assert_eq!(refusal(&ready), Some(EndpointError::NotReady));
	// The daemon goes on: the second instance, delivered right, is submitted too.
	let receipt = client.deliver(second, Bytes(seal(second, &small).await)).await.expect("taken");
	assert!(!receipt.duplicate);

	// The blob: challenges answered against the definition's root, the blob retrieved, and
	// the receipt (the definition hash) submitted once the term is over.
	let third = chain
		.request(&consumer, request(storage_type, storage.definition_hash(), 16))
		.await
		.expect("assigned")
		.instance;
	let definition = wire::encode(&storage).expect("small");
	let delivery = Delivery { instance: third, definition, blob: blob.clone() };
	let receipt = client
		.deliver(third, Bytes(seal_delivery(delivery).await))
		.await
		.expect("taken");
	assert!(!receipt.duplicate);
	let verdict = storage::evaluate(&storage, 10, [7; 32], |challenge| {
		let frame = wire::encode(challenge).expect("small");
		let answer =
			tokio::task::block_in_place(|| handle.block_on(client.challenge(third, Bytes(frame))));
		answer
			.map_err(|e| e.to_string())
			.and_then(|bytes| wire::decode(&bytes).map_err(|e| e.to_string()))
	})
	.expect("well formed");
	assert!(verdict.pass, "{verdict}");
	assert_eq!(client.retrieve(third).await.expect("the blob").0, blob);
	let leaf = client.leaf(third, 0).await.expect_err("not a range");
	assert_eq!(refusal(&leaf), Some(EndpointError::Malformed));
	let receipt_on_chain = until("the storage receipt on chain", Duration::from_secs(30), || {
		let chain = chain.clone();
		async move {
			let instance = chain.instance(third, None).await.ok()??;
			match instance.status {
				InstanceStatus::Evaluating { result, .. } => Some((instance.requested_at, result)),
				_ => None,
			}
		}
	})
	.await;
	assert_eq!(receipt_on_chain.1, H256::from(storage.definition_hash()));
	let at = chain.best_head().await.expect("a best block").number;
	assert!(at >= receipt_on_chain.0 + 3, "submitted after the term");

	until("the second result on chain", Duration::from_secs(30), || {
		let submitted = submitted.clone();
		async move {
			submitted
				.lock()
				.expect("not poisoned")
				.iter()
				.any(|s| s.0 == second)
				.then_some(())
		}
	})
	.await;

	// The undelivered storage instance is declined meanwhile (before the middle of its time).
	let id = ignored;
	until("the undelivered instance declined", Duration::from_secs(60), || {
		let chain = chain.clone();
		async move {
			(chain.instance(id, None).await.ok()??.status == InstanceStatus::Declined).then_some(())
		}
	})
	.await;

	let first_results: Vec<_> = submitted
		.lock()
		.expect("not poisoned")
		.iter()
		.filter(|s| s.0 == first)
		.cloned()
		.collect();
	assert_eq!(first_results, vec![(first, on_chain)], "submitted exactly once");
	let lines: Vec<String> = before_kill.into_iter().chain(daemon.lines()).collect();
	let logged = |text: &str| lines.iter().any(|line| line.contains(text));
	let count = |text: String| lines.iter().filter(|line| line.contains(&text)).count();
	let submissions = count(format!("instance {first}: submitted result"))
		+ count(format!("instance {first}: already evaluating"));
	assert_eq!(submissions, 1, "one submission of the first result");
	// The only failure allowed is the panel's draw: it skips Alice, the provider, and finds Bob
	// in at most four draws weighted by free REP, so one submission in 16 finds nobody and the
	// daemon tries again in a later block.
	let failed = format!("instance {first}: submitting the result failed");
	let unlucky = format!("{failed}: reputation.NoEligibleMembers");
	assert_eq!(count(failed), count(unlucky), "no other failure of the first submission");
	assert_eq!(daemon.printed(&["refused delivery"]).len(), 2, "both refusals are logged");
	assert_eq!(daemon.printed(&["DefinitionMismatch"]).len(), 1);
	assert_eq!(daemon.printed(&["NotSealed"]).len(), 1);

	// The undelivered instance: declined, not slashed; its delivery now refused by name.
	assert!(logged(&format!("instance {id}: not delivered by block ")), "declining logged");
	// The daemon logs the decline once its submission sees the block, after the chain has it.
	let declined =
		[format!("instance {id}: declined in block "), format!("{id}: finished: Declined")];
	until("the decline logged", Duration::from_secs(20), || {
		let seen = declined.iter().any(|text| !daemon.printed(&[text]).is_empty());
		async move { seen.then_some(()) }
	})
	.await;
	assert!(!logged(&format!("instance {id}: slashed")), "nothing slashed");
	let delivery =
		Delivery { instance: id, definition: wire::encode(&storage).expect("small"), blob };
	let late = client
		.deliver(id, Bytes(seal_delivery(delivery).await))
		.await
		.expect_err("late");
	assert_eq!(refusal(&late), Some(EndpointError::Declined), "{late}");
	println!("provider round trip on a dev node: {:.1} s", started.elapsed().as_secs_f64());
}
