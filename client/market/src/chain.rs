//! The connection to a node: the chain's identity, its heads and a subscription to new ones.

use std::{sync::Arc, time::Duration};

use futures::{Stream, StreamExt};
use gpow_runtime::{BlockNumber, Hash, Header};

use crate::{
	error::{Error, Result},
	rpc::{Follow, Rpc, RuntimeVersion},
};

/// How long [`Chain::submit`] waits for a transaction to be in a block, unless
/// [`Chain::with_timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// A block as the market's programs need to know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
	/// Its number.
	pub number: BlockNumber,
	/// Its hash.
	pub hash: Hash,
	/// Its parent's hash.
	pub parent: Hash,
}

impl From<Header> for Head {
	fn from(header: Header) -> Self {
		Head { number: header.number, hash: header.hash(), parent: header.parent_hash }
	}
}

/// A connection to a GPoW node, cheap to clone (clones share it).
#[derive(Clone)]
pub struct Chain {
	pub(crate) rpc: Arc<Rpc>,
	pub(crate) genesis: Hash,
	/// Held from reading a signer's nonce until the pool has the transaction, so that
	/// concurrent submissions through this connection never take the same nonce.
	pub(crate) submitting: Arc<tokio::sync::Mutex<()>>,
	pub(crate) timeout: Duration,
}

impl Chain {
	/// Connects to the node at `url` (`ws://127.0.0.1:9944`) and checks that it runs the GPoW
	/// runtime.
	pub async fn connect(url: &str) -> Result<Self> {
		let rpc = Rpc::connect(url).await?;
		let genesis = rpc.block_hash(0).await?.ok_or_else(|| Error::Decode {
			what: "the genesis hash".into(),
			reason: "the node has no block 0".into(),
		})?;
		let version = rpc.runtime_version(None).await?;
		if version.spec_name != RuntimeVersion::native().spec_name {
			return Err(Error::NotGpow(version.spec_name));
		}
		Ok(Chain {
			rpc: Arc::new(rpc),
			genesis,
			submitting: Arc::new(tokio::sync::Mutex::new(())),
			timeout: DEFAULT_TIMEOUT,
		})
	}

	/// This connection, with [`Chain::submit`] waiting up to `timeout` for a transaction to be
	/// in a block.
	pub fn with_timeout(mut self, timeout: Duration) -> Self {
		self.timeout = timeout;
		self
	}

	/// The chain's genesis hash.
	pub fn genesis_hash(&self) -> Hash {
		self.genesis
	}

	/// The runtime version of the best block. Compare it with [`RuntimeVersion::native`]: this
	/// crate encodes and decodes with the runtime it was compiled with.
	pub async fn runtime_version(&self) -> Result<RuntimeVersion> {
		self.rpc.runtime_version(None).await
	}

	/// The best block.
	pub async fn best_head(&self) -> Result<Head> {
		self.rpc.header(None).await?.map(Head::from).ok_or_else(|| Error::Decode {
			what: "the best header".into(),
			reason: "the node has none".into(),
		})
	}

	/// The last finalized block.
	pub async fn finalized_head(&self) -> Result<Head> {
		let hash = self.rpc.finalized_hash().await?;
		self.head(hash).await?.ok_or_else(|| Error::Decode {
			what: format!("the finalized header {hash:?}"),
			reason: "the node does not have it".into(),
		})
	}

	/// The hash of the best chain's block `number`, if it has one.
	pub async fn block_hash(&self, number: BlockNumber) -> Result<Option<Hash>> {
		self.rpc.block_hash(number).await
	}

	/// Block `hash`, if the node has it.
	pub async fn head(&self, hash: Hash) -> Result<Option<Head>> {
		Ok(self.rpc.header(Some(hash)).await?.map(Head::from))
	}

	/// New best or finalized blocks, as the node announces them: it may skip blocks (several
	/// imported at once) and, on [`Follow::Best`], announce a block of another fork at the same
	/// or a lower height (a reorganization). [`Chain::follow`] fills the gaps.
	pub async fn heads(
		&self,
		follow: Follow,
	) -> Result<impl Stream<Item = Result<Head>> + Send + Unpin + 'static> {
		let headers = self.rpc.subscribe_heads(follow).await?;
		Ok(headers.map(|header| {
			header.map(Head::from).map_err(|e| Error::Decode {
				what: "a header notification".into(),
				reason: e.to_string(),
			})
		}))
	}
}
