//! `status`, `wait`, `list` and `cancel`: the instance as the chain and the store know it.

use std::time::{Duration, Instant};

use futures::StreamExt;
use gpow_market_client::{Error as ChainError, Follow, Instance};
use gpow_runtime::{Hash, RuntimeEvent};
use pallet_services::{InstanceId, InstanceStatus};
use serde_json::{json, Value};
use sp_core::crypto::Ss58Codec;

use super::{
	context::{gpow, hex, now_ms, Consumer},
	record::InstanceRecord,
	ConsumerError, ConsumerResult,
};
use crate::types::status_name;

/// Instance `id` at block `at` (the best block if `None`); its result commitment and pool are
/// noted in the store's record when the status shows them.
async fn read(consumer: &Consumer, id: InstanceId, at: Option<Hash>) -> ConsumerResult<Instance> {
	let instance = consumer.chain.instance(id, at).await?.ok_or(ConsumerError::NotOnChain(id))?;
	if let InstanceStatus::Evaluating { pool, result, .. } = &instance.status {
		if let Ok(mut record) = InstanceRecord::load(&consumer.store, id) {
			if record.note_result(*pool, result.as_bytes()) {
				record.save(&consumer.store)?;
			}
		}
	}
	Ok(instance)
}

/// The JSON description of `instance` (with its pool, if it has one open).
async fn describe(
	consumer: &Consumer,
	id: InstanceId,
	instance: &Instance,
) -> ConsumerResult<Value> {
	let (status, outcome) = status_name(&instance.status);
	let mut value = json!({
		"instance": id,
		"status": status,
		"outcome": outcome,
		"serviceType": instance.service_type,
		"provider": instance.provider.to_ss58check(),
		"consumer": instance.consumer.to_ss58check(),
		"volume": instance.volume,
		"fee": instance.fee.to_string(),
		"feeGpow": gpow(instance.fee),
		"requestedAt": instance.requested_at,
		"deadline": instance.deadline,
		"definitionHash": hex(instance.definition.as_bytes()),
		"bestBlock": consumer.chain.best_head().await?.number,
	});
	if let InstanceStatus::Evaluating { pool, post, result } = &instance.status {
		value["pool"] = json!(pool);
		value["post"] = json!(post);
		value["resultHash"] = json!(hex(result.as_bytes()));
		if let Some(record) = consumer.chain.pool(*pool, None).await? {
			value["poolState"] = json!(format!("{:?}", record.state));
			value["poolEndsAt"] = json!(record.ends_at);
			value["stakeFor"] = json!(record.stake_for.to_string());
			value["stakeAgainst"] = json!(record.stake_against.to_string());
		}
	}
	if let Ok(record) = InstanceRecord::load(&consumer.store, id) {
		value["store"] = serde_json::to_value(&record).unwrap_or(Value::Null);
	}
	Ok(value)
}

/// Runs `status`.
pub async fn status(consumer: &Consumer, id: InstanceId) -> ConsumerResult<()> {
	let instance = read(consumer, id, None).await?;
	let mut value = describe(consumer, id, &instance).await?;
	let human = format!(
		"instance {id}: {} (provider {}, deadline block {}, best block {}{}{})",
		value["status"].as_str().unwrap_or_default(),
		value["provider"].as_str().unwrap_or_default(),
		instance.deadline,
		value["bestBlock"],
		value.get("pool").map(|p| format!(", pool {p}")).unwrap_or_default(),
		value.get("poolState").map(|s| format!(" {s}")).unwrap_or_default(),
	);
	value["command"] = json!("status");
	consumer.output.emit(human, value);
	Ok(())
}

/// Runs `wait`: follows the best blocks until the instance is finished, or `timeout` seconds.
pub async fn wait(consumer: &Consumer, id: InstanceId, timeout: u64) -> ConsumerResult<()> {
	let started = Instant::now();
	let mut heads = consumer.chain.heads(Follow::Best).await?;
	let mut last = read(consumer, id, None).await?;
	let finished = async {
		while status_name(&last.status).1.is_none() {
			match heads.next().await {
				Some(Ok(head)) => last = read(consumer, id, Some(head.hash)).await?,
				Some(Err(_)) => continue,
				None => {
					let reason = "the node ended the subscription (it went away)".into();
					let ended = ChainError::Rpc { method: "chain_subscribeNewHeads", reason };
					return Err(ended.into());
				},
			}
		}
		Ok::<bool, ConsumerError>(status_name(&last.status).1.is_some())
	};
	let done = tokio::time::timeout(Duration::from_secs(timeout), finished).await;
	if !matches!(done, Ok(Ok(true))) {
		if let Ok(Err(e)) = done {
			return Err(e);
		}
		let status = status_name(&last.status).0.to_owned();
		return Err(ConsumerError::Timeout { instance: id, status, seconds: timeout });
	}
	let mut value = describe(consumer, id, &last).await?;
	let record = InstanceRecord::load(&consumer.store, id).ok();
	let since_request = record.map(|r| now_ms().saturating_sub(r.requested_at_ms));
	value["event"] = json!("finished");
	value["waitedMs"] = json!(started.elapsed().as_millis() as u64);
	value["sinceRequestMs"] = json!(since_request);
	let (status, outcome) = status_name(&last.status);
	let took = since_request
		.map(|ms| format!(", {:.1} s after the request", ms as f64 / 1000.0))
		.unwrap_or_default();
	consumer
		.output
		.emit(format!("instance {id}: {status}: {}{took}", outcome.unwrap_or(status)), value);
	Ok(())
}

/// Runs `list`.
pub async fn list(consumer: &Consumer) -> ConsumerResult<()> {
	for record in InstanceRecord::all(&consumer.store)? {
		let on_chain = consumer.chain.instance(record.instance, None).await?;
		let status = on_chain.as_ref().map_or("closed", |i| status_name(&i.status).0);
		consumer.output.emit(
			format!(
				"instance {}: {} {} from {}{}",
				record.instance,
				record.kind,
				status,
				record.provider,
				if record.delivered { "" } else { " (not delivered)" }
			),
			json!({
				"command": "list",
				"instance": record.instance,
				"kind": record.kind,
				"status": status,
				"provider": record.provider,
				"endpoint": record.endpoint,
				"delivered": record.delivered,
				"deadline": record.deadline,
			}),
		);
	}
	Ok(())
}

/// Runs `cancel`: the fee comes back and the provider's backing is slashed; before the deadline
/// the chain refuses with `services.DeadlineNotReached`.
pub async fn cancel(consumer: &Consumer, id: InstanceId) -> ConsumerResult<()> {
	let included = consumer.chain.cancel(&consumer.pair, id).await?;
	let refunded = included.find(|event| match event {
		RuntimeEvent::Services(pallet_services::Event::Refunded { amount, .. }) => Some(*amount),
		_ => None,
	});
	let slashed = included.find(|event| match event {
		RuntimeEvent::Services(pallet_services::Event::Slashed { amount, .. }) => Some(*amount),
		_ => None,
	});
	let refunded = refunded.unwrap_or_default();
	consumer.output.emit(
		format!("instance {id}: cancelled, {} GPOW refunded", gpow(refunded)),
		json!({
			"event": "cancelled",
			"instance": id,
			"refunded": refunded.to_string(),
			"slashed": slashed.map(|s| s.to_string()),
			"block": hex(included.block.as_bytes()),
		}),
	);
	Ok(())
}
