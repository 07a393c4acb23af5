//! The node's own Prometheus metrics for mining and the connection gate, served beside
//! Substrate's (`--prometheus-port`, default 9615; `--no-prometheus` turns them all off). The
//! deep-fork metrics live with the fork watch (`deep_fork::state`). The list, ready for a Grafana
//! panel, is in the node README ("Prometheus metrics").

use std::sync::Arc;

use futures::StreamExt;
use sc_client_api::BlockchainEvents;
use sc_consensus_pow::PowAlgorithm;
use sp_core::{H256, U256};
use sp_runtime::traits::Block as BlockT;
use substrate_prometheus_endpoint::{
	register, Counter, Gauge, PrometheusError, Registry, F64, U64,
};

/// Log target of the metrics tasks.
const LOG_TARGET: &str = "gpow::metrics";

/// A difficulty as a gauge value: exact up to 2^53 expected hashes, close enough above.
fn as_f64(value: U256) -> f64 {
	value.to_string().parse().unwrap_or(f64::INFINITY)
}

/// Mining: the in-process threads' hashrate, the network difficulty and this node's seals.
#[derive(Clone)]
pub struct MiningMetrics {
	hashrate: Gauge<F64>,
	hashes: Counter<U64>,
	threads: Gauge<U64>,
	difficulty: Gauge<F64>,
	mined: Counter<U64>,
	stale: Counter<U64>,
}

impl MiningMetrics {
	/// Registers the mining metrics in `registry`.
	pub fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		Ok(Self {
			hashrate: register(
				Gauge::new(
					"gpow_mining_hashrate",
					"Hashes per second of this node's mining threads over the last 10 s",
				)?,
				registry,
			)?,
			hashes: register(
				Counter::new(
					"gpow_mining_hashes_total",
					"Nonces tried by this node's mining threads",
				)?,
				registry,
			)?,
			threads: register(
				Gauge::new(
					"gpow_mining_threads",
					"Mining threads of this node (--mining-threads)",
				)?,
				registry,
			)?,
			difficulty: register(
				Gauge::new(
					"gpow_difficulty",
					"Difficulty (expected hashes) of the block after the best one, as the runtime \
					 retargets it",
				)?,
				registry,
			)?,
			mined: register(
				Counter::new(
					"gpow_blocks_mined_total",
					"Blocks sealed by this node (its threads or its external miners) and imported",
				)?,
				registry,
			)?,
			stale: register(
				Counter::new(
					"gpow_stale_seals_total",
					"Seals found for a template that was no longer current (another block came \
					 first); not imported",
				)?,
				registry,
			)?,
		})
	}

	/// Records the number of mining threads.
	pub fn set_threads(&self, threads: u16) {
		self.threads.set(threads.into());
	}

	/// Records a hashrate window: `hashes` tried in `seconds`.
	pub fn hashed(&self, hashes: u64, seconds: f64) {
		self.hashes.inc_by(hashes);
		if seconds > 0.0 {
			self.hashrate.set(hashes as f64 / seconds);
		}
	}

	/// Records what became of a seal handed to `MiningHandle::submit`: imported, or stale.
	pub fn sealed(&self, imported: bool) {
		if imported {
			self.mined.inc();
		} else {
			self.stale.inc();
		}
	}

	/// Keeps `gpow_difficulty` at the difficulty on top of each new best block; runs until the
	/// node stops.
	pub async fn follow_difficulty<B, C, A>(self, client: Arc<C>, algorithm: A)
	where
		B: BlockT<Hash = H256>,
		C: BlockchainEvents<B>,
		A: PowAlgorithm<B, Difficulty = U256>,
	{
		let mut imports = client.import_notification_stream();
		while let Some(block) = imports.next().await {
			if !block.is_new_best {
				continue;
			}
			match algorithm.difficulty(block.hash) {
				Ok(difficulty) => self.difficulty.set(as_f64(difficulty)),
				Err(e) => log::debug!(target: LOG_TARGET, "difficulty at {}: {e}", block.hash),
			}
		}
	}
}

/// The connection gate: its connections, keep-alive proofs and their attestations on chain.
#[derive(Clone)]
pub struct GateMetrics {
	connections: Gauge<U64>,
	connected: Counter<U64>,
	proofs: Counter<U64>,
	submitted: Counter<U64>,
	refused: Counter<U64>,
}

impl GateMetrics {
	/// Registers the gate metrics in `registry`.
	pub fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		Ok(Self {
			connections: register(
				Gauge::new("gpow_gate_connections", "Open connections of the PoW connection gate")?,
				registry,
			)?,
			connected: register(
				Counter::new(
					"gpow_gate_connections_total",
					"Connections the gate established (dialed or accepted)",
				)?,
				registry,
			)?,
			proofs: register(
				Counter::new(
					"gpow_gate_proofs_total",
					"Keep-alive rounds in which this gate proved its work to its peers",
				)?,
				registry,
			)?,
			submitted: register(
				Counter::new(
					"gpow_gate_attestations_submitted_total",
					"Attestations of this gate's work accepted by the transaction pool",
				)?,
				registry,
			)?,
			refused: register(
				Counter::new(
					"gpow_gate_attestations_refused_total",
					"Attestations of this gate's work refused (not attestable, or refused by the pool)",
				)?,
				registry,
			)?,
		})
	}

	/// Records the number of open connections, after one opened (`opened`) or ended.
	pub fn connection(&self, open: usize, opened: bool) {
		self.connections.set(open as u64);
		if opened {
			self.connected.inc();
		}
	}

	/// Records a keep-alive proof of this gate.
	pub fn proved(&self) {
		self.proofs.inc();
	}

	/// Records what the pool did with an attestation.
	pub fn attestation(&self, accepted: bool) {
		if accepted {
			self.submitted.inc();
		} else {
			self.refused.inc();
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn difficulties_become_gauge_values() {
		assert_eq!(as_f64(U256::from(1_000_000u64)), 1e6);
		assert_eq!(as_f64(U256::MAX), 2f64.powi(256));
	}

	#[test]
	fn seals_and_connections_are_counted() {
		let registry = Registry::new();
		let mining = MiningMetrics::register(&registry).unwrap();
		mining.sealed(true);
		mining.sealed(true);
		mining.sealed(false);
		mining.hashed(2_000, 2.0);
		assert_eq!(mining.mined.get(), 2);
		assert_eq!(mining.stale.get(), 1);
		assert_eq!(mining.hashrate.get(), 1_000.0);
		let gate = GateMetrics::register(&registry).unwrap();
		gate.connection(1, true);
		gate.connection(0, false);
		assert_eq!((gate.connections.get(), gate.connected.get()), (0, 1));
		// A second registration of the same names is refused, not silently doubled.
		assert!(MiningMetrics::register(&registry).is_err());
	}
}
