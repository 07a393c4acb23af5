//! `gpow_forkStatus`: the node's finality and the deep fork it knows of, for people and
//! monitoring.

use std::sync::Arc;

use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned};

use super::{ForkStatus, ForkWatch};

/// The JSON-RPC error code of a status that could not be read.
const STATUS_UNAVAILABLE: i32 = 9101;

/// The node's fork methods.
#[rpc(server)]
pub trait ForkApi {
	/// The confirmation depth, the best and finalized blocks, how many blocks were refused for
	/// forking off below the finalized block, and the heaviest such conflicting chain known
	/// (`deepFork`, `null` when none): its fork point, tip and work against this node's, whether it
	/// is heavier, its peers and the command that makes the node follow it.
	#[method(name = "gpow_forkStatus")]
	fn fork_status(&self) -> RpcResult<ForkStatus>;
}

/// Serves [`ForkApiServer`] from the node's [`ForkWatch`].
pub struct Fork {
	watch: Arc<ForkWatch>,
}

impl Fork {
	/// The RPC handler over `watch`.
	pub fn new(watch: Arc<ForkWatch>) -> Self {
		Self { watch }
	}
}

impl ForkApiServer for Fork {
	fn fork_status(&self) -> RpcResult<ForkStatus> {
		self.watch
			.status()
			.map_err(|e| ErrorObjectOwned::owned(STATUS_UNAVAILABLE, e, None::<()>))
	}
}
