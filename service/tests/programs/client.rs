//! `gpow-market-client` against a real `gpow-node --dev` (here, in the programs' test binary, so
//! that it shares one link of the native runtime and runs beside the programs' tests): Root registers a service type through sudo,
//! Alice offers it (a bad offer first, which fails by name), Bob requests an instance that
//! negotiation assigns to Alice, the instance reads back with its definition hash, and the
//! event stream delivers its creation; then a second instance runs through evaluation (result,
//! panel pool, stake, settlement, payment, claim). Also: the pool's refusal, a cancel before the
//! deadline and an unreachable node, by name.

use std::time::{Duration, Instant};

use futures::StreamExt;
use gpow_market_client::{Chain, Error, Follow, Head, MarketEvent, Request, RuntimeVersion};
use gpow_runtime::{AccountId, RuntimeCall, RuntimeEvent, UNIT};
use pallet_reputation::{PoolState, Side, StakeRecord};
use pallet_services::InstanceStatus;
use sp_core::{sr25519, Pair, H256};
use sp_runtime::{BoundedVec, Perbill};

use super::support::{free_port, submit_result, Node};

/// `bytes` as a bounded vector of the runtime.
fn bounded<S: sp_core::Get<u32>>(bytes: &[u8]) -> BoundedVec<u8, S> {
	bytes.to_vec().try_into().expect("within the bound")
}

#[tokio::test]
async fn an_instance_is_offered_requested_evaluated_and_paid() {
	let started = Instant::now();
	let mut node = Node::start("client");
	let chain = node.connect().await;
	let key = |suri| sr25519::Pair::from_string(suri, None).expect("a dev key");
	let (alice, bob) = (key("//Alice"), key("//Bob"));
	let (alice_id, bob_id) = (AccountId::from(alice.public()), AccountId::from(bob.public()));

	assert!(chain.runtime_version().await.unwrap().is_native(), "the node runs this runtime");
	assert_eq!(chain.runtime_version().await.unwrap(), RuntimeVersion::native());
	assert_eq!(chain.head(chain.genesis_hash()).await.unwrap().map(|h| h.number), Some(0));
	let mut blocks = chain.follow(Follow::Best).await.unwrap();

	// The pool refuses what an account without funds signs: it cannot pay the fee.
	let nobody = sr25519::Pair::from_string("//Nobody", None).unwrap();
	let cancel = RuntimeCall::Services(pallet_services::Call::cancel { instance: 0 });
	let refused = chain.submit(&nobody, cancel).await.unwrap_err();
	assert!(matches!(refused, Error::Refused { code: 1010, .. }), "{refused}");

	// Root registers a service type through sudo.
	let terms = pallet_services::Terms {
		panel_size: 1,
		param_set: pallet_reputation::default_param_set(),
		deadline: 20,
		author: alice_id.clone(),
		author_share: Perbill::from_percent(10),
		validators_share: Perbill::from_percent(10),
		min_stake: 10 * UNIT,
	};
	let register = pallet_services::Call::register_type {
		name: bounded(b"range compute"),
		schema: H256::repeat_byte(5),
		unit: bounded(b"value"),
		terms,
	};
	let sudo = pallet_sudo::Call::sudo { call: Box::new(RuntimeCall::Services(register)) };
	let registered = chain.submit(&alice, RuntimeCall::Sudo(sudo)).await.unwrap();
	let service_type = registered
		.find(|e| match e {
			RuntimeEvent::Services(pallet_services::Event::TypeRegistered {
				service_type, ..
			}) => Some(*service_type),
			_ => None,
		})
		.unwrap_or_else(|| panic!("sudo did not register the type: {:?}", registered.events));
	let stored = chain.service_type(service_type, None).await.unwrap().expect("stored");
	assert_eq!(stored.terms.deadline, 20);

	// A bad offer fails by name; a good one is listed.
	let endpoint = b"wss://alice.example/range".to_vec();
	let zero = chain.offer(&alice, service_type, 0, UNIT, endpoint.clone(), 100 * UNIT).await;
	let zero = zero.unwrap_err();
	assert_eq!(zero.dispatch_name(), Some("services.ZeroCapacity"), "{zero}");
	chain
		.offer(&alice, service_type, 100, UNIT, endpoint.clone(), 100 * UNIT)
		.await
		.unwrap();
	let offers = chain.offers(service_type, None).await.unwrap();
	assert_eq!(offers.len(), 1);
	assert_eq!((&offers[0].provider, offers[0].capacity), (&alice_id, 100));
	assert_eq!(offers[0].endpoint, endpoint);
	let stored = chain.offer_of(service_type, &alice_id, None).await.unwrap().expect("stored");
	assert_eq!((stored.stake, stored.used), (100 * UNIT, 0));
	assert_eq!(chain.rep(&alice_id, None).await.unwrap().bonded, 100 * UNIT);

	// Bob requests; negotiation assigns Alice, the only provider.
	let definition = H256::from(sp_crypto_hashing::blake2_256(b"a range definition"));
	let request = Request {
		service_type,
		definition,
		payload: b"sealed payload reference".to_vec(),
		volume: 10,
		max_rate: 2 * UNIT,
		provider: None,
	};
	let assigned = chain.request(&bob, request).await.unwrap();
	assert_eq!((&assigned.provider, assigned.fee), (&alice_id, 10 * UNIT));
	let instance = chain
		.instance(assigned.instance, Some(assigned.included.block))
		.await
		.unwrap()
		.expect("the instance is stored");
	assert_eq!(instance.definition, definition);
	assert_eq!((&instance.provider, &instance.consumer), (&alice_id, &bob_id));
	assert_eq!(instance.status, InstanceStatus::Assigned);
	assert_eq!(instance.deadline, assigned.deadline);
	assert_eq!(instance.deadline, instance.requested_at + 20);
	assert_eq!(chain.pool_instance(0, None).await.unwrap(), None);
	assert_eq!(chain.encryption_key(&alice_id, None).await.unwrap(), None);

	// The event stream delivers the creation, in its block, after every block before it.
	let delivered = tokio::time::timeout(Duration::from_secs(30), async {
		let mut previous: Option<Head> = None;
		while let Some(block) = blocks.next().await {
			let block = block.unwrap();
			if let Some(previous) = previous {
				assert_eq!(
					(block.head.number, block.head.parent),
					(previous.number + 1, previous.hash)
				);
			}
			previous = Some(block.head);
			for event in block.events {
				if let MarketEvent::Services(pallet_services::Event::Requested {
					instance,
					provider,
					..
				}) = event
				{
					return Some((block.head.hash, instance, provider));
				}
			}
		}
		None
	})
	.await
	.expect("the stream delivers the request within 30 s");
	assert_eq!(delivered, Some((assigned.included.block, assigned.instance, alice_id.clone())));

	// Bob's instance is not overdue: cancelling it fails by name.
	let early = chain.cancel(&bob, assigned.instance).await.unwrap_err();
	assert_eq!(early.dispatch_name(), Some("services.DeadlineNotReached"), "{early}");

	// An evaluation: Alice//stash (no REP) requests from Alice, Alice submits her result, and
	// Bob, the only other REP holder, is the panel; once he has staked the pool settles early.
	let stash = key("//Alice//stash");
	let request = Request {
		service_type,
		definition,
		payload: Vec::new(),
		volume: 5,
		max_rate: UNIT,
		provider: Some(alice_id.clone()),
	};
	let second = chain.request(&stash, request).await.unwrap();
	let result = H256::repeat_byte(0x11);
	let evidence = H256::repeat_byte(0x22);
	let evaluation = submit_result(&chain, &alice, second.instance, result, evidence).await;
	let pool = chain.pool(evaluation.pool, None).await.unwrap().expect("the pool is stored");
	assert_eq!(pool.panel.map(|panel| panel.into_inner()), Some(vec![bob_id.clone()]));
	assert_eq!(pool.state, PoolState::Open);
	assert_eq!(chain.pool_instance(evaluation.pool, None).await.unwrap(), Some(second.instance));
	let evaluating = chain.instance(second.instance, None).await.unwrap().expect("stored");
	let (pool_id, post) = (evaluation.pool, evaluation.post);
	assert_eq!(evaluating.status, InstanceStatus::Evaluating { pool: pool_id, post, result });

	chain.stake(&bob, pool_id, Side::For, 100 * UNIT).await.unwrap();
	let stake = chain.stake_in(pool_id, &bob_id, None).await.unwrap();
	assert_eq!(stake, Some(StakeRecord { side: Side::For, amount: 100 * UNIT }));
	let settled = chain.settle(&stash, pool_id).await.unwrap();
	let paid = settled.find(|e| match e {
		RuntimeEvent::Services(pallet_services::Event::Paid {
			instance, provider_amount, ..
		}) => Some((*instance, *provider_amount)),
		_ => None,
	});
	// The fee (5 units at 1 GPOW) minus the author's 10 % share.
	assert_eq!(paid, Some((second.instance, 5 * UNIT * 9 / 10)), "{:?}", settled.events);
	let done = chain.instance(second.instance, None).await.unwrap().expect("stored");
	assert_eq!(done.status, InstanceStatus::Completed);
	let claimed = chain.claim(&bob, pool_id).await.unwrap();
	let payout = claimed.find(|e| match e {
		RuntimeEvent::Reputation(pallet_reputation::Event::Claimed { who, payout, .. }) => {
			Some((who.clone(), *payout))
		},
		_ => None,
	});
	let (who, payout) = payout.unwrap_or_else(|| panic!("no Claimed: {:?}", claimed.events));
	assert_eq!(who, bob_id);
	assert!(payout >= 100 * UNIT, "Bob staked on the winning side: {payout}");

	// Finalized blocks follow each other too, below the best.
	let mut finalized = chain.follow(Follow::Finalized).await.unwrap();
	let first = finalized.next().await.expect("a finalized block").unwrap().head;
	let second = finalized.next().await.expect("a finalized block").unwrap().head;
	assert_eq!((second.number, second.parent), (first.number + 1, first.hash));
	assert!(second.number < chain.best_head().await.unwrap().number);
	assert!(chain.finalized_head().await.unwrap().number >= second.number);

	println!("market round trip on a dev node: {:.1} s", started.elapsed().as_secs_f64());
}

#[tokio::test]
async fn an_unreachable_node_is_a_connect_error() {
	let url = format!("ws://127.0.0.1:{}", free_port());
	match Chain::connect(&url).await {
		Err(Error::Connect { url: reported, .. }) => assert_eq!(reported, url),
		Err(other) => panic!("not a connect error: {other}"),
		Ok(_) => panic!("connected to nothing at {url}"),
	}
}
