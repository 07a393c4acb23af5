//! `fetch`: the result of a range instance, checked against its commitment on chain and
//! spot-checked like a validator does; or the blob of a storage instance, checked chunk by
//! chunk against the definition's Merkle root and decrypted.

use gpow_market::{
	range::{RangeDefinition, RangeResult},
	storage::{StorageDefinition, StoredBlob},
	wire::{self, Kind, Message},
	Limits, ServiceKind,
};
use gpow_runtime::{Hash, RuntimeEvent};
use pallet_services::InstanceStatus;
use serde_json::json;

use super::{
	blob,
	cli::Fetch,
	context::{hex, Consumer},
	record::{unhex, InstanceRecord},
	request::{connect, endpoint_error},
	ConsumerError, ConsumerResult,
};
use crate::{endpoint::MarketEndpointClient, validator::judge::spot_check_range};

/// Runs `fetch`.
pub async fn run(consumer: &Consumer, args: &Fetch) -> ConsumerResult<()> {
	let record = InstanceRecord::load(&consumer.store, args.instance)?;
	match record.kind()? {
		ServiceKind::Range => range(consumer, &record, args).await,
		ServiceKind::Storage => storage(consumer, &record, args).await,
	}
}

/// `frame` decoded as an `M`; a frame that does not decode is `mismatch`.
fn decode<M: Message>(frame: &[u8], mismatch: fn(String) -> ConsumerError) -> ConsumerResult<M> {
	wire::decode(frame).map_err(|e| mismatch(e.to_string()))
}

/// The result commitment of the instance: on chain while it is evaluated; once the instance is
/// over, as the store noted it, or else from the `services.ResultSubmitted` event, looked for in
/// the blocks from the request to the deadline (a consumer that never watched the instance).
async fn result_hash(consumer: &Consumer, record: &InstanceRecord) -> ConsumerResult<Hash> {
	let id = record.instance;
	if let Some(instance) = consumer.chain.instance(id, None).await? {
		if let InstanceStatus::Evaluating { result, .. } = instance.status {
			return Ok(result);
		}
	}
	if let Some(noted) = record.result_hash.as_deref() {
		let bytes = unhex("result hash", noted)?;
		return <[u8; 32]>::try_from(bytes.as_slice())
			.map(Hash::from)
			.map_err(|_| ConsumerError::NoResult(id));
	}
	submitted_result(consumer, record).await?.ok_or(ConsumerError::NoResult(id))
}

/// The result hash of the instance's `services.ResultSubmitted` event, searched from the block
/// of its request up to its deadline (or the best block).
async fn submitted_result(
	consumer: &Consumer,
	record: &InstanceRecord,
) -> ConsumerResult<Option<Hash>> {
	let requested: [u8; 32] = unhex("request block", &record.requested_block)?
		.try_into()
		.map_err(|_| ConsumerError::NoResult(record.instance))?;
	let chain = &consumer.chain;
	let Some(first) = chain.head(Hash::from(requested)).await? else { return Ok(None) };
	let last = record.deadline.min(chain.best_head().await?.number);
	for number in first.number..=last {
		let Some(block) = chain.block_hash(number).await? else { break };
		for event in chain.events(block).await? {
			if let RuntimeEvent::Services(pallet_services::Event::ResultSubmitted {
				instance,
				result,
				..
			}) = event.event
			{
				if instance == record.instance {
					return Ok(Some(result));
				}
			}
		}
	}
	Ok(None)
}

/// Fetches, checks and spot-checks a range result.
async fn range(consumer: &Consumer, record: &InstanceRecord, args: &Fetch) -> ConsumerResult<()> {
	let id = record.instance;
	let on_chain = result_hash(consumer, record).await?;
	let definition: RangeDefinition =
		decode(&record.definition_frame()?, ConsumerError::BadDefinition)?;
	let client = connect(id, &record.endpoint).await?;
	let frame = client.result(id).await.map_err(|e| endpoint_error(id, &record.endpoint, e))?.0;
	if !wire::matches_hash(&frame, Kind::RangeResult, &on_chain.0) {
		return Err(ConsumerError::ResultMismatch(format!(
			"the provider's result frame does not hash to {}",
			hex(on_chain.as_bytes())
		)));
	}
	let result: RangeResult = decode(&frame, ConsumerError::ResultMismatch)?;
	// The validators' spot check, from a seed of the consumer's own.
	let seed = blob::random_bytes()?;
	let leaf = |index| client.leaf(id, index);
	let checked = spot_check_range(&definition, &result, &on_chain.0, args.samples, seed, leaf);
	let (verdict, ..) = checked.await.map_err(|e| ConsumerError::BadDefinition(e.to_string()))?;
	if !verdict.pass {
		return Err(ConsumerError::SpotCheckFailed(format!("seed {}: {verdict}", hex(&seed))));
	}
	if let Some(out) = &args.out {
		let lines: String = result.hits.iter().map(|hit| format!("{hit}\n")).collect();
		write(out, lines.as_bytes())?;
	}
	let hits = if args.out.is_some() { json!(null) } else { json!(result.hits) };
	let human = match &args.out {
		Some(out) => format!("written to {}", out.display()),
		None => format!("{:?}", result.hits),
	};
	consumer.output.emit(
		format!(
			"instance {id}: {} hits, result matches {} and passes {} spot checks (seed {}): {human}",
			result.hits.len(),
			hex(on_chain.as_bytes()),
			args.samples,
			hex(&seed)
		),
		json!({
			"event": "fetched",
			"instance": id,
			"kind": "range",
			"resultHash": hex(on_chain.as_bytes()),
			"hitCount": result.hits.len(),
			"hits": hits,
			"commitment": hex(&result.commitment),
			"samples": args.samples,
			"seed": hex(&seed),
			"answerBytes": verdict.answer_bytes,
			"pass": true,
		}),
	);
	Ok(())
}

/// Retrieves, checks and decrypts a stored blob.
async fn storage(consumer: &Consumer, record: &InstanceRecord, args: &Fetch) -> ConsumerResult<()> {
	let id = record.instance;
	let out = args.out.as_ref().ok_or_else(|| ConsumerError::Io {
		path: "--out".into(),
		error: std::io::Error::other("a storage fetch writes the file to --out"),
	})?;
	let definition: StorageDefinition =
		decode(&record.definition_frame()?, ConsumerError::BadDefinition)?;
	let client = connect(id, &record.endpoint).await?;
	let blob = client
		.retrieve(id)
		.await
		.map_err(|e| endpoint_error(id, &record.endpoint, e))?
		.0;
	StoredBlob::accept(&definition, &blob, &Limits::default())
		.map_err(|e| ConsumerError::BlobMismatch(e.to_string()))?;
	let length = record.storage.as_ref().map_or(blob.len() as u64, |s| s.blob_length);
	let encrypted =
		usize::try_from(length).ok().and_then(|len| blob.get(..len)).ok_or_else(|| {
			ConsumerError::BlobMismatch(format!("{} bytes, fewer than {length}", blob.len()))
		})?;
	let file = blob::decrypt(&consumer.store, encrypted)?;
	write(out, &file)?;
	consumer.output.emit(
		format!(
			"instance {id}: {} chunks match the definition; {} bytes decrypted to {}",
			definition.chunks,
			file.len(),
			out.display()
		),
		json!({
			"event": "fetched",
			"instance": id,
			"kind": "storage",
			"chunks": definition.chunks,
			"bytes": file.len(),
			"out": out.display().to_string(),
			"pass": true,
		}),
	);
	Ok(())
}

/// Writes `bytes` to `path`.
fn write(path: &std::path::Path, bytes: &[u8]) -> ConsumerResult<()> {
	std::fs::write(path, bytes)
		.map_err(|error| ConsumerError::Io { path: path.display().to_string(), error })
}
