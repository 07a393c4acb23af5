//! The in-process miner: threads that each hash nonces for the current block template from
//! sc-consensus-pow's `MiningHandle` and submit a seal when they find one. A task logs the
//! hashrate every 10 s (and to Prometheus, `gpow_mining_*`) and stops the threads when the node
//! shuts down.
//!
//! The threads run at the lowest CPU priority (`gpow_mining::priority`): hashing takes what the
//! node leaves, so importing, building a template and answering RPC never wait behind it.

use std::{
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

use codec::Encode;
use gpow_primitives_pow::{nonce_meets, Seal};
use sc_consensus_pow::{MiningHandle, PowAlgorithm};
use sp_core::{H256, U256};
use sp_runtime::traits::Block as BlockT;

use gpow_node::metrics::MiningMetrics;

/// Log target of the miner.
const LOG_TARGET: &str = "gpow::miner";

/// Nonces tried between two checks for a new template.
const BATCH: u64 = 16 * 1024;

/// How often the hashrate is logged.
pub const HASHRATE_LOG_INTERVAL: Duration = Duration::from_secs(10);

/// Shared between the miner threads and the hashrate task.
#[derive(Default)]
pub struct MinerStats {
	hashes: AtomicU64,
	stop: AtomicBool,
}

/// Stops and joins the mining threads when dropped, so they end with the task that owns this and
/// release their handles on the client (and its database) before the node finishes shutting down.
struct StopOnDrop {
	stats: Arc<MinerStats>,
	threads: Vec<std::thread::JoinHandle<()>>,
}

impl Drop for StopOnDrop {
	fn drop(&mut self) {
		self.stats.stop.store(true, Ordering::Relaxed);
		for thread in self.threads.drain(..) {
			// A thread checks the flag at least every `BATCH` nonces (a few milliseconds).
			if thread.join().is_err() {
				log::warn!(target: LOG_TARGET, "a mining thread panicked");
			}
		}
	}
}

/// Starts `threads` mining threads on `handle` and returns the task that logs the hashrate; the
/// threads stop when that task is dropped (at node shutdown). `metrics` get the hashrate and the
/// fate of each seal.
pub fn start<B, A, L>(
	handle: MiningHandle<B, A, L>,
	threads: u16,
	metrics: Option<MiningMetrics>,
) -> std::io::Result<impl std::future::Future<Output = ()>>
where
	B: BlockT<Hash = H256>,
	A: PowAlgorithm<B, Difficulty = U256> + Send + Sync + 'static,
	L: sc_consensus::JustificationSyncLink<B> + 'static,
{
	let stats = Arc::new(MinerStats::default());
	let mut guard = StopOnDrop { stats: stats.clone(), threads: Vec::new() };
	for index in 0..threads {
		let (handle, stats, metrics) = (handle.clone(), stats.clone(), metrics.clone());
		guard
			.threads
			.push(std::thread::Builder::new().name(format!("gpow-miner-{index}")).spawn(
				move || {
					if let Err(e) = gpow_mining::priority::lower_current_thread() {
						log::debug!(target: LOG_TARGET, "mining thread at normal priority: {e}");
					}
					mine(handle, &stats, metrics.as_ref())
				},
			)?);
	}
	log::info!(target: LOG_TARGET, "⛏️  Mining with {threads} thread(s)");
	if let Some(metrics) = &metrics {
		metrics.set_threads(threads);
	}
	Ok(log_hashrate(guard, metrics))
}

/// One mining thread: hash until a seal is found or the template changes, then start over.
fn mine<B, A, L>(handle: MiningHandle<B, A, L>, stats: &MinerStats, metrics: Option<&MiningMetrics>)
where
	B: BlockT<Hash = H256>,
	A: PowAlgorithm<B, Difficulty = U256>,
	L: sc_consensus::JustificationSyncLink<B>,
{
	while !stats.stop.load(Ordering::Relaxed) {
		let version = handle.version();
		let Some(template) = handle.metadata() else {
			// No template yet (node starting or syncing).
			std::thread::sleep(Duration::from_millis(100));
			continue;
		};
		let pre_hash = template.pre_hash.to_fixed_bytes();
		let difficulty = template.difficulty;
		let mut nonce: u64 = rand::random();
		'template: while !stats.stop.load(Ordering::Relaxed) && handle.version() == version {
			for _ in 0..BATCH {
				if nonce_meets(&pre_hash, nonce, difficulty) {
					stats.hashes.fetch_add(BATCH, Ordering::Relaxed);
					let seal = Seal { difficulty, nonce }.encode();
					let imported = futures::executor::block_on(handle.submit(seal));
					if let Some(metrics) = metrics {
						metrics.sealed(imported);
					}
					break 'template;
				}
				nonce = nonce.wrapping_add(1);
			}
			stats.hashes.fetch_add(BATCH, Ordering::Relaxed);
		}
	}
}

/// Logs the hashrate every [`HASHRATE_LOG_INTERVAL`]; owns the guard that stops the threads.
async fn log_hashrate(guard: StopOnDrop, metrics: Option<MiningMetrics>) {
	let mut last = Instant::now();
	loop {
		tokio::time::sleep(HASHRATE_LOG_INTERVAL).await;
		let hashes = guard.stats.hashes.swap(0, Ordering::Relaxed);
		let elapsed = last.elapsed().as_secs_f64();
		last = Instant::now();
		log::info!(target: LOG_TARGET, "⛏️  Hashrate: {:.0} H/s", hashes as f64 / elapsed);
		if let Some(metrics) = &metrics {
			metrics.hashed(hashes, elapsed);
		}
	}
}
