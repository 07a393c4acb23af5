//! The `gpow-miner` command line.

use crate::hasher::Backend;

/// Mines GPoW blocks through a node's `mining_*` JSON-RPC methods (a node started with
/// `--no-mine --author <SS58>`, or any mining node).
#[derive(Debug, clap::Parser)]
#[command(version, about)]
pub struct Cli {
	/// The node's WebSocket JSON-RPC endpoint.
	#[arg(long, value_name = "URL", default_value = "ws://127.0.0.1:9944")]
	pub url: String,

	/// Hashing threads.
	#[arg(long, value_name = "N", default_value_t = 1,
		value_parser = clap::value_parser!(u16).range(1..=1024))]
	pub threads: u16,

	/// The worker name the node counts shares for (1-64 characters of A-Za-z0-9._-).
	#[arg(long, value_name = "NAME", default_value = "gpow-miner")]
	pub worker: String,

	/// The hashing backend.
	#[arg(long, value_enum, default_value_t = Backend::Cpu)]
	pub backend: Backend,

	/// Seconds between two hashrate lines.
	#[arg(long, value_name = "SECONDS", default_value_t = 10,
		value_parser = clap::value_parser!(u64).range(1..))]
	pub report_every: u64,
}
