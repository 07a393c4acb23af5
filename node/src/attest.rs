//! Submits the connection gate's own keep-alive proofs on chain as `powAttest.attest` general
//! transactions (extrinsic v5, no signature), which pay for themselves with their work: the
//! runtime's `AuthorizeCall` extension runs the call's authorization (`#[pallet::authorize]`).

use std::sync::Arc;

use gpow_pow_gate::KeepPow;
use gpow_runtime::{opaque::Block, RuntimeCall, UncheckedExtrinsic};
use sc_service::SpawnTaskHandle;
use sc_transaction_pool_api::{TransactionPool, TransactionSource};
use sp_blockchain::HeaderBackend;
use sp_runtime::OpaqueExtrinsic;

use gpow_node::metrics::GateMetrics;

/// Log target of attestation submission.
const LOG_TARGET: &str = "gpow::gate";

/// A sink for [`crate::gate::run`] that turns each proof into a general transaction (with
/// `gpow_runtime::authorized_tx_extension`) and submits it to the local pool (which validates it
/// against the chain and gossips it). `metrics` count what the pool accepts and refuses.
pub fn submitter<P, C>(
	pool: Arc<P>,
	client: Arc<C>,
	spawner: SpawnTaskHandle,
	metrics: Option<GateMetrics>,
) -> impl FnMut(KeepPow) + Send + 'static
where
	P: TransactionPool<Block = Block> + 'static,
	C: HeaderBackend<Block> + 'static,
{
	move |keep_pow: KeepPow| {
		let round = keep_pow.round;
		let record = {
			let metrics = metrics.clone();
			move |accepted| {
				if let Some(metrics) = &metrics {
					metrics.attestation(accepted)
				}
			}
		};
		let attestation = match pallet_pow_attest::Attestation::try_from(keep_pow) {
			Ok(attestation) => attestation,
			Err(e) => {
				log::warn!(target: LOG_TARGET, "🚪 Round {round}: proof not attestable: {e:?}");
				record(false);
				return;
			},
		};
		let call = RuntimeCall::PowAttest(pallet_pow_attest::Call::attest { attestation });
		let xt = OpaqueExtrinsic::from(UncheckedExtrinsic::new_transaction(
			call,
			gpow_runtime::authorized_tx_extension(),
		));
		let best = client.info().best_hash;
		let pool = pool.clone();
		spawner.spawn("gpow-attest-submit", Some("gate"), async move {
			let result = pool.submit_one(best, TransactionSource::Local, xt).await;
			record(result.is_ok());
			match result {
				Ok(hash) => log::info!(
					target: LOG_TARGET,
					"🚪 Round {round}: attestation submitted ({hash:?})"
				),
				Err(e) => log::warn!(
					target: LOG_TARGET,
					"🚪 Round {round}: attestation refused by the pool: {e}"
				),
			}
		});
	}
}
