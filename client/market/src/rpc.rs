//! The node's JSON-RPC methods this crate uses, typed: every answer is read into a Rust type, and
//! a failure or an answer of the wrong shape is an [`Error`] naming the method.

use std::time::Duration;

use gpow_runtime::{AccountId, BlockNumber, Hash, Header, Nonce};
use jsonrpsee::{
	core::{
		client::{ClientT, Subscription, SubscriptionClientT},
		params::ArrayParams,
		ClientError,
	},
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use serde::{de::DeserializeOwned, Deserialize};
use sp_core::Bytes;

use crate::error::{Error, Result};

/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The runtime version as `state_getRuntimeVersion` reports it: the fields a signer needs.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeVersion {
	/// The runtime's name: `gpow`.
	pub spec_name: String,
	/// Its spec version, signed into every transaction (`CheckSpecVersion`).
	pub spec_version: u32,
	/// Its transaction version, signed into every transaction (`CheckTxVersion`).
	pub transaction_version: u32,
}

impl RuntimeVersion {
	/// The version of the runtime this crate was compiled with, whose types it decodes with.
	pub fn native() -> Self {
		let native = &gpow_runtime::VERSION;
		RuntimeVersion {
			spec_name: native.spec_name.to_string(),
			spec_version: native.spec_version,
			transaction_version: native.transaction_version,
		}
	}

	/// Whether this is the version this crate was compiled with: if not, a call or a stored
	/// value whose layout changed since may fail to encode or decode.
	pub fn is_native(&self) -> bool {
		*self == Self::native()
	}
}

/// A transaction's progress as `author_submitAndWatchExtrinsic` reports it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum TxStatus {
	/// Waiting for an earlier nonce.
	Future,
	/// Ready to be included.
	Ready,
	/// Sent to these peers.
	Broadcast(Vec<String>),
	/// In this block.
	InBlock(Hash),
	/// The block it was in left the best chain.
	Retracted(Hash),
	/// The node stopped watching for its finality.
	FinalityTimeout(Hash),
	/// In this finalized block.
	Finalized(Hash),
	/// Replaced by this transaction (same sender and nonce).
	Usurped(Hash),
	/// Dropped from the pool.
	Dropped,
	/// No longer valid.
	Invalid,
}

impl TxStatus {
	/// The status in words, for an error that reports the last one seen.
	pub fn describe(&self) -> String {
		match self {
			TxStatus::Future => "waiting for an earlier nonce".into(),
			TxStatus::Ready => "ready".into(),
			TxStatus::Broadcast(peers) => format!("broadcast to {} peers", peers.len()),
			TxStatus::InBlock(block) => format!("in block {block:?}"),
			TxStatus::Retracted(block) => format!("retracted with block {block:?}"),
			TxStatus::FinalityTimeout(block) => format!("finality timeout in block {block:?}"),
			TxStatus::Finalized(block) => format!("finalized in block {block:?}"),
			TxStatus::Usurped(by) => format!("usurped by {by:?}"),
			TxStatus::Dropped => "dropped".into(),
			TxStatus::Invalid => "invalid".into(),
		}
	}
}

/// `chain_getBlock`'s answer, as far as this crate reads it.
#[derive(Deserialize)]
struct SignedBlock {
	block: Block,
}

/// A block's extrinsics, encoded.
#[derive(Deserialize)]
struct Block {
	extrinsics: Vec<Bytes>,
}

/// The node's best or finalized chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Follow {
	/// New best blocks: seen first, but a block may leave the best chain (a reorganization).
	Best,
	/// Finalized blocks (the node's confirmation depth below the best): final, but later.
	Finalized,
}

/// A JSON-RPC error in words: `message (code): data`.
fn describe(error: &ClientError) -> String {
	match error {
		ClientError::Call(call) => match call.data() {
			Some(data) => format!("{} ({}): {}", call.message(), call.code(), data.get()),
			None => format!("{} ({})", call.message(), call.code()),
		},
		other => other.to_string(),
	}
}

/// A WebSocket JSON-RPC connection to a node.
pub(crate) struct Rpc {
	client: WsClient,
}

impl Rpc {
	/// Connects to `url` (`ws://` or `wss://`).
	pub async fn connect(url: &str) -> Result<Self> {
		let client = WsClientBuilder::default()
			.connection_timeout(CONNECT_TIMEOUT)
			.build(url)
			.await
			.map_err(|e| Error::Connect { url: url.to_string(), reason: describe(&e) })?;
		Ok(Rpc { client })
	}

	/// Calls `method` and reads its answer as `T`.
	async fn call<T: DeserializeOwned>(
		&self,
		method: &'static str,
		params: ArrayParams,
	) -> Result<T> {
		self.client
			.request(method, params)
			.await
			.map_err(|e| Error::Rpc { method, reason: describe(&e) })
	}

	/// The hash of block `number` of the best chain, if there is one.
	pub async fn block_hash(&self, number: BlockNumber) -> Result<Option<Hash>> {
		self.call("chain_getBlockHash", rpc_params![number]).await
	}

	/// The header of block `hash` (of the best block if `None`), if the node has it.
	pub async fn header(&self, hash: Option<Hash>) -> Result<Option<Header>> {
		self.call("chain_getHeader", rpc_params![hash]).await
	}

	/// The hash of the last finalized block.
	pub async fn finalized_hash(&self) -> Result<Hash> {
		self.call("chain_getFinalizedHead", rpc_params![]).await
	}

	/// The encoded extrinsics of block `hash`, if the node has it.
	pub async fn extrinsics(&self, hash: Hash) -> Result<Option<Vec<Bytes>>> {
		let block: Option<SignedBlock> = self.call("chain_getBlock", rpc_params![hash]).await?;
		Ok(block.map(|b| b.block.extrinsics))
	}

	/// The runtime version at block `at` (the best block if `None`).
	pub async fn runtime_version(&self, at: Option<Hash>) -> Result<RuntimeVersion> {
		self.call("state_getRuntimeVersion", rpc_params![at]).await
	}

	/// The value stored at `key` at block `at` (the best block if `None`).
	pub async fn storage(&self, key: Vec<u8>, at: Option<Hash>) -> Result<Option<Vec<u8>>> {
		let value: Option<Bytes> =
			self.call("state_getStorage", rpc_params![Bytes(key), at]).await?;
		Ok(value.map(|v| v.0))
	}

	/// Calls the runtime API function `function` (`ServicesApi_offers`) with the encoded
	/// arguments `args` at block `at` (the best block if `None`); the answer is encoded.
	pub async fn runtime_call(
		&self,
		function: &str,
		args: Vec<u8>,
		at: Option<Hash>,
	) -> Result<Vec<u8>> {
		let answer: Bytes = self.call("state_call", rpc_params![function, Bytes(args), at]).await?;
		Ok(answer.0)
	}

	/// The nonce `who`'s next transaction must have, counting those waiting in the pool.
	pub async fn next_nonce(&self, who: &AccountId) -> Result<Nonce> {
		self.call("system_accountNextIndex", rpc_params![who]).await
	}

	/// Submits the encoded extrinsic `xt` and watches it. The pool's refusal is
	/// [`Error::Refused`].
	pub async fn submit_and_watch(&self, xt: Vec<u8>) -> Result<Subscription<TxStatus>> {
		let method = "author_submitAndWatchExtrinsic";
		self.client
			.subscribe(method, rpc_params![Bytes(xt)], "author_unwatchExtrinsic")
			.await
			.map_err(|e| match e {
				ClientError::Call(call) => Error::Refused {
					code: call.code(),
					message: call.message().to_string(),
					// Usually a JSON string: the reason in words.
					data: call.data().map(|d| {
						serde_json::from_str::<String>(d.get()).unwrap_or_else(|_| d.get().into())
					}),
				},
				other => Error::Rpc { method, reason: describe(&other) },
			})
	}

	/// Subscribes to the headers of new best or finalized blocks.
	pub async fn subscribe_heads(&self, follow: Follow) -> Result<Subscription<Header>> {
		let (method, unsubscribe) = match follow {
			Follow::Best => ("chain_subscribeNewHeads", "chain_unsubscribeNewHeads"),
			Follow::Finalized => {
				("chain_subscribeFinalizedHeads", "chain_unsubscribeFinalizedHeads")
			},
		};
		self.client
			.subscribe(method, rpc_params![], unsubscribe)
			.await
			.map_err(|e| Error::Rpc { method, reason: describe(&e) })
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn transaction_statuses_read_as_the_node_writes_them() {
		let read = |json: &str| serde_json::from_str::<TxStatus>(json).ok();
		let hash = Hash::repeat_byte(0xab);
		let hex = format!("\"{hash:?}\"");
		assert_eq!(read("\"ready\""), Some(TxStatus::Ready));
		assert_eq!(read(&format!("{{\"inBlock\":{hex}}}")), Some(TxStatus::InBlock(hash)));
		assert_eq!(read(&format!("{{\"finalized\":{hex}}}")), Some(TxStatus::Finalized(hash)));
		assert_eq!(
			read("{\"broadcast\":[\"12D3\"]}"),
			Some(TxStatus::Broadcast(vec!["12D3".into()]))
		);
		assert_eq!(read("\"dropped\""), Some(TxStatus::Dropped));
		// A status this crate does not know is an error to report, not a panic.
		assert_eq!(read("\"somethingNew\""), None);
	}
}
