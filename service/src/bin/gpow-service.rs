//! `gpow-service`: the consumer's command of GPoW's service market (issue 15). See
//! `gpow_service::consumer` and the crate's README.

use clap::Parser;
use gpow_service::consumer::{self, cli::Cli};

fn main() {
	// A bad command line exits with status 2 (clap).
	let cli = Cli::parse();
	let runtime = match tokio::runtime::Runtime::new() {
		Ok(runtime) => runtime,
		Err(e) => {
			eprintln!("gpow-service: Io: cannot start the async runtime: {e}");
			std::process::exit(1);
		},
	};
	if let Err(error) = runtime.block_on(consumer::run(&cli)) {
		let name = error.name();
		if cli.json {
			println!("{}", serde_json::json!({ "error": name, "message": error.to_string() }));
		}
		eprintln!("gpow-service: {name}: {error}");
		std::process::exit(1);
	}
}
