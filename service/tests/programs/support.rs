//! What the three tests share: the `gpow-node` binary and a node started on free ports, a child
//! process killed when dropped (with its output lines collected), temporary directories,
//! polling the chain's state, and registering a service type through sudo.
//!
//! The tests run in parallel threads of one process, each with its own node: every port comes
//! from [`free_port`] (never the same one twice in this process) and every directory from
//! [`TempDir::new`], named after its test.
//!
//! The node binary is `$GPOW_NODE`, else `$CARGO_TARGET_DIR/release/gpow-node`, else the
//! `gpow-node` next to this test's profile directory (what `cargo test --workspace` builds).

use std::{
	collections::HashSet,
	env, fs,
	future::Future,
	io::{BufRead, BufReader, Read},
	net::TcpListener,
	ops::Deref,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use gpow_market::ServiceKind;
use gpow_market_client::{Chain, Evaluation};
use gpow_runtime::{AccountId, BlockNumber, RuntimeCall, RuntimeEvent, UNIT};
use sp_core::{sr25519, Pair, H256};
use sp_runtime::Perbill;

/// How long a node, or an endpoint, may take to answer once started.
pub const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a JSON-RPC call to the node may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// The `gpow-node` binary to run.
fn node_binary() -> PathBuf {
	if let Some(path) = env::var_os("GPOW_NODE") {
		return path.into();
	}
	if let Some(target) = env::var_os("CARGO_TARGET_DIR") {
		return PathBuf::from(target).join("release").join("gpow-node");
	}
	// This test runs as <target>/<profile>/deps/<test>.
	let exe = env::current_exe().expect("the test's path");
	exe.parent()
		.and_then(|deps| deps.parent())
		.expect("a profile directory")
		.join("gpow-node")
}

/// A port nothing listens on right now, and not given before in this process: the tests run
/// in parallel, and a port one of them was given may not be bound yet.
pub fn free_port() -> u16 {
	static GIVEN: Mutex<Option<HashSet<u16>>> = Mutex::new(None);
	let mut given = GIVEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	loop {
		let port = TcpListener::bind("127.0.0.1:0")
			.and_then(|l| l.local_addr())
			.expect("a free port")
			.port();
		if given.get_or_insert_with(HashSet::new).insert(port) {
			return port;
		}
	}
}

/// A fresh temporary directory of a test, removed when dropped unless the test failed (then
/// it is kept for a look).
pub struct TempDir(PathBuf);

impl TempDir {
	/// `gpow-<test>-<name>-<pid>` in the system's temporary directory, emptied; not created.
	pub fn new(test: &str, name: &str) -> TempDir {
		let dir = env::temp_dir().join(format!("gpow-{test}-{name}-{}", std::process::id()));
		let _ = fs::remove_dir_all(&dir);
		TempDir(dir)
	}
}

impl Deref for TempDir {
	type Target = Path;

	fn deref(&self) -> &Path {
		&self.0
	}
}

impl Drop for TempDir {
	fn drop(&mut self) {
		if !std::thread::panicking() {
			let _ = fs::remove_dir_all(&self.0);
		}
	}
}

/// A child process, killed when dropped, its output lines collected (and echoed to this
/// test's output).
pub struct Process {
	child: Child,
	lines: Arc<Mutex<Vec<String>>>,
}

impl Process {
	/// Spawns `command` with its stdout and stderr piped into the collected lines.
	pub fn spawn(command: &mut Command) -> Process {
		let mut child = command
			.stdout(Stdio::piped())
			.stderr(Stdio::piped())
			.spawn()
			.unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
		let lines = Arc::new(Mutex::new(Vec::new()));
		let outputs: [Box<dyn Read + Send>; 2] = [
			Box::new(child.stdout.take().expect("piped")),
			Box::new(child.stderr.take().expect("piped")),
		];
		for output in outputs {
			let lines = lines.clone();
			std::thread::spawn(move || {
				for line in BufReader::new(output).lines().map_while(Result::ok) {
					println!("{line}");
					lines.lock().expect("not poisoned").push(line);
				}
			});
		}
		Process { child, lines }
	}

	/// The lines it printed so far.
	pub fn lines(&self) -> Vec<String> {
		self.lines.lock().expect("not poisoned").clone()
	}

	/// The lines it printed that contain every one of `parts`.
	pub fn printed(&self, parts: &[&str]) -> Vec<String> {
		let lines = self.lines.lock().expect("not poisoned");
		lines
			.iter()
			.filter(|line| parts.iter().all(|p| line.contains(p)))
			.cloned()
			.collect()
	}

	/// Waits, for at most `limit`, until it prints a line that contains every one of `parts`.
	pub async fn wait_for(&self, parts: &[&str], limit: Duration) {
		let what = format!("a line with {parts:?}");
		until(&what, limit, || async { (!self.printed(parts).is_empty()).then_some(()) }).await
	}

	/// Kills it with SIGKILL; returns the lines it printed.
	pub fn kill(mut self) -> Vec<String> {
		self.child.kill().expect("SIGKILL");
		self.child.wait().expect("reaped");
		self.lines()
	}
}

impl Drop for Process {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// A `gpow-node --dev --tmp` on free ports, killed when dropped; its output is kept in a log
/// file, shown if it does not answer and kept if the test fails.
pub struct Node {
	process: Child,
	/// Its JSON-RPC URL.
	pub url: String,
	log: PathBuf,
}

impl Node {
	/// Starts the node of `test`.
	pub fn start(test: &str) -> Node {
		let bin = node_binary();
		assert!(
			bin.exists(),
			"gpow-node not found at {}: build it or set GPOW_NODE",
			bin.display()
		);
		let rpc_port = free_port();
		let log = env::temp_dir().join(format!("gpow-{test}-node-{}.log", std::process::id()));
		let out = fs::File::create(&log).expect("a log file");
		let process = Command::new(&bin)
			.args(["--dev", "--tmp", "--no-mdns", "--no-prometheus", "--no-telemetry"])
			.args(["--rpc-port", &rpc_port.to_string(), "--port", &free_port().to_string()])
			.stdout(Stdio::from(out.try_clone().expect("the log file")))
			.stderr(Stdio::from(out))
			.spawn()
			.unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
		Node { process, url: format!("ws://127.0.0.1:{rpc_port}"), log }
	}

	/// Connects once the node answers; its calls time out after 30 s.
	pub async fn connect(&mut self) -> Chain {
		let started = Instant::now();
		loop {
			match Chain::connect(&self.url).await {
				Ok(chain) => return chain.with_timeout(CALL_TIMEOUT),
				Err(e) => {
					let exited = self.process.try_wait().ok().flatten();
					if exited.is_some() || started.elapsed() > START_TIMEOUT {
						let log = fs::read_to_string(&self.log).unwrap_or_default();
						panic!("the node did not answer ({exited:?}): {e}\n{log}");
					}
				},
			}
			tokio::time::sleep(Duration::from_millis(250)).await;
		}
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.process.kill();
		let _ = self.process.wait();
		if !std::thread::panicking() {
			let _ = fs::remove_file(&self.log);
		}
	}
}

/// Polls `check` every 200 ms until it gives a value, for at most `limit`.
pub async fn until<T, F: Future<Output = Option<T>>>(
	what: &str,
	limit: Duration,
	mut check: impl FnMut() -> F,
) -> T {
	let started = Instant::now();
	loop {
		if let Some(value) = check().await {
			return value;
		}
		assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
}

/// Root registers a service type of `kind` through sudo (`sudo` is the sudo key, and the
/// type's author): a panel of one, the default parameter set, 10 % to the author and 10 % to
/// the validators, a stake of at least 10 GPOW, results due `deadline` blocks after a request.
/// Returns its id.
pub async fn register_type(
	chain: &Chain,
	sudo: &sr25519::Pair,
	kind: ServiceKind,
	name: &str,
	unit: &str,
	deadline: BlockNumber,
) -> u32 {
	let terms = pallet_services::Terms {
		panel_size: 1,
		param_set: pallet_reputation::default_param_set(),
		deadline,
		author: AccountId::from(sudo.public()),
		author_share: Perbill::from_percent(10),
		validators_share: Perbill::from_percent(10),
		min_stake: 10 * UNIT,
	};
	let register = pallet_services::Call::register_type {
		name: name.as_bytes().to_vec().try_into().expect("short"),
		schema: H256::from(kind.schema()),
		unit: unit.as_bytes().to_vec().try_into().expect("short"),
		terms,
	};
	let call = RuntimeCall::Sudo(pallet_sudo::Call::sudo {
		call: Box::new(RuntimeCall::Services(register)),
	});
	let included = chain.submit(sudo, call).await.expect("sudo");
	included
		.find(|event| match event {
			RuntimeEvent::Services(pallet_services::Event::TypeRegistered {
				service_type, ..
			}) => Some(*service_type),
			_ => None,
		})
		.unwrap_or_else(|| panic!("sudo did not register the type: {:?}", included.events))
}

/// How many times [`submit_result`] submits before it gives up.
const SUBMIT_ATTEMPTS: u32 = 5;

/// `provider` submits `result` (and `evidence`) for `instance`; gives the evaluation. The panel
/// is drawn from the parent block's hash in at most four draws weighted by free REP, and the
/// provider (the post's author) is skipped: with the provider and one other account holding
/// the same REP, one submission in 16 draws nobody (`reputation.NoEligibleMembers`) and is
/// tried again in a later block, as a provider would.
pub async fn submit_result(
	chain: &Chain,
	provider: &sr25519::Pair,
	instance: u64,
	result: H256,
	evidence: H256,
) -> Evaluation {
	let mut attempt = 1;
	loop {
		match chain.submit_result(provider, instance, result, evidence).await {
			Ok(evaluation) => return evaluation,
			Err(e)
				if attempt < SUBMIT_ATTEMPTS
					&& e.dispatch_name() == Some("reputation.NoEligibleMembers") =>
			{
				attempt += 1
			},
			Err(e) => panic!("instance {instance}: the result is refused: {e}"),
		}
	}
}
