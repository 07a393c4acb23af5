//! What the node knows about conflicting chains: the heaviest one last weighed, what was logged,
//! the record `gpow-node rejoin` reads, the status the RPC serves and the Prometheus metrics.

use std::{
	sync::{Arc, OnceLock},
	time::{SystemTime, UNIX_EPOCH},
};

use codec::{Decode, Encode};
use futures::StreamExt;
use gpow_runtime::opaque::Block;
use parking_lot::Mutex;
use sc_client_api::{AuxStore, BlockchainEvents};
use sc_network_sync::{block_relay_protocol::BlockDownloader, SyncingService};
use schnellru::{ByLength, LruMap};
use serde::Serialize;
use sp_blockchain::HeaderBackend;
use sp_core::{H256, U256};
use substrate_prometheus_endpoint::{register, Counter, Gauge, PrometheusError, Registry, U64};

use super::LOG_TARGET;
use crate::service::FullClient;

/// The aux-storage key of the heavier deep fork `gpow-node rejoin` acts on.
const RECORD_KEY: &[u8] = b"gpow:deep-fork:heavier";

/// How many fork points are remembered as already logged (one log line per fork point).
const LOGGED_FORK_POINTS: u32 = 64;

/// A block by number and hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockRef {
	/// The block number.
	pub number: u32,
	/// The block hash.
	pub hash: H256,
}

/// The heavier deep fork last weighed, stored for `gpow-node rejoin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub(crate) struct RecordedFork {
	/// Where the heavier chain leaves this node's chain.
	pub fork_point: BlockRef,
	/// The work the heavier chain proved above the fork point.
	pub their_work: U256,
}

/// A conflicting chain, as last weighed.
#[derive(Clone, Debug)]
pub(crate) struct ConflictingChain {
	/// The last block this node and the chain have in common.
	pub fork_point: BlockRef,
	/// The chain's best block, as the peers announce it.
	pub tip: BlockRef,
	/// The work its seals prove from the fork point (excluded) to the tip.
	pub work: U256,
	/// The peers that follow it.
	pub peers: Vec<String>,
	/// When a chain forking at this point was first seen (Unix milliseconds).
	pub first_seen: u64,
	/// When it was last weighed (Unix milliseconds).
	pub last_seen: u64,
}

/// What the node reports about the deep fork it knows of.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeepForkReport {
	/// The last block this node and the conflicting chain have in common.
	pub fork_point: BlockRef,
	/// The conflicting chain's best block.
	pub their_tip: BlockRef,
	/// The work the conflicting chain's seals prove since the fork point (decimal).
	pub their_work: String,
	/// This node's best block.
	pub our_tip: BlockRef,
	/// The work of this node's chain since the fork point (decimal).
	pub our_work: String,
	/// Whether the conflicting chain has more work: the node then stays on a lighter chain.
	pub heavier: bool,
	/// How many blocks of this node's chain lie above the fork point.
	pub our_blocks_since_fork: u32,
	/// The peers that follow the conflicting chain (at the last weighing).
	pub peers: Vec<String>,
	/// When a chain forking at this point was first seen (Unix milliseconds).
	pub first_seen: u64,
	/// When it was last weighed (Unix milliseconds).
	pub last_seen: u64,
	/// The command that makes this node follow the conflicting chain (run with the node stopped).
	pub recovery: String,
}

/// The answer of `gpow_forkStatus`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForkStatus {
	/// Blocks this many below the best block are finalized.
	pub confirmation_depth: u32,
	/// The best block.
	pub best: BlockRef,
	/// The finalized block.
	pub finalized: BlockRef,
	/// Blocks refused since the node started because they fork off below the finalized block.
	pub refused_blocks: u64,
	/// The heaviest conflicting chain known, if any.
	pub deep_fork: Option<DeepForkReport>,
}

/// The network handles the watch needs to weigh peers' chains.
pub struct NetworkParts {
	/// Downloads headers from a peer.
	pub downloader: Arc<dyn BlockDownloader<Block>>,
	/// Lists the peers and their best blocks.
	pub sync: Arc<SyncingService<Block>>,
}

/// Where the node stands, set when the full node starts.
struct Attached {
	network: NetworkParts,
	depth: u32,
	recovery: String,
}

struct Metrics {
	heavier: Gauge<U64>,
	depth: Gauge<U64>,
	events: Counter<U64>,
	refused: Counter<U64>,
}

impl Metrics {
	fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		Ok(Self {
			heavier: register(
				Gauge::new(
					"gpow_deep_fork_heavier",
					"1 while peers follow a chain with more work that forks off below this node's \
					 finalized block (run `gpow-node rejoin` to follow it), else 0",
				)?,
				registry,
			)?,
			depth: register(
				Gauge::new(
					"gpow_deep_fork_depth",
					"Blocks of this node's chain above the fork point of the known deep fork, 0 \
					 when there is none",
				)?,
				registry,
			)?,
			events: register(
				Counter::new(
					"gpow_deep_fork_events_total",
					"Fork points below finality at which a heavier conflicting chain was seen",
				)?,
				registry,
			)?,
			refused: register(
				Counter::new(
					"gpow_deep_fork_refused_blocks_total",
					"Blocks refused because they fork off below the finalized block",
				)?,
				registry,
			)?,
		})
	}
}

/// The node's watch over conflicting chains: shared by the import queue's guard, the mining
/// worker's sync oracle and the RPC.
pub struct ForkWatch {
	pub(crate) client: Arc<FullClient>,
	attached: OnceLock<Attached>,
	chain: Mutex<Option<ConflictingChain>>,
	logged: Mutex<LruMap<H256, ()>>,
	pub(crate) headers: Mutex<super::weigh::HeaderCache>,
	refused: std::sync::atomic::AtomicU64,
	metrics: Option<Metrics>,
}

impl ForkWatch {
	/// A watch over `client`'s chain, with its metrics in `registry`.
	pub fn new(
		client: Arc<FullClient>,
		registry: Option<&Registry>,
	) -> Result<Arc<Self>, PrometheusError> {
		Ok(Arc::new(Self {
			client,
			attached: OnceLock::new(),
			chain: Mutex::new(None),
			logged: Mutex::new(LruMap::new(ByLength::new(LOGGED_FORK_POINTS))),
			headers: Mutex::new(super::weigh::HeaderCache::new()),
			refused: Default::default(),
			metrics: registry.map(Metrics::register).transpose()?,
		}))
	}

	/// Connects the watch to the network, once the full node has one; before that (and in
	/// subcommands such as `import-blocks`) conflicting blocks are refused without being weighed.
	pub fn attach(&self, network: NetworkParts, depth: u32, recovery: String) {
		if self.attached.set(Attached { network, depth, recovery }).is_err() {
			log::warn!(target: LOG_TARGET, "the fork watch was attached twice; keeping the first");
		}
	}

	pub(crate) fn network(&self) -> Option<&NetworkParts> {
		self.attached.get().map(|attached| &attached.network)
	}

	/// Whether a conflicting chain below finality is known (heavier or not).
	pub fn conflicting_chain_known(&self) -> bool {
		self.chain.lock().is_some()
	}

	/// Counts a block refused because it forks off below the finalized block.
	pub(crate) fn note_refused_block(&self) {
		self.refused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
		if let Some(metrics) = &self.metrics {
			metrics.refused.inc();
		}
	}

	fn our_work_since(&self, fork_point: H256) -> Result<U256, String> {
		our_work_since(&*self.client, fork_point)
	}

	/// Records the heaviest conflicting chain of the latest weighing (it replaces the one known:
	/// peers' tips move); logs once per fork point and stores the fork point for
	/// `gpow-node rejoin` when the chain is heavier than this node's.
	pub(crate) fn record(&self, mut chain: ConflictingChain) {
		let now = unix_millis();
		chain.last_seen = now;
		chain.first_seen = now;
		{
			let mut known = self.chain.lock();
			if let Some(old) = known.as_ref().filter(|old| old.fork_point == chain.fork_point) {
				chain.first_seen = old.first_seen;
			}
			*known = Some(chain.clone());
		}
		let ours = match self.our_work_since(chain.fork_point.hash) {
			Ok(ours) => ours,
			Err(e) => {
				log::warn!(target: LOG_TARGET, "Weighing this node's chain failed: {e}");
				return;
			},
		};
		let heavier = chain.work > ours;
		let first_time = self.logged.lock().insert(chain.fork_point.hash, ());
		let fork = chain.fork_point;
		let finalized = self.client.info().finalized_number;
		let stored = if heavier {
			write_record(&*self.client, RecordedFork { fork_point: fork, their_work: chain.work })
		} else {
			clear_record(&*self.client)
		};
		if let Err(e) = stored {
			log::warn!(target: LOG_TARGET, "Storing the deep fork for `rejoin` failed: {e}");
		}
		if first_time && heavier {
			if let Some(metrics) = &self.metrics {
				metrics.events.inc();
			}
			log::error!(
				target: LOG_TARGET,
				"💥 Deep fork: peers {:?} follow a chain with more work ({} against this node's {}) \
				 that forks off at #{} ({:?}), below the finalized block #{finalized}. This node \
				 does not follow it and keeps mining its own chain. To follow it, stop the node and \
				 run `{}`.",
				chain.peers,
				chain.work,
				ours,
				fork.number,
				fork.hash,
				self.recovery(),
			);
		} else if first_time {
			log::warn!(
				target: LOG_TARGET,
				"Refused a conflicting chain with less work ({} against this node's {}) forking \
				 off at #{} ({:?}), below the finalized block #{finalized}; peers {:?}",
				chain.work,
				ours,
				fork.number,
				fork.hash,
				chain.peers,
			);
		}
		self.refresh_metrics();
	}

	fn recovery(&self) -> String {
		self.attached
			.get()
			.map(|attached| attached.recovery.clone())
			.unwrap_or_else(|| "gpow-node rejoin".into())
	}

	/// The status `gpow_forkStatus` serves.
	pub fn status(&self) -> Result<ForkStatus, String> {
		let info = self.client.info();
		let deep_fork = match self.chain.lock().clone() {
			None => None,
			Some(chain) => {
				let ours = self.our_work_since(chain.fork_point.hash)?;
				Some(DeepForkReport {
					fork_point: chain.fork_point,
					their_tip: chain.tip,
					their_work: chain.work.to_string(),
					our_tip: BlockRef { number: info.best_number, hash: info.best_hash },
					our_work: ours.to_string(),
					heavier: chain.work > ours,
					our_blocks_since_fork: info.best_number.saturating_sub(chain.fork_point.number),
					peers: chain.peers,
					first_seen: chain.first_seen,
					last_seen: chain.last_seen,
					recovery: self.recovery(),
				})
			},
		};
		Ok(ForkStatus {
			confirmation_depth: self.attached.get().map_or(0, |attached| attached.depth),
			best: BlockRef { number: info.best_number, hash: info.best_hash },
			finalized: BlockRef { number: info.finalized_number, hash: info.finalized_hash },
			refused_blocks: self.refused.load(std::sync::atomic::Ordering::Relaxed),
			deep_fork,
		})
	}

	/// Sets the gauges from the current status.
	fn refresh_metrics(&self) {
		let Some(metrics) = &self.metrics else { return };
		match self.status() {
			Ok(ForkStatus { deep_fork: Some(fork), .. }) => {
				metrics.heavier.set(fork.heavier.into());
				metrics.depth.set(fork.our_blocks_since_fork.into());
			},
			Ok(ForkStatus { deep_fork: None, .. }) => {
				metrics.heavier.set(0);
				metrics.depth.set(0);
			},
			Err(e) => log::debug!(target: LOG_TARGET, "refreshing the fork metrics failed: {e}"),
		}
	}

	/// Keeps the gauges current as this node's chain grows (its work changes the comparison).
	pub async fn keep_metrics_current(self: Arc<Self>) {
		let mut imports = self.client.import_notification_stream();
		while let Some(notification) = imports.next().await {
			if notification.is_new_best && self.conflicting_chain_known() {
				self.refresh_metrics();
			}
		}
	}
}

/// The work of the best chain of `client` above `fork_point` (from the total difficulties
/// sc-consensus-pow stores).
pub(crate) fn our_work_since<C: AuxStore + HeaderBackend<Block>>(
	client: &C,
	fork_point: H256,
) -> Result<U256, String> {
	let total = |hash: H256| {
		sc_consensus_pow::PowAux::<U256>::read::<_, Block>(client, &hash)
			.map(|aux| aux.total_difficulty)
			.map_err(|e| format!("reading the total difficulty of {hash:?}: {e}"))
	};
	Ok(total(client.info().best_hash)?.saturating_sub(total(fork_point)?))
}

/// The heavier deep fork last weighed, if there is one.
pub(crate) fn read_record<C: AuxStore>(client: &C) -> Result<Option<RecordedFork>, String> {
	match client.get_aux(RECORD_KEY).map_err(|e| e.to_string())? {
		None => Ok(None),
		Some(bytes) => RecordedFork::decode(&mut &bytes[..])
			.map(Some)
			.map_err(|e| format!("the stored deep fork does not decode: {e}")),
	}
}

fn write_record<C: AuxStore>(client: &C, fork: RecordedFork) -> Result<(), String> {
	client
		.insert_aux(&[(RECORD_KEY, fork.encode().as_slice())], &[])
		.map_err(|e| e.to_string())
}

/// Forgets the recorded deep fork (this node's chain is the heavier one, or `rejoin` acted).
pub(crate) fn clear_record<C: AuxStore>(client: &C) -> Result<(), String> {
	client.insert_aux(&[], &[RECORD_KEY]).map_err(|e| e.to_string())
}

fn unix_millis() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map(|elapsed| elapsed.as_millis() as u64)
		.unwrap_or_default()
}
