//! External mining on the node's template: a [`TemplateSource`] over sc-consensus-pow's
//! `MiningHandle`, and the task that keeps the work service in step with it.

use std::{sync::Arc, time::Duration};

use futures::future::BoxFuture;
use gpow_mining::{
	book::{Limits, Template},
	service::{TemplateSource, WorkService},
};
use parking_lot::Mutex;
use sc_consensus_pow::{MiningHandle, PowAlgorithm};
use sp_blockchain::HeaderBackend;
use sp_core::{H256, U256};
use sp_runtime::traits::{Block as BlockT, UniqueSaturatedInto};

use gpow_node::metrics::MiningMetrics;

/// How often the template is compared with the current job (a new one is pushed to subscribers
/// within this time).
const REFRESH_INTERVAL: Duration = Duration::from_millis(10);

/// The node's miner as a [`TemplateSource`].
struct HandleSource<B: BlockT, A: PowAlgorithm<B>, L: sc_consensus::JustificationSyncLink<B>, C> {
	handle: MiningHandle<B, A, L>,
	client: Arc<C>,
	/// The last parent looked up and its number.
	parent: Mutex<Option<(H256, u64)>>,
	/// Counts the seals of external miners, as the in-process miner's.
	metrics: Option<MiningMetrics>,
}

impl<B, A, L, C> HandleSource<B, A, L, C>
where
	B: BlockT<Hash = H256>,
	A: PowAlgorithm<B>,
	L: sc_consensus::JustificationSyncLink<B>,
	C: HeaderBackend<B>,
{
	/// The number of block `hash`, cached for the last one asked.
	fn number_of(&self, hash: H256) -> Option<u64> {
		let mut parent = self.parent.lock();
		if let Some((known, number)) = *parent {
			if known == hash {
				return Some(number);
			}
		}
		let number: u64 = self.client.number(hash).ok().flatten()?.unique_saturated_into();
		*parent = Some((hash, number));
		Some(number)
	}
}

impl<B, A, L, C> TemplateSource for HandleSource<B, A, L, C>
where
	B: BlockT<Hash = H256>,
	A: PowAlgorithm<B, Difficulty = U256> + Send + Sync + 'static,
	L: sc_consensus::JustificationSyncLink<B> + 'static,
	C: HeaderBackend<B> + Send + Sync + 'static,
{
	fn template(&self) -> Option<Template> {
		let metadata = self.handle.metadata()?;
		let number = self.number_of(metadata.best_hash)?.saturating_add(1);
		Some(Template {
			pre_hash: metadata.pre_hash,
			parent_hash: metadata.best_hash,
			number,
			difficulty: metadata.difficulty,
		})
	}

	fn seal(&self, seal: Vec<u8>) -> BoxFuture<'static, bool> {
		let (handle, metrics) = (self.handle.clone(), self.metrics.clone());
		// `MiningHandle::submit` holds a lock across the import, so its future is not `Send`:
		// it runs on a blocking thread, as the in-process miner's threads run it.
		Box::pin(async move {
			let imported = tokio::task::spawn_blocking(move || {
				futures::executor::block_on(handle.submit(seal))
			})
			.await
			.unwrap_or(false);
			if let Some(metrics) = metrics {
				metrics.sealed(imported);
			}
			imported
		})
	}
}

/// Serves work on `handle`'s template: returns the service for the RPC and the task that keeps
/// it in step with the template (spawn it; it runs until the node stops). `metrics` count the
/// external miners' seals.
pub fn serve<B, A, L, C>(
	handle: MiningHandle<B, A, L>,
	client: Arc<C>,
	metrics: Option<MiningMetrics>,
) -> (Arc<WorkService>, impl std::future::Future<Output = ()>)
where
	B: BlockT<Hash = H256>,
	A: PowAlgorithm<B, Difficulty = U256> + Send + Sync + 'static,
	L: sc_consensus::JustificationSyncLink<B> + 'static,
	C: HeaderBackend<B> + Send + Sync + 'static,
{
	let source = HandleSource { handle, client, parent: Mutex::new(None), metrics };
	let service = WorkService::new(Box::new(source), Limits::default());
	let task = {
		let service = service.clone();
		async move {
			loop {
				service.refresh();
				tokio::time::sleep(REFRESH_INTERVAL).await;
			}
		}
	};
	(service, task)
}
