//! Spawning the transaction pool's background tasks so that a clean stop is not reported as a
//! failure.
//!
//! The pool spawns its tasks as essential: when one ends, the task manager logs
//! `Essential task ... failed` and stops the node. The pool's tasks end normally only when the pool
//! is dropped, which happens while the node shuts down, so every Ctrl-C printed that error. Here a
//! task that ends normally is held until the shutdown cancels it; a task that panics still ends
//! (the task manager catches the panic, reports the failure and stops the node).

use futures::future::BoxFuture;
use sc_service::SpawnEssentialTaskHandle;

/// Log target of the pool's task spawner.
const LOG_TARGET: &str = "gpow::txpool";

/// An essential-task spawner for the transaction pool.
#[derive(Clone)]
pub struct PoolSpawner(pub SpawnEssentialTaskHandle);

impl sp_core::traits::SpawnEssentialNamed for PoolSpawner {
	fn spawn_essential_blocking(
		&self,
		name: &'static str,
		group: Option<&'static str>,
		future: BoxFuture<'static, ()>,
	) {
		self.0.spawn_blocking(name, group, held_at_end(name, future));
	}

	fn spawn_essential(
		&self,
		name: &'static str,
		group: Option<&'static str>,
		future: BoxFuture<'static, ()>,
	) {
		self.0.spawn(name, group, held_at_end(name, future));
	}
}

/// Runs `future`; when it ends without panicking, waits for the shutdown that caused it.
async fn held_at_end(name: &'static str, future: BoxFuture<'static, ()>) {
	future.await;
	log::debug!(target: LOG_TARGET, "transaction pool task `{name}` ended (the pool was dropped)");
	futures::future::pending::<()>().await
}
