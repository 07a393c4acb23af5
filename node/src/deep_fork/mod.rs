//! The deep-fork rule: what a node does when its peers follow a chain that forks off below the
//! node's finalized block.
//!
//! # The rule
//!
//! GPoW finalizes the block `depth` blocks below the best block (the confirmation depth: 10 on
//! development chains, 30 on local testnets, 100 on live chains; see [`crate::finality`]). Below
//! that depth the chain follows Bitcoin's most-work rule: a heavier conflicting chain replaces the
//! node's blocks. At and beyond it, the node's own finalized history acts as its checkpoint (weak
//! subjectivity): a conflicting chain that forks off below the finalized block is **never followed
//! automatically**, however much work it has. So:
//!
//! - a split in which the node mined at most `depth` blocks of its own heals by itself to the
//!   chain with more work;
//! - a deeper split never rewrites finalized blocks, which bounds the memory the node keeps for
//!   forks (the reason finality at depth exists) and means a long private chain cannot rewrite a
//!   node's history.
//!
//! Quantus finalizes at `best − MaxReorgDepth` in the same way; Kulupu instead accepts deep
//! reorganisations that carry exponentially more work, which needs unbounded unfinalized state.
//! GPoW keeps finality bounded and makes the deep case loud and recoverable instead:
//!
//! - blocks of such a chain are refused before they are executed ([`guard`]), and the peer that
//!   sent them is dropped with a reputation penalty, like any block that fails verification;
//! - the node fetches the headers of the peers' conflicting chains down to the fork point and
//!   weighs them by their proven work (the sum of the difficulties their seals claim, each seal
//!   checked) against its own chain's work since the fork point ([`weigh`]);
//! - facing a **heavier** conflicting chain, the node logs an error once per fork point, records the
//!   fork (RPC `gpow_forkStatus`, Prometheus `gpow_deep_fork_*`), and **keeps mining and serving**
//!   its own chain: sync towards a chain it refuses never pauses the miner
//!   ([`MiningSyncOracle`]);
//! - recovery is one command, run with the node stopped: `gpow-node rejoin` ([`rejoin`]) reverts
//!   the node's blocks down to the recorded fork point (finalized ones included), and the
//!   restarted node follows the heavier chain.
//!
//! A lighter conflicting chain is refused in the same way and logged as a warning once per fork
//! point; nothing needs to be done about it.

pub mod guard;
pub mod rejoin;
pub mod rpc;
mod state;
pub mod weigh;

pub use state::{BlockRef, ForkStatus, ForkWatch, NetworkParts};

/// Log target of the deep-fork rule.
const LOG_TARGET: &str = "gpow::fork";

/// The sync oracle the mining worker consults: it reports major syncing only while sync is catching
/// up with a chain the node can follow. While a conflicting chain below finality is known, sync's
/// "major syncing" is about that chain, which the node refuses, so the miner keeps mining.
#[derive(Clone)]
pub struct MiningSyncOracle<S> {
	inner: S,
	watch: std::sync::Arc<ForkWatch>,
}

impl<S> MiningSyncOracle<S> {
	/// Wraps the network's sync oracle.
	pub fn new(inner: S, watch: std::sync::Arc<ForkWatch>) -> Self {
		Self { inner, watch }
	}
}

impl<S: sp_consensus::SyncOracle> sp_consensus::SyncOracle for MiningSyncOracle<S> {
	fn is_major_syncing(&self) -> bool {
		self.inner.is_major_syncing() && !self.watch.conflicting_chain_known()
	}

	fn is_offline(&self) -> bool {
		self.inner.is_offline()
	}
}
