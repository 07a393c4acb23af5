//! Finality at a confirmation depth. GPoW has no finality gadget: once a block is `depth` blocks
//! below the best block, this task finalizes it, so the state database and the transaction pool
//! stop keeping data for forks that can no longer win in practice. A reorganisation deeper than
//! `depth` is refused after that (see the deep-fork rule in `crate::deep_fork`). A node in its
//! initial sync finalizes as it goes, in steps of [`SYNC_STEP`] blocks.

use std::sync::Arc;

use futures::StreamExt;
use sc_client_api::{Backend, BlockchainEvents, Finalizer};
use sp_blockchain::HeaderBackend;
use sp_consensus::BlockOrigin;
use sp_runtime::traits::{Block as BlockT, Header as HeaderT, NumberFor, Saturating};

/// Log target of the finality task.
const LOG_TARGET: &str = "gpow::finality";

/// While blocks come from the initial sync or a file, finality moves in steps of this many blocks
/// rather than at every block: the state of unfinalized blocks stays in memory, so a node syncing a
/// long chain must finalize as it goes, but one database commit per block would slow the import.
const SYNC_STEP: u32 = 64;

/// The default confirmation depth of a chain type.
pub fn default_depth(chain_type: &sc_service::ChainType) -> u32 {
	use gpow_primitives_pow::confirmation_depth::{DEVELOPMENT, LIVE, LOCAL};
	match chain_type {
		sc_service::ChainType::Development => DEVELOPMENT,
		sc_service::ChainType::Local => LOCAL,
		_ => LIVE,
	}
}

/// Finalizes the ancestor `depth` blocks below every new best block.
///
/// Run [`finalize_below`] on the best block first, before the node connects to peers: blocks
/// imported while it was stopped (`import-blocks`, or a crash before the last finalization) are
/// then final by the same rule before any peer's chain is considered.
pub async fn finalize_at_depth<B, C, BE>(client: Arc<C>, depth: u32)
where
	B: BlockT,
	BE: Backend<B>,
	C: BlockchainEvents<B> + HeaderBackend<B> + Finalizer<B, BE>,
{
	// Every import, those of the initial sync included (the plain import stream is silent
	// during major sync).
	let mut imports = client.every_import_notification_stream();
	while let Some(notification) = imports.next().await {
		if !notification.is_new_best {
			continue;
		}
		let syncing =
			matches!(notification.origin, BlockOrigin::NetworkInitialSync | BlockOrigin::File);
		let step = if syncing { SYNC_STEP } else { 1 };
		finalize_below(&*client, notification.hash, *notification.header.number(), depth, step);
	}
}

/// Finalizes the ancestor of `best` (at height `number`) `depth` blocks below it, once that is at
/// least `step` blocks above the finalized block.
pub fn finalize_below<B, C, BE>(
	client: &C,
	best: B::Hash,
	number: NumberFor<B>,
	depth: u32,
	step: u32,
) where
	B: BlockT,
	BE: Backend<B>,
	C: HeaderBackend<B> + Finalizer<B, BE>,
{
	let target = number.saturating_sub(depth.into());
	if target < client.info().finalized_number.saturating_add(step.into()) {
		return;
	}
	match ancestor_at(client, best, target) {
		Ok(hash) => {
			if let Err(e) = client.finalize_block(hash, None, true) {
				log::warn!(target: LOG_TARGET, "Finalizing #{target} ({hash:?}) failed: {e}");
			}
		},
		Err(e) => log::warn!(target: LOG_TARGET, "Finding #{target} failed: {e}"),
	}
}

/// The hash of the ancestor of `hash` at height `target`.
fn ancestor_at<B: BlockT, C: HeaderBackend<B>>(
	client: &C,
	mut hash: B::Hash,
	target: NumberFor<B>,
) -> sp_blockchain::Result<B::Hash> {
	loop {
		let header = client
			.header(hash)?
			.ok_or_else(|| sp_blockchain::Error::UnknownBlock(format!("{hash:?}")))?;
		if *header.number() <= target {
			return Ok(hash);
		}
		hash = *header.parent_hash();
	}
}
