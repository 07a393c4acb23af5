//! `gpow-node rejoin`: the one command that makes a node follow the heavier chain after a deep
//! fork. Run with the node stopped. Substrate cannot revert the state of finalized blocks except on
//! archive nodes (`--state-pruning archive`), so:
//!
//! - on an archive node it reverts the node's blocks down to the recorded fork point (finalized
//!   ones included, which the standard `revert` never touches);
//! - otherwise it removes the chain database, as `purge-chain -y` does (the node key and the
//!   keystore stay).
//!
//! Started again, the node syncs the heavier chain from its peers.

use std::sync::Arc;

use sc_cli::{CliConfiguration, DatabaseParams, PruningParams, SharedParams};
use sc_client_api::Backend;
use sc_service::Configuration;
use sp_blockchain::HeaderBackend;

use super::state::{clear_record, our_work_since, read_record, RecordedFork};
use crate::service::{self, FullBackend, FullClient};

/// After a deep fork: brings the node back to the recorded fork point (reverting on archive
/// nodes, else removing the chain database), so it follows the heavier chain when started again.
/// Run it with the node stopped, with the node's `--chain` and `--base-path`.
#[derive(Debug, Clone, clap::Parser)]
pub struct RejoinCmd {
	#[allow(missing_docs)]
	#[clap(flatten)]
	pub shared_params: SharedParams,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub pruning_params: PruningParams,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub database_params: DatabaseParams,
}

/// What reverting achieved.
enum Reverted {
	/// No deep fork is recorded.
	NothingRecorded,
	/// This node's chain has grown heavier than the recorded one since.
	OursHeavier,
	/// The best block is the fork point again.
	ToForkPoint,
	/// The state below could not be reverted (a pruned node).
	StateFinal,
}

impl RejoinCmd {
	/// Reverts to the recorded fork point, or removes the chain database when that is impossible.
	pub fn run(&self, config: Configuration) -> sc_cli::Result<()> {
		let outcome = {
			let service::Service { client, backend, .. } = service::new_partial(&config)?;
			revert_to_fork_point(client, backend)?
		};
		match outcome {
			Reverted::NothingRecorded => {
				println!("No deep fork is recorded: this node already follows the chain it can.")
			},
			Reverted::OursHeavier => println!(
				"This node's chain has more work than the recorded deep fork by now: nothing to do."
			),
			Reverted::ToForkPoint => {
				println!("Start the node to follow the heavier chain.")
			},
			Reverted::StateFinal => {
				println!(
					"This node keeps no state below its finalized block (not an archive node), so \
					 its chain database is removed; started again, it syncs the heavier chain from \
					 its peers."
				);
				sc_cli::PurgeChainCmd {
					yes: true,
					shared_params: self.shared_params.clone(),
					database_params: self.database_params.clone(),
				}
				.run(config.database)?;
			},
		}
		Ok(())
	}
}

/// Reverts `backend` to the recorded fork point and forgets the record, as far as the state allows.
fn revert_to_fork_point(
	client: Arc<FullClient>,
	backend: Arc<FullBackend>,
) -> sc_cli::Result<Reverted> {
	let Some(RecordedFork { fork_point, their_work }) =
		read_record(&*client).map_err(sc_cli::Error::Input)?
	else {
		return Ok(Reverted::NothingRecorded);
	};
	if our_work_since(&*client, fork_point.hash).map_err(sc_cli::Error::Input)? >= their_work {
		clear_record(&*client).map_err(sc_cli::Error::Input)?;
		return Ok(Reverted::OursHeavier);
	}
	let blocks = client.info().best_number.saturating_sub(fork_point.number);
	let (reverted, _) = backend.revert(blocks, true)?;
	let after = client.info();
	if after.best_number > fork_point.number {
		return Ok(Reverted::StateFinal);
	}
	if client.hash(fork_point.number)? != Some(fork_point.hash) {
		return Err(sc_cli::Error::Input(format!(
			"reverted {reverted} blocks, but block #{} is not the recorded fork point {:?}",
			fork_point.number, fork_point.hash
		)));
	}
	clear_record(&*client).map_err(sc_cli::Error::Input)?;
	println!(
		"Reverted {reverted} blocks (finalized ones included): the best block is now the fork \
		 point #{} ({:?}).",
		after.best_number, after.best_hash
	);
	Ok(Reverted::ToForkPoint)
}

impl CliConfiguration for RejoinCmd {
	fn shared_params(&self) -> &SharedParams {
		&self.shared_params
	}

	fn pruning_params(&self) -> Option<&PruningParams> {
		Some(&self.pruning_params)
	}

	fn database_params(&self) -> Option<&DatabaseParams> {
		Some(&self.database_params)
	}
}
