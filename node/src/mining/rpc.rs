//! The `mining_*` JSON-RPC methods (`gpow_mining::api`) served from the node's work service.
//! Every method is unsafe (local interfaces, or `--rpc-methods unsafe`): worker names are not
//! authenticated.

use std::sync::Arc;

use gpow_mining::{
	api::MiningApiServer,
	service::WorkService,
	types::{Job, Submitted, WorkerShares},
	ErrorKind, Refusal,
};
use jsonrpsee::{
	core::{async_trait, SubscriptionResult},
	types::ErrorObjectOwned,
	Extensions, PendingSubscriptionSink, SubscriptionMessage,
};
use sc_rpc_api::check_if_safe;

/// Serves [`MiningApiServer`]; without a work service (a node that builds no templates) every
/// method answers `NotMining`.
pub struct Mining {
	service: Option<Arc<WorkService>>,
}

impl Mining {
	/// The RPC handler over `service`.
	pub fn new(service: Option<Arc<WorkService>>) -> Self {
		Self { service }
	}

	/// The work service, if the call may use it.
	fn service(&self, ext: &Extensions) -> Result<&Arc<WorkService>, ErrorObjectOwned> {
		check_if_safe(ext)?;
		self.service.as_ref().ok_or_else(|| {
			Refusal::new(
				ErrorKind::NotMining,
				"this node builds no block templates: start it with --mine (or --dev), or with \
				 --no-mine --author <SS58> to serve external miners only",
			)
			.into()
		})
	}
}

#[async_trait]
impl MiningApiServer for Mining {
	fn get_work(&self, ext: &Extensions, worker: String) -> Result<Job, ErrorObjectOwned> {
		Ok(self.service(ext)?.get_work(&worker)?)
	}

	async fn submit_work(
		&self,
		ext: &Extensions,
		job_id: u64,
		nonce: String,
		worker: String,
	) -> Result<Submitted, ErrorObjectOwned> {
		Ok(self.service(ext)?.submit(job_id, &nonce, &worker).await?)
	}

	fn shares(&self, ext: &Extensions) -> Result<Vec<WorkerShares>, ErrorObjectOwned> {
		Ok(self.service(ext)?.shares())
	}

	async fn subscribe_work(
		&self,
		pending: PendingSubscriptionSink,
		ext: &Extensions,
		worker: String,
	) -> SubscriptionResult {
		let service = match self.service(ext) {
			Ok(service) => service.clone(),
			Err(error) => {
				pending.reject(error).await;
				return Ok(());
			},
		};
		let mut new_jobs = service.new_jobs();
		// Registers the worker; having no template yet is no reason to refuse.
		let first = match service.get_work(&worker) {
			Err(refusal) if refusal.kind != ErrorKind::NoWork => {
				pending.reject(ErrorObjectOwned::from(refusal)).await;
				return Ok(());
			},
			first => first.ok(),
		};
		let sink = pending.accept().await?;
		let mut last_sent = None;
		if let Some(job) = first {
			last_sent = Some(job.job_id);
			sink.send(SubscriptionMessage::from_json(&job)?).await?;
		}
		loop {
			tokio::select! {
				_ = sink.closed() => return Ok(()),
				changed = new_jobs.changed() => {
					if changed.is_err() {
						return Ok(());
					}
					match service.get_work(&worker) {
						Ok(job) if Some(job.job_id) != last_sent => {
							last_sent = Some(job.job_id);
							sink.send(SubscriptionMessage::from_json(&job)?).await?;
						},
						// The same job (announced again by a refresh) or none right now.
						Ok(_) => {},
						Err(refusal) if refusal.kind == ErrorKind::NoWork => {},
						// The worker was replaced in the table: the subscription ends.
						Err(refusal) => return Err(refusal.to_string().into()),
					}
				},
			}
		}
	}
}
