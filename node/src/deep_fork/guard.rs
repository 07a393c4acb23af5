//! The import queue's verifier: sc-consensus-pow's `PowVerifier`, preceded by two checks that make
//! a bad peer pay for what it sends. A failed verification drops the peer that sent the block and
//! lowers its reputation, whereas a block refused later, at import, only restarts sync.
//!
//! 1. A block at or below the finalized height that the node does not have is on a chain that
//!    forks off below finality ([the deep-fork rule](super)): it is refused before it is executed,
//!    and the watch weighs the peers' chains.
//! 2. The seal must prove the difficulty the runtime requires at the parent (checked again at
//!    import; one hash).

use std::sync::Arc;

use gpow_runtime::opaque::{Block, Header};
use sc_consensus::{BlockImportParams, Verifier};
use sc_consensus_pow::{PowAlgorithm, PowVerifier};
use sp_blockchain::HeaderBackend;
use sp_consensus::BlockOrigin;
use sp_consensus_pow::POW_ENGINE_ID;
use sp_core::H256;
use sp_runtime::{generic::BlockId, traits::Header as HeaderT, DigestItem};

use super::ForkWatch;
use crate::service::{Algorithm, FullClient};

/// The pre-hash (the header's hash without its seal) and the seal bytes of a sealed header.
pub fn split_seal(header: &Header) -> Result<(H256, Vec<u8>), String> {
	let mut header = header.clone();
	match header.digest_mut().pop() {
		Some(DigestItem::Seal(id, seal)) if id == POW_ENGINE_ID => Ok((header.hash(), seal)),
		_ => Err(format!("block #{} has no PoW seal", header.number())),
	}
}

/// [`PowVerifier`] behind the deep-fork and seal checks.
pub struct GuardedVerifier {
	inner: PowVerifier<Block, Algorithm>,
	algorithm: Algorithm,
	client: Arc<FullClient>,
	watch: Arc<ForkWatch>,
}

impl GuardedVerifier {
	/// The verifier of the node's import queue.
	pub fn new(client: Arc<FullClient>, algorithm: Algorithm, watch: Arc<ForkWatch>) -> Self {
		Self { inner: PowVerifier::new(algorithm.clone()), algorithm, client, watch }
	}

	/// Refuses a block whose seal does not prove the difficulty required at its parent. When that
	/// difficulty cannot be read (the parent's state is missing), import decides.
	fn check_seal(&self, header: &Header) -> Result<(), String> {
		let parent = *header.parent_hash();
		let Ok(difficulty) = self.algorithm.difficulty(parent) else { return Ok(()) };
		let (pre_hash, seal) = split_seal(header)?;
		// `verify` logs the reason as "Rejected seal".
		match self
			.algorithm
			.verify(&BlockId::Hash(parent), &pre_hash, None, &seal, difficulty)
		{
			Ok(true) => Ok(()),
			Ok(false) => Err(format!("block #{} has an invalid seal", header.number())),
			Err(e) => Err(format!("checking the seal of block #{}: {e}", header.number())),
		}
	}
}

#[async_trait::async_trait]
impl Verifier<Block> for GuardedVerifier {
	async fn verify(
		&self,
		block: BlockImportParams<Block>,
	) -> Result<BlockImportParams<Block>, String> {
		let number = *block.header.number();
		let finalized = self.client.info().finalized_number;
		// The import queue only verifies blocks the node does not have, so a block at or below the
		// finalized height belongs to a chain that conflicts with the finalized one.
		if number <= finalized && block.origin != BlockOrigin::Genesis {
			let hash = block.post_hash.unwrap_or_else(|| block.header.hash());
			self.watch.note_refused_block();
			self.watch.weigh_conflicting_chains().await;
			return Err(format!(
				"block #{number} ({hash:?}) is on a chain that forks off below the finalized block \
				 #{finalized}: refused by the deep-fork rule (see gpow_forkStatus)"
			));
		}
		self.check_seal(&block.header)?;
		self.inner.verify(block).await
	}
}
