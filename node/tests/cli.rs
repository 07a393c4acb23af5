//! The command line from the outside: bad input gets a clear error and a non-zero exit, before
//! any database or network is touched.

use std::process::{Command, Output};

fn gpow_node(args: &[&str]) -> Output {
	Command::new(env!("CARGO_BIN_EXE_gpow-node"))
		.args(args)
		.output()
		.expect("gpow-node runs")
}

fn stderr(output: &Output) -> String {
	String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn invalid_author_is_a_clear_error() {
	let out = gpow_node(&["--dev", "--tmp", "--author", "not-an-address"]);
	assert!(!out.status.success());
	let msg = stderr(&out);
	assert!(msg.contains("--author") && msg.contains("not a valid SS58 address"), "{msg}");
}

#[test]
fn unknown_chain_is_a_clear_error() {
	let out = gpow_node(&["--chain", "no-such-chain", "--tmp"]);
	assert!(!out.status.success());
	let msg = stderr(&out);
	assert!(msg.contains("unknown chain 'no-such-chain'"), "{msg}");
}

#[test]
fn zero_mining_threads_are_refused() {
	let out = gpow_node(&["--dev", "--tmp", "--mining-threads", "0"]);
	assert!(!out.status.success());
	assert!(stderr(&out).contains("--mining-threads"), "{}", stderr(&out));
}

#[test]
fn mine_and_no_mine_conflict() {
	let out = gpow_node(&["--dev", "--tmp", "--mine", "--no-mine"]);
	assert!(!out.status.success());
	assert!(stderr(&out).contains("--no-mine"), "{}", stderr(&out));
}

#[test]
fn mining_outside_dev_needs_an_author() {
	let out = gpow_node(&["--chain", "local", "--tmp", "--mine", "--rpc-port", "0", "--port", "0"]);
	assert!(!out.status.success());
	assert!(stderr(&out).contains("--mine needs --author"), "{}", stderr(&out));
}

#[test]
fn help_lists_the_mining_flags() {
	let out = gpow_node(&["--help"]);
	assert!(out.status.success());
	let help = String::from_utf8_lossy(&out.stdout);
	for flag in ["--author", "--mine", "--no-mine", "--mining-threads", "--confirmation-depth"] {
		assert!(help.contains(flag), "{flag} missing from --help");
	}
}
