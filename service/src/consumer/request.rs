//! `request range|storage` and `deliver`: the definition's hash goes on chain with the request
//! (the payload reference stays empty: the definition itself travels through the SSK channel,
//! and its hash commits it), negotiation picks the provider, and the definition (with the
//! encrypted blob for storage) is sealed to the provider and delivered at its endpoint.

use std::time::Duration;

use codec::Encode;
use gpow_market::{
	kind::{range_volume, storage_volume},
	range::{target_one_in, RangeDefinition},
	storage::StoredBlob,
	wire, Limits, ServiceKind,
};
use gpow_market_client::Request;
use gpow_runtime::Balance;
use jsonrpsee::{core::client::Error as ClientError, ws_client::WsClient};
use pallet_services::InstanceId;
use serde_json::json;
use sp_core::{crypto::Ss58Codec, Bytes, H256};

use super::{
	blob,
	cli::{RangeRequest, RequestOptions, StorageRequest},
	context::{account, gpow, hex, now_ms, parse_gpow, Consumer},
	follow,
	record::{InstanceRecord, StoredFile},
	ConsumerError, ConsumerResult,
};
use crate::{
	channel::{self, ChannelKeys},
	endpoint::{self, Delivery, MarketEndpointClient},
	store::StoreError,
	types::{self, longest_term},
};

/// How long a provider's endpoint may take to connect or to answer.
pub const ENDPOINT_TIMEOUT: Duration = Duration::from_secs(30);

/// The store file of a storage instance's encrypted blob, kept to deliver it again.
fn blob_file(instance: InstanceId) -> String {
	format!("blobs/{instance}.bin")
}

/// Runs `request range`.
pub async fn range(consumer: &Consumer, args: &RangeRequest) -> ConsumerResult<()> {
	let one_in = std::num::NonZeroU64::new(args.one_in)
		.ok_or_else(|| ConsumerError::BadDefinition("--one-in must be at least 1".into()))?;
	let definition = RangeDefinition {
		salt: blob::random_bytes()?,
		start: args.start,
		end: args.end,
		target: target_one_in(one_in),
	};
	let volume = range_volume(&definition).ok_or_else(|| {
		ConsumerError::BadDefinition(format!("the range [{}, {}) is empty", args.start, args.end))
	})?;
	let frame =
		wire::encode(&definition).map_err(|e| ConsumerError::BadDefinition(e.to_string()))?;
	let (service_type, _) = find_type(consumer, ServiceKind::Range).await?;
	let kind = ServiceKind::Range;
	let work = Work { kind, service_type, frame, hash: definition.definition_hash(), volume };
	request(consumer, work, None, &args.options).await
}

/// Runs `request storage`.
pub async fn storage(consumer: &Consumer, args: &StorageRequest) -> ConsumerResult<()> {
	let path = args.file.display().to_string();
	let file = std::fs::read(&args.file).map_err(|error| ConsumerError::Io { path, error })?;
	if file.is_empty() {
		return Err(ConsumerError::BadDefinition("the file is empty".into()));
	}
	let encrypted = blob::encrypt(&consumer.store, &file)?;
	let stored = StoredBlob::new(&encrypted, args.chunk_size, &Limits::default())
		.map_err(|e| ConsumerError::BadDefinition(e.to_string()))?;
	let (service_type, registered) = find_type(consumer, ServiceKind::Storage).await?;
	let term = args.term.unwrap_or_else(|| longest_term(registered.terms.deadline));
	let definition = stored
		.definition(term)
		.map_err(|e| ConsumerError::BadDefinition(e.to_string()))?;
	let frame =
		wire::encode(&definition).map_err(|e| ConsumerError::BadDefinition(e.to_string()))?;
	let volume = storage_volume(&definition);
	let kind = ServiceKind::Storage;
	let work = Work { kind, service_type, frame, hash: definition.definition_hash(), volume };
	let name = args
		.file
		.file_name()
		.map(|n| n.to_string_lossy().into_owned())
		.unwrap_or_default();
	let file = StoredFile { file: name, blob_length: encrypted.len() as u64 };
	request(consumer, work, Some((file, encrypted)), &args.options).await
}

/// A definition ready to request.
struct Work {
	kind: ServiceKind,
	/// The registered type of `kind` it is requested as.
	service_type: u32,
	frame: Vec<u8>,
	hash: gpow_market::Hash,
	volume: u64,
}

/// The registered type of `kind`.
async fn find_type(
	consumer: &Consumer,
	kind: ServiceKind,
) -> ConsumerResult<(u32, gpow_market_client::ServiceType)> {
	types::find(&consumer.chain, kind)
		.await?
		.ok_or(ConsumerError::NoServiceType(kind.name()))
}

/// Requests `work`, keeps the instance in the store, delivers it and, with `--wait`, follows
/// it to its outcome.
async fn request(
	consumer: &Consumer,
	work: Work,
	stored: Option<(StoredFile, Vec<u8>)>,
	options: &RequestOptions,
) -> ConsumerResult<()> {
	let service_type = work.service_type;
	let max_rate: Balance = match &options.max_rate {
		Some(rate) => parse_gpow(rate)?,
		// An offer's rate is at most u64::MAX.
		None => Balance::from(u64::MAX),
	};
	let provider = options.provider.as_deref().map(account).transpose()?;
	// The key is published before the request, so a failure here leaves no instance behind.
	let keys =
		channel::ensure_encryption_key(&consumer.chain, &consumer.store, &consumer.pair).await?;
	let request = Request {
		service_type,
		definition: H256(work.hash),
		payload: Vec::new(),
		volume: work.volume,
		max_rate,
		provider,
	};
	let assigned = consumer.chain.request(&consumer.pair, request).await?;
	let requested_at_ms = now_ms();
	let endpoint = consumer
		.chain
		.offer_of(service_type, &assigned.provider, Some(assigned.included.block))
		.await?
		.map(|offer| String::from_utf8_lossy(&offer.endpoint).into_owned())
		.unwrap_or_default();
	let (storage, blob) = match stored {
		Some((file, blob)) => (Some(file), Some(blob)),
		None => (None, None),
	};
	if let Some(blob) = &blob {
		consumer.store.put_bytes(&blob_file(assigned.instance), blob, false)?;
	}
	let record = InstanceRecord {
		instance: assigned.instance,
		kind: work.kind.name().into(),
		service_type,
		provider: assigned.provider.to_ss58check(),
		endpoint,
		definition: hex(&work.frame),
		definition_hash: hex(&work.hash),
		volume: work.volume,
		fee: assigned.fee.to_string(),
		deadline: assigned.deadline,
		requested_block: hex(assigned.included.block.as_bytes()),
		requested_at_ms,
		delivered: false,
		result_hash: None,
		pool: None,
		storage,
	};
	record.save(&consumer.store)?;
	consumer.output.emit(
		format!(
			"instance {}: requested from {} at {} for {} GPOW, deadline block {}",
			record.instance,
			record.provider,
			record.endpoint,
			gpow(assigned.fee),
			record.deadline
		),
		json!({
			"event": "requested",
			"instance": record.instance,
			"kind": record.kind,
			"serviceType": service_type,
			"provider": record.provider,
			"endpoint": record.endpoint,
			"volume": record.volume,
			"fee": record.fee,
			"feeGpow": gpow(assigned.fee),
			"deadline": record.deadline,
			"definitionHash": record.definition_hash,
			"requestedBlock": record.requested_block,
			"requestedAtMs": requested_at_ms,
		}),
	);
	deliver_record(consumer, &keys, record, blob.unwrap_or_default()).await?;
	if options.wait {
		follow::wait(consumer, assigned.instance, options.timeout).await?;
	}
	Ok(())
}

/// Runs `deliver`: sends the stored definition (and blob) again.
pub async fn deliver(consumer: &Consumer, instance: InstanceId) -> ConsumerResult<()> {
	let record = InstanceRecord::load(&consumer.store, instance)?;
	let blob = match record.storage {
		// Without its blob a storage delivery would be refused for an unrelated reason.
		Some(_) => {
			consumer.store.get_bytes(&blob_file(instance))?.ok_or_else(|| StoreError::Io {
				path: consumer.store.dir().join(blob_file(instance)),
				error: std::io::ErrorKind::NotFound.into(),
			})?
		},
		None => Vec::new(),
	};
	let keys =
		channel::ensure_encryption_key(&consumer.chain, &consumer.store, &consumer.pair).await?;
	deliver_record(consumer, &keys, record, blob).await
}

/// Seals the delivery of `record` to its provider with the consumer's `keys` and delivers it
/// at the provider's endpoint.
async fn deliver_record(
	consumer: &Consumer,
	keys: &ChannelKeys,
	mut record: InstanceRecord,
	blob: Vec<u8>,
) -> ConsumerResult<()> {
	let provider = account(&record.provider)?;
	let delivery =
		Delivery { instance: record.instance, definition: record.definition_frame()?, blob };
	let sealed = channel::seal_delivery(
		&consumer.chain,
		&consumer.store,
		&consumer.pair,
		keys,
		&provider,
		&delivery,
	)
	.await?;
	let instance = record.instance;
	let client = connect(instance, &record.endpoint).await?;
	let receipt = client
		.deliver(instance, Bytes(sealed))
		.await
		.map_err(|e| endpoint_error(instance, &record.endpoint, e))?;
	record.delivered = true;
	record.save(&consumer.store)?;
	consumer.output.emit(
		format!(
			"instance {instance}: delivered to {} ({} bytes sealed{})",
			record.endpoint,
			delivery.encoded_size(),
			if receipt.duplicate { ", again" } else { "" }
		),
		json!({
			"event": "delivered",
			"instance": instance,
			"provider": record.provider,
			"endpoint": record.endpoint,
			"definitionHash": receipt.definition,
			"duplicate": receipt.duplicate,
			"deliveredAtMs": now_ms(),
		}),
	);
	Ok(())
}

/// A client of the provider's endpoint `url` for `instance` ([`endpoint::connect`]).
pub async fn connect(instance: InstanceId, url: &str) -> ConsumerResult<WsClient> {
	endpoint::connect(url, ENDPOINT_TIMEOUT).await.map_err(|e| match e {
		endpoint::ConnectError::BadUrl(url) => ConsumerError::BadEndpoint(url),
		endpoint::ConnectError::Unreachable { error, .. } => endpoint_error(instance, url, error),
	})
}

/// A client's error: the provider's refusal by name, or an unreachable endpoint.
pub fn endpoint_error(instance: InstanceId, endpoint: &str, error: ClientError) -> ConsumerError {
	match (endpoint::refusal(&error), &error) {
		(Some(refusal), ClientError::Call(object)) => {
			ConsumerError::Refused { refusal, message: object.message().to_owned() }
		},
		_ => ConsumerError::Unreachable {
			instance,
			endpoint: endpoint.to_owned(),
			reason: error.to_string(),
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::endpoint::EndpointError;
	use jsonrpsee::types::ErrorObject;

	#[tokio::test]
	async fn endpoints_and_refusals_are_named() {
		for bad in ["127.0.0.1:9", "ftp://host", ""] {
			assert!(matches!(connect(1, bad).await, Err(ConsumerError::BadEndpoint(_))), "{bad}");
		}
		let refused = ClientError::Call(EndpointError::DefinitionMismatch.rpc("hash 0x12"));
		match endpoint_error(4, "ws://x", refused) {
			e @ ConsumerError::Refused { refusal: EndpointError::DefinitionMismatch, .. } => {
				assert_eq!(e.name(), "DefinitionMismatch");
				assert!(e.to_string().ends_with("hash 0x12"), "{e}");
			},
			other => panic!("not a refusal: {other}"),
		}
		let other = ClientError::Call(ErrorObject::owned(-32601, "no method", None::<()>));
		let e = endpoint_error(4, "ws://x", other);
		assert_eq!(e.name(), "EndpointUnreachable");
		assert!(e.to_string().contains("gpow-service deliver 4"), "{e}");
	}
}
