//! `gpow-provider`: the provider daemon of the service market (see `gpow_service::provider`).
//! A start-up error is one line on stderr and exit status 1; a bad command line exits with 2.

use clap::Parser;
use gpow_service::provider::{self, cli::Cli};

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	if let Err(e) = provider::run(cli).await {
		eprintln!("gpow-provider: error: {e}");
		std::process::exit(1);
	}
}
