//! `gpow-miner`: mines GPoW blocks on a node's block template through its `mining_*` JSON-RPC
//! methods, with CPU threads (the hashing is behind [`hasher::Hasher`], so other backends can be
//! added). Prints its hashrate and the node's answers; exits non-zero with a readable error when
//! the node cannot be reached, refuses to give work, or goes away.

mod cli;
mod hasher;
mod session;
mod threads;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
	let cli = cli::Cli::parse();
	let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
		Ok(runtime) => runtime,
		Err(e) => {
			eprintln!("gpow-miner: cannot start the async runtime: {e}");
			return ExitCode::FAILURE;
		},
	};
	match runtime.block_on(session::run(&cli)) {
		Ok(tally) => {
			println!("gpow-miner: stopped; {tally}");
			ExitCode::SUCCESS
		},
		Err(e) => {
			eprintln!("gpow-miner: {e}");
			ExitCode::from(e.exit_code())
		},
	}
}
