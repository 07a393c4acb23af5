//! The `mining_*` JSON-RPC methods, as a jsonrpsee trait: the node implements the server side,
//! `gpow-miner` uses the client side.

use jsonrpsee::{core::SubscriptionResult, proc_macros::rpc, types::ErrorObjectOwned};

use crate::types::{Job, Submitted, WorkerShares};

/// External mining: work for named workers, their submissions and their counts.
///
/// Every method is unsafe in Substrate's sense (served on local interfaces, or everywhere with
/// `--rpc-methods unsafe`): worker names are not authenticated.
#[rpc(client, server)]
pub trait MiningApi {
	/// The current job for `worker` (registering it and its nonce range if it is new).
	#[method(name = "mining_getWork", with_extensions)]
	fn get_work(&self, worker: String) -> Result<Job, ErrorObjectOwned>;

	/// Submits `nonce` (a decimal string) for `job_id` on behalf of `worker`: a share, a block,
	/// or a named refusal.
	#[method(name = "mining_submitWork", with_extensions)]
	async fn submit_work(
		&self,
		job_id: u64,
		nonce: String,
		worker: String,
	) -> Result<Submitted, ErrorObjectOwned>;

	/// Every worker's counts of shares, blocks, stale and invalid submissions, by name.
	#[method(name = "mining_shares", with_extensions)]
	fn shares(&self) -> Result<Vec<WorkerShares>, ErrorObjectOwned>;

	/// The current job for `worker`, then a new one each time the template changes.
	#[subscription(
		name = "mining_subscribeWork" => "mining_work",
		unsubscribe = "mining_unsubscribeWork",
		item = Job,
		with_extensions
	)]
	async fn subscribe_work(&self, worker: String) -> SubscriptionResult;
}
