//! The provider's endpoint: the off-chain channel between a provider and the consumers and
//! validators of its instances.
//!
//! A provider serves JSON-RPC over WebSocket (and HTTP) at the endpoint its offer names on chain
//! (`ws://host:port`). Byte strings travel as `0x` hex. The methods:
//!
//! | method | caller | what |
//! |---|---|---|
//! | `market_hello` | anyone | the protocol version, the provider's account, the kinds it serves |
//! | `market_deliver(instance, sealed)` | the consumer | its [`Delivery`], sealed with the pair's SSK |
//! | `market_definition(instance)` | the panel | the definition frame (its hash is on chain) |
//! | `market_result(instance)` | consumer, panel | the result frame (its hash is on chain) |
//! | `market_leaf(instance, index)` | the panel | a range leaf and its proof ([`gpow_market::range::LeafAnswer`] frame) |
//! | `market_challenge(instance, challenge)` | consumer, panel | a storage challenge's answer ([`gpow_market::storage::ChunkAnswer`] frame) |
//! | `market_retrieve(instance)` | the consumer | a stored blob (encrypted by the consumer) |
//!
//! Every refusal is an [`EndpointError`], a JSON-RPC error whose code names it and whose data is
//! its name, so a caller in any language can tell `NotSealed` from `DefinitionMismatch`.
//!
//! Everything a caller reads is checked against the chain: a definition or result frame by its
//! hash ([`gpow_market::wire::matches_hash`]), a leaf or chunk by its Merkle proof against the
//! commitment. The endpoint can refuse or lie, and the evaluation says so; it cannot make a
//! caller accept wrong data. What it does not do yet: check that a caller of the read methods is
//! the instance's consumer or on its panel (the definitions and results of the two service types
//! are no secret: a range's salt only makes it new, a stored blob is encrypted by its owner).

use codec::{Decode, Encode};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
};
use serde::{Deserialize, Serialize};
use sp_core::Bytes;

/// The endpoint protocol's version, in [`Hello::version`].
pub const PROTOCOL_VERSION: u32 = 1;

/// The largest JSON-RPC message the endpoint and its clients accept (a delivery with its blob,
/// hex-encoded).
pub const MAX_MESSAGE_BYTES: u32 = 64 << 20;

/// What a consumer delivers for an instance, SCALE-encoded and sealed with the pair's SSK
/// session (a `gpow-client-ssk` frame).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Delivery {
	/// The instance it is for (the seal binds it: a delivery cannot be replayed for another).
	pub instance: u64,
	/// The definition frame (`gpow_market::wire`); its hash is the instance's definition hash.
	pub definition: Vec<u8>,
	/// The blob of a storage instance (already encrypted by the consumer); empty otherwise.
	pub blob: Vec<u8>,
}

/// `market_hello`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hello {
	/// [`PROTOCOL_VERSION`].
	pub version: u32,
	/// The provider's account, SS58.
	pub provider: String,
	/// The kinds it serves (`range`, `storage`).
	pub kinds: Vec<String>,
}

/// `market_deliver`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
	/// The instance.
	pub instance: u64,
	/// The definition hash the provider checked the delivery against, `0x` hex.
	pub definition: String,
	/// True when the provider had this delivery already (a consumer may deliver again).
	pub duplicate: bool,
}

/// The named refusals of the endpoint. The JSON-RPC code is the discriminant; the error's data
/// is the name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[repr(i32)]
pub enum EndpointError {
	/// The chain has no such instance assigned to this provider.
	#[error("no such instance of this provider on chain")]
	UnknownInstance = 5001,
	/// The consumer has posted no SSK envelope to the provider on chain.
	#[error("no SSK envelope from the instance's consumer to this provider on chain")]
	NoChannel = 5002,
	/// The delivery does not open with the pair's SSK (wrong key, tampered, replayed).
	#[error("the delivery is not sealed with the pair's SSK")]
	NotSealed = 5003,
	/// The delivered definition does not hash to the instance's definition hash on chain.
	#[error("the definition does not match the instance's definition hash on chain")]
	DefinitionMismatch = 5004,
	/// A frame that does not decode, or a delivery for another instance or of the wrong kind.
	#[error("malformed message")]
	Malformed = 5005,
	/// The provider will not do this work: beyond its limits, a volume on chain below the
	/// definition's, a storage term that does not fit the deadline.
	#[error("the provider refuses this work")]
	Refused = 5006,
	/// Not yet: the definition has not been delivered, or the result is not computed.
	#[error("not ready yet")]
	NotReady = 5007,
	/// A leaf index or chunk challenge outside the work.
	#[error("index outside the work")]
	OutOfRange = 5008,
	/// The instance is over and its data has been dropped.
	#[error("the instance's data is no longer kept")]
	Gone = 5009,
	/// The provider failed inside (its store, the chain): try again later.
	#[error("internal error of the provider")]
	Internal = 5010,
	/// The provider declined the instance on chain (`services.decline`): it was not delivered
	/// in the first half of its time, or the provider refused the work. The fee is refunded.
	#[error("the provider declined this instance")]
	Declined = 5011,
}

impl EndpointError {
	/// Every refusal.
	pub const ALL: [EndpointError; 11] = [
		Self::UnknownInstance,
		Self::NoChannel,
		Self::NotSealed,
		Self::DefinitionMismatch,
		Self::Malformed,
		Self::Refused,
		Self::NotReady,
		Self::OutOfRange,
		Self::Gone,
		Self::Internal,
		Self::Declined,
	];

	/// The JSON-RPC error code.
	pub fn code(self) -> i32 {
		self as i32
	}

	/// The name, as in the error's data.
	pub fn name(self) -> &'static str {
		match self {
			Self::UnknownInstance => "UnknownInstance",
			Self::NoChannel => "NoChannel",
			Self::NotSealed => "NotSealed",
			Self::DefinitionMismatch => "DefinitionMismatch",
			Self::Malformed => "Malformed",
			Self::Refused => "Refused",
			Self::NotReady => "NotReady",
			Self::OutOfRange => "OutOfRange",
			Self::Gone => "Gone",
			Self::Internal => "Internal",
			Self::Declined => "Declined",
		}
	}

	/// The refusal with JSON-RPC code `code`.
	pub fn from_code(code: i32) -> Option<Self> {
		Self::ALL.into_iter().find(|e| e.code() == code)
	}

	/// The JSON-RPC error, with `detail` added to the message.
	pub fn rpc(self, detail: impl std::fmt::Display) -> ErrorObjectOwned {
		ErrorObject::owned(self.code(), format!("{self}: {detail}"), Some(self.name()))
	}
}

/// The endpoint's methods (server: the provider; client: consumers and validators).
#[rpc(client, server, namespace = "market")]
pub trait MarketEndpoint {
	/// The protocol version, the provider's account and the kinds it serves.
	#[method(name = "hello")]
	async fn hello(&self) -> RpcResult<Hello>;

	/// The consumer's sealed [`Delivery`] for `instance`.
	#[method(name = "deliver")]
	async fn deliver(&self, instance: u64, sealed: Bytes) -> RpcResult<Receipt>;

	/// The definition frame of `instance`.
	#[method(name = "definition")]
	async fn definition(&self, instance: u64) -> RpcResult<Bytes>;

	/// The result frame of `instance`.
	#[method(name = "result")]
	async fn result(&self, instance: u64) -> RpcResult<Bytes>;

	/// The leaf answer frame for value index `index` of range instance `instance`.
	#[method(name = "leaf")]
	async fn leaf(&self, instance: u64, index: u64) -> RpcResult<Bytes>;

	/// The answer frame to the challenge frame `challenge` on storage instance `instance`.
	#[method(name = "challenge")]
	async fn challenge(&self, instance: u64, challenge: Bytes) -> RpcResult<Bytes>;

	/// The blob of storage instance `instance`.
	#[method(name = "retrieve")]
	async fn retrieve(&self, instance: u64) -> RpcResult<Bytes>;
}

/// Why [`connect`] could not make a client.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
	/// Not a `ws://`, `wss://`, `http://` or `https://` URL.
	#[error("{0:?} is not a WebSocket or HTTP URL")]
	BadUrl(String),
	/// The endpoint did not answer.
	#[error("cannot connect to {url}: {error}")]
	Unreachable {
		/// The endpoint.
		url: String,
		/// What the client said.
		error: jsonrpsee::core::client::Error,
	},
}

/// A client of the provider endpoint `url` (`ws://`, `wss://`; `http(s)://` is taken as the same
/// server's WebSocket), with `timeout` for the connection and for each answer, and
/// [`MAX_MESSAGE_BYTES`] messages.
pub async fn connect(
	url: &str,
	timeout: std::time::Duration,
) -> Result<jsonrpsee::ws_client::WsClient, ConnectError> {
	let ws = match url.split_once("://") {
		Some(("ws" | "wss", _)) => url.to_owned(),
		Some(("http", rest)) => format!("ws://{rest}"),
		Some(("https", rest)) => format!("wss://{rest}"),
		_ => return Err(ConnectError::BadUrl(url.to_owned())),
	};
	jsonrpsee::ws_client::WsClientBuilder::default()
		.max_request_size(MAX_MESSAGE_BYTES)
		.max_response_size(MAX_MESSAGE_BYTES)
		.connection_timeout(timeout)
		.request_timeout(timeout)
		.build(&ws)
		.await
		.map_err(|error| ConnectError::Unreachable { url: url.to_owned(), error })
}

/// The [`EndpointError`] a client's error carries, if the provider refused by name.
pub fn refusal(error: &jsonrpsee::core::client::Error) -> Option<EndpointError> {
	match error {
		jsonrpsee::core::client::Error::Call(object) => EndpointError::from_code(object.code()),
		_ => None,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn refusals_round_trip_by_code_and_name() {
		for e in EndpointError::ALL {
			assert_eq!(EndpointError::from_code(e.code()), Some(e));
			let object = e.rpc("detail");
			assert_eq!(object.code(), e.code());
			assert!(object.message().ends_with(": detail"));
			let data: String = serde_json::from_str(object.data().unwrap().get()).unwrap();
			assert_eq!(data, e.name());
		}
		assert_eq!(EndpointError::from_code(-32601), None);
	}

	#[test]
	fn a_delivery_names_its_instance() {
		let delivery = Delivery { instance: 9, definition: vec![1, 2], blob: Vec::new() };
		let decoded = Delivery::decode(&mut &delivery.encode()[..]).unwrap();
		assert_eq!(decoded, delivery);
		assert_eq!(decoded.instance, 9);
	}
}
