//! `gpow-service` against a real `gpow-node --dev`: `register-types` registers the two service
//! types through sudo, again reports them without registering, and refuses a key that is not
//! sudo by name; a request no offer has capacity for fails as the chain names it; a request
//! whose provider's endpoint does not answer stays requested, in the store, and can be neither
//! delivered nor cancelled yet (`services.DeadlineNotReached`), each by name.

use std::{path::Path, process::Command, time::Instant};

use gpow_market::ServiceKind;
use gpow_runtime::{AccountId, RuntimeCall, UNIT};
use serde_json::Value;
use sp_core::{crypto::Ss58Codec, sr25519, Pair};

use crate::support::{free_port, Node, TempDir};

/// What a run of `gpow-service` gave: its exit status and its JSON lines.
struct Run {
	code: Option<i32>,
	lines: Vec<Value>,
	stderr: String,
}

impl Run {
	/// The `error` name of a failed run.
	fn error(&self) -> &str {
		self.lines.last().and_then(|l| l["error"].as_str()).unwrap_or("")
	}
}

/// Runs `gpow-service --node <node> --json <args>` with `data_dir` as its state directory.
fn service(node: &str, data_dir: &Path, args: &[&str]) -> Run {
	let output = Command::new(env!("CARGO_BIN_EXE_gpow-service"))
		.args(["--node", node, "--json", "--data-dir"])
		.arg(data_dir)
		.args(args)
		.env("GPOW_SURI", "//Alice//stash")
		.output()
		.expect("gpow-service runs");
	let stdout = String::from_utf8_lossy(&output.stdout);
	let lines = stdout
		.lines()
		.map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
		.collect();
	let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
	Run { code: output.status.code(), lines, stderr }
}

#[tokio::test(flavor = "multi_thread")]
async fn types_are_registered_once_and_requests_fail_by_name() {
	let started = Instant::now();
	let mut node = Node::start("consumer");
	let chain = node.connect().await;
	let url = node.url.clone();
	let dir = TempDir::new("consumer", "data");

	// Sudo registers both types; a second run finds them.
	let register = ["register-types", "--sudo", "//Alice", "--panel", "1", "--window", "5"];
	let first = service(&url, &dir, &register);
	assert_eq!(first.code, Some(0), "{}", first.stderr);
	let kinds: Vec<(&str, bool)> = first
		.lines
		.iter()
		.map(|l| (l["kind"].as_str().unwrap(), l["registered"].as_bool().unwrap()))
		.collect();
	assert_eq!(kinds, vec![("range", true), ("storage", true)]);
	let again = service(&url, &dir, &register);
	assert_eq!(again.code, Some(0), "{}", again.stderr);
	for (before, after) in first.lines.iter().zip(&again.lines) {
		assert_eq!(before["serviceType"], after["serviceType"]);
		assert_eq!(after["registered"], false);
	}
	let range_type = first.lines[0]["serviceType"].as_u64().unwrap() as u32;
	let stored = chain.service_type(range_type, None).await.unwrap().expect("registered");
	assert_eq!(stored.schema.0, ServiceKind::Range.schema());
	assert_eq!(stored.terms.panel_size, 1);

	// Bob is not the sudo key (other terms, so that there is something to register).
	let bob = service(&url, &dir, &["register-types", "--sudo", "//Bob", "--window", "6"]);
	assert_eq!((bob.code, bob.error()), (Some(1), "NotSudo"), "{}", bob.stderr);

	// No offer: the chain names it.
	let request = ["request", "range", "--start", "0", "--end", "4096", "--one-in", "64"];
	let none = service(&url, &dir, &request);
	assert_eq!((none.code, none.error()), (Some(1), "services.NoOffers"), "{}", none.stderr);

	// Alice offers one unit at an endpoint where nothing listens; 4 units do not fit.
	let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
	let endpoint = format!("ws://127.0.0.1:{}", free_port());
	chain
		.offer(&alice, range_type, 1, UNIT, endpoint.clone().into_bytes(), 100 * UNIT)
		.await
		.unwrap();
	let full = service(&url, &dir, &request);
	assert_eq!(full.code, Some(1), "{}", full.stderr);
	assert_eq!(full.error(), "services.NoProviderWithCapacity", "{}", full.stderr);

	// One unit fits: the instance is requested, but its delivery does not get through.
	let publish = pallet_ssk::Call::publish_key { key: [9; 32] };
	chain.submit(&alice, RuntimeCall::Ssk(publish)).await.unwrap();
	let alice_id = AccountId::from(alice.public()).to_ss58check();
	let small = ["request", "range", "--start", "0", "--end", "1024", "--one-in", "64"];
	let unreachable = service(&url, &dir, &small);
	assert_eq!(unreachable.code, Some(1), "{}", unreachable.stderr);
	assert_eq!(unreachable.error(), "EndpointUnreachable");
	assert!(unreachable.stderr.contains("gpow-service deliver"), "{}", unreachable.stderr);
	let requested = &unreachable.lines[0];
	assert_eq!(requested["event"], "requested");
	assert_eq!(requested["provider"], alice_id.as_str());
	assert_eq!(requested["endpoint"], endpoint.as_str());
	assert_eq!(requested["volume"], 1);
	let instance = requested["instance"].as_u64().unwrap().to_string();

	let status = service(&url, &dir, &["status", &instance]);
	assert_eq!(status.code, Some(0), "{}", status.stderr);
	assert_eq!(status.lines[0]["status"], "assigned");
	assert_eq!(status.lines[0]["store"]["delivered"], false);
	let list = service(&url, &dir, &["list"]);
	assert_eq!(list.lines.len(), 1);
	assert_eq!(list.lines[0]["delivered"], false);
	let retry = service(&url, &dir, &["deliver", &instance]);
	assert_eq!((retry.code, retry.error()), (Some(1), "EndpointUnreachable"), "{}", retry.stderr);
	let early = service(&url, &dir, &["cancel", &instance]);
	assert_eq!(early.error(), "services.DeadlineNotReached", "{}", early.stderr);
	let unknown = service(&url, &dir, &["fetch", "999"]);
	assert_eq!((unknown.code, unknown.error()), (Some(1), "UnknownInstance"));

	// A bad command line is status 2.
	let bad = service(&url, &dir, &["request", "range", "--start", "x"]);
	assert_eq!(bad.code, Some(2));

	println!("gpow-service against a dev node: {:.1} s", started.elapsed().as_secs_f64());
}
