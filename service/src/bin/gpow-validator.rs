//! `gpow-validator`: judges the panel pools a REP holder is drawn for (see
//! `gpow_service::validator`).

use std::process::ExitCode;

use clap::Parser;
use gpow_service::validator::{cli::Cli, daemon, log, NAME};

#[tokio::main]
async fn main() -> ExitCode {
	let config = match Cli::parse().config() {
		Ok(config) => config,
		Err(e) => {
			eprintln!("{NAME}: cannot start: {e}");
			return ExitCode::FAILURE;
		},
	};
	tokio::select! {
		outcome = daemon::run(config) => match outcome {
			Ok(never) => match never {},
			Err(e) => {
				eprintln!("{NAME}: cannot start: {e}");
				ExitCode::FAILURE
			},
		},
		_ = tokio::signal::ctrl_c() => {
			log("interrupted: stopping (every job is in the store)");
			ExitCode::SUCCESS
		},
	}
}
