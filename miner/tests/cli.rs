//! `gpow-miner` from the outside, without a node: bad input and an unreachable node give a
//! readable error and a non-zero exit. (Mining against a node: `tests/miner.test.mjs`.)

use std::process::{Command, Output};

fn gpow_miner(args: &[&str]) -> Output {
	Command::new(env!("CARGO_BIN_EXE_gpow-miner"))
		.args(args)
		.output()
		.expect("gpow-miner runs")
}

fn stderr(output: &Output) -> String {
	String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_bad_url_exits_1_with_a_readable_error() {
	let out = gpow_miner(&["--url", "not a url"]);
	assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
	assert!(stderr(&out).contains("cannot connect to the node at 'not a url'"), "{}", stderr(&out));
}

#[test]
fn a_closed_port_exits_1() {
	// A port that was free a moment ago: nothing listens there.
	let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
	let url = format!("ws://127.0.0.1:{port}");
	let out = gpow_miner(&["--url", &url]);
	assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
	assert!(
		stderr(&out).contains(&format!("cannot connect to the node at '{url}'")),
		"{}",
		stderr(&out)
	);
}

#[test]
fn zero_threads_are_refused() {
	let out = gpow_miner(&["--threads", "0"]);
	assert!(!out.status.success());
	assert!(stderr(&out).contains("--threads"), "{}", stderr(&out));
}
