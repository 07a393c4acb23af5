//! Integration tests of the `gpow-ssk` binary: round trips of every subcommand and every error
//! (exit status and the one-line message), including `open --rpc` against a small in-process
//! JSON-RPC server.

use std::{
	io::{BufRead, BufReader, Read, Write},
	net::{TcpListener, TcpStream},
	path::{Path, PathBuf},
	process::{Command, Stdio},
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc,
	},
	thread,
};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_gpow-ssk");
const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
const CHARLIE: &str = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y";
const GENESIS: &str = "0x1111111111111111111111111111111111111111111111111111111111111111";
const OTHER_GENESIS: &str = "0x2222222222222222222222222222222222222222222222222222222222222222";

/// What a run of the binary produced.
struct Output {
	code: i32,
	stdout: Vec<u8>,
	stderr: String,
}

impl Output {
	fn stdout_text(&self) -> String {
		String::from_utf8(self.stdout.clone()).expect("UTF-8 stdout")
	}
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
	let mut child = Command::new(BIN)
		.args(args)
		.env_remove("RUST_BACKTRACE")
		.env_remove("RUST_LIB_BACKTRACE")
		.stdin(Stdio::piped())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.spawn()
		.expect("spawn gpow-ssk");
	let mut input = child.stdin.take().expect("stdin");
	let data = stdin.to_vec();
	let writer = thread::spawn(move || {
		// The tool may not read its standard input at all.
		let _ = input.write_all(&data);
	});
	let out = child.wait_with_output().expect("wait for gpow-ssk");
	writer.join().expect("stdin writer");
	Output {
		code: out.status.code().expect("exit code (not killed by a signal)"),
		stdout: out.stdout,
		stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
	}
}

/// Runs and expects success with nothing on standard error.
fn ok(args: &[&str], stdin: &[u8]) -> Output {
	let out = run(args, stdin);
	assert_eq!(out.code, 0, "gpow-ssk {args:?} failed: {}", out.stderr);
	assert_eq!(out.stderr, "", "gpow-ssk {args:?} wrote to stderr");
	out
}

/// Runs and expects exit status `code` with exactly one line on standard error that contains
/// every one of `needles`, and no panic or backtrace.
fn fails(args: &[&str], stdin: &[u8], code: i32, needles: &[&str]) -> String {
	let out = run(args, stdin);
	assert_eq!(out.code, code, "gpow-ssk {args:?}: exit status; stderr: {}", out.stderr);
	let err = out.stderr;
	assert!(err.ends_with('\n') && err.lines().count() == 1, "not one line: {err:?}");
	assert!(err.starts_with("gpow-ssk: error: "), "{err:?}");
	for needle in needles {
		assert!(err.contains(needle), "stderr {err:?} lacks {needle:?}");
	}
	for forbidden in ["panicked", "backtrace", "RUST_BACKTRACE", "internal error"] {
		assert!(!err.contains(forbidden), "stderr {err:?} contains {forbidden:?}");
	}
	assert!(out.stdout.is_empty(), "no output on failure");
	err
}

/// A fresh directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
	fn new() -> Self {
		static COUNTER: AtomicUsize = AtomicUsize::new(0);
		let nanos = std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map(|d| d.subsec_nanos())
			.unwrap_or_default();
		let dir = std::env::temp_dir().join(format!(
			"gpow-ssk-cli-{}-{}-{nanos}",
			std::process::id(),
			COUNTER.fetch_add(1, Ordering::SeqCst)
		));
		std::fs::create_dir_all(&dir).expect("temp dir");
		Self(dir)
	}

	fn path(&self, name: &str) -> String {
		self.0.join(name).to_str().expect("UTF-8 path").to_string()
	}
}

impl Drop for TempDir {
	fn drop(&mut self) {
		let _ = std::fs::remove_dir_all(&self.0);
	}
}

fn read(path: &str) -> String {
	std::fs::read_to_string(path).expect("read file").trim().to_string()
}

/// Alice's and Bob's keys in `dir`: (alice public, bob public).
fn keys(dir: &TempDir) -> (String, String) {
	let a = ok(&["keygen", "--out", &dir.path("a.key")], b"").stdout_text();
	let b = ok(&["keygen", "--out", &dir.path("b.key")], b"").stdout_text();
	(a.trim().to_string(), b.trim().to_string())
}

/// Alice seals epoch `epoch` to Bob: writes `env<epoch>.json` and `a<epoch>.ssk`.
fn seal_to_bob(dir: &TempDir, b_pub: &str, epoch: u64) -> (String, String) {
	let (env, ssk) = (dir.path(&format!("env{epoch}.json")), dir.path(&format!("a{epoch}.ssk")));
	let epoch = epoch.to_string();
	ok(
		&[
			"seal",
			"--key",
			&dir.path("a.key"),
			"--to-key",
			b_pub,
			"--genesis",
			GENESIS,
			"--from",
			ALICE,
			"--to",
			BOB,
			"--epoch",
			&epoch,
			"--key-version",
			"1",
			"--out",
			&env,
			"--ssk-out",
			&ssk,
		],
		b"",
	);
	(env, ssk)
}

/// `open` arguments for Bob, from a file.
fn open_args<'a>(dir: &'a TempDir, env: &'a str, a_pub: &'a str, out: &'a str) -> Vec<String> {
	[
		"open",
		"--key",
		&dir.path("b.key"),
		"--from",
		ALICE,
		"--to",
		BOB,
		"--envelope",
		env,
		"--sender-key",
		a_pub,
		"--genesis",
		GENESIS,
		"--ssk-out",
		out,
	]
	.iter()
	.map(|s| s.to_string())
	.collect()
}

fn strs(v: &[String]) -> Vec<&str> {
	v.iter().map(String::as_str).collect()
}

#[test]
fn keygen_and_pubkey() {
	let dir = TempDir::new();
	let key = dir.path("k.key");
	let public = ok(&["keygen", "--out", &key], b"").stdout_text();
	let public = public.trim();
	assert!(public.starts_with("0x") && public.len() == 66, "{public}");
	let secret = read(&key);
	assert!(secret.starts_with("0x") && secret.len() == 66);
	assert_ne!(secret, public);
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(&key).unwrap().permissions().mode();
		assert_eq!(mode & 0o777, 0o600, "secret key file mode");
	}
	assert_eq!(ok(&["pubkey", "--key", &key], b"").stdout_text().trim(), public);
	// From standard input, without the 0x prefix and with surrounding blanks.
	let bare = format!("  {}\n\n", &secret[2..]);
	assert_eq!(ok(&["pubkey", "--key", "-"], bare.as_bytes()).stdout_text().trim(), public);

	// A secret key is never overwritten by accident.
	fails(&["keygen", "--out", &key], b"", 1, &["already exists", "--force"]);
	assert_eq!(read(&key), secret);
	let other = ok(&["keygen", "--out", &key, "--force"], b"").stdout_text();
	assert_ne!(other.trim(), public);
	assert_ne!(read(&key), secret);

	// To standard output: the secret there, the public key on stderr.
	let out = run(&["keygen", "--out", "-"], b"");
	assert_eq!(out.code, 0);
	let printed = out.stdout_text();
	let public = ok(&["pubkey", "--key", "-"], printed.as_bytes()).stdout_text();
	assert_eq!(out.stderr, format!("public key: {}", public));
}

#[test]
fn seal_then_open_from_a_file() {
	let dir = TempDir::new();
	let (a_pub, b_pub) = keys(&dir);
	let env = dir.path("env.json");
	let a_ssk = dir.path("a.ssk");
	ok(
		&[
			"seal",
			"--key",
			&dir.path("a.key"),
			"--to-key",
			&b_pub,
			"--genesis",
			GENESIS,
			"--from",
			ALICE,
			"--to",
			BOB,
			"--epoch",
			"3",
			"--key-version",
			"1",
			"--expiry",
			"1000",
			"--out",
			&env,
			"--ssk-out",
			&a_ssk,
		],
		b"",
	);
	// The exact shape of `ssk_latest` (without postedAt).
	let json: Value = serde_json::from_str(&read(&env)).unwrap();
	let fields: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
	assert_eq!(fields.len(), 6, "{fields:?}");
	assert_eq!(json["suite"], 1);
	assert_eq!(json["epoch"], 3);
	assert_eq!(json["recipientKeyVersion"], 1);
	assert_eq!(json["expiry"], 1000);
	assert_eq!(json["enc"].as_str().unwrap().len(), 66);
	assert_eq!(json["ciphertext"].as_str().unwrap().len(), 2 + 96);
	let ssk = read(&a_ssk);
	assert!(ssk.starts_with("0x") && ssk.len() == 66);

	let b_ssk = dir.path("b.ssk");
	ok(&strs(&open_args(&dir, &env, &a_pub, &b_ssk)), b"");
	assert_eq!(read(&b_ssk), ssk);
	// The envelope from standard input, the SSK to standard output, the expected epoch given.
	let mut args = open_args(&dir, "-", &a_pub, "-");
	args.extend(["--epoch".to_string(), "3".to_string()]);
	let out = ok(&strs(&args), read(&env).as_bytes());
	assert_eq!(out.stdout_text().trim(), ssk);
	// A postedAt field (as in ssk_latest answers) and unknown fields are accepted.
	let mut with_posted = json.clone();
	with_posted["postedAt"] = json!(17);
	with_posted["note"] = json!("ignored");
	let out = ok(&strs(&open_args(&dir, "-", &a_pub, "-")), with_posted.to_string().as_bytes());
	assert_eq!(out.stdout_text().trim(), ssk);
}

#[test]
fn open_errors() {
	let dir = TempDir::new();
	let (a_pub, b_pub) = keys(&dir);
	let (env, _) = seal_to_bob(&dir, &b_pub, 1);
	let json: Value = serde_json::from_str(&read(&env)).unwrap();
	let out = dir.path("out.ssk");
	let open_with = |envelope: &Value| {
		let path = dir.path("edited.json");
		std::fs::write(&path, envelope.to_string()).unwrap();
		open_args(&dir, &path, &a_pub, &out)
	};
	let no_open = ["cannot open the envelope", "envelope does not open"];

	// Wrong key: Charlie's secret instead of Bob's.
	ok(&["keygen", "--out", &dir.path("c.key")], b"");
	let mut args = open_args(&dir, &env, &a_pub, &out);
	args[2] = dir.path("c.key");
	fails(&strs(&args), b"", 1, &no_open);
	// Wrong sender key.
	fails(&strs(&open_args(&dir, &env, &b_pub, &out)), b"", 1, &no_open);
	// Another chain, other parties.
	let mut args = open_args(&dir, &env, &a_pub, &out);
	args[12] = OTHER_GENESIS.to_string();
	fails(&strs(&args), b"", 1, &no_open);
	let mut args = open_args(&dir, &env, &a_pub, &out);
	args[6] = CHARLIE.to_string();
	fails(&strs(&args), b"", 1, &no_open);

	// Tampered envelope: ciphertext, enc, and every header field.
	let mut bad = json.clone();
	let ct = bad["ciphertext"].as_str().unwrap().to_string();
	bad["ciphertext"] =
		json!(format!("{}{}", &ct[..10], if &ct[10..11] == "0" { "1" } else { "0" }) + &ct[11..]);
	fails(&strs(&open_with(&bad)), b"", 1, &no_open);
	let mut bad = json.clone();
	let enc = bad["enc"].as_str().unwrap().to_string();
	bad["enc"] = json!(format!("{}{}", &enc[..65], if enc.ends_with('0') { "1" } else { "0" }));
	fails(&strs(&open_with(&bad)), b"", 1, &no_open);
	for (field, value) in [("recipientKeyVersion", json!(2)), ("expiry", json!(99))] {
		let mut bad = json.clone();
		bad[field] = value;
		fails(&strs(&open_with(&bad)), b"", 1, &no_open);
	}
	// Another epoch: a rewritten clear epoch does not open; an expected epoch is enforced.
	let mut bad = json.clone();
	bad["epoch"] = json!(2);
	fails(&strs(&open_with(&bad)), b"", 1, &no_open);
	let mut args = open_args(&dir, &env, &a_pub, &out);
	args.extend(["--epoch".to_string(), "2".to_string()]);
	fails(
		&strs(&args),
		b"",
		1,
		&["envelope header epoch 1 differs from the expected binding epoch 2"],
	);
	let mut bad = json.clone();
	bad["suite"] = json!(2);
	fails(&strs(&open_with(&bad)), b"", 1, &["unsupported SSK suite id 2"]);

	// Truncated input.
	let mut bad = json.clone();
	bad["ciphertext"] = json!(&ct[..ct.len() - 2]);
	fails(&strs(&open_with(&bad)), b"", 1, &["ciphertext is 47 bytes", "truncated"]);
	let mut bad = json.clone();
	bad["enc"] = json!(&enc[..40]);
	fails(&strs(&open_with(&bad)), b"", 1, &["enc is 19 bytes"]);
	let text = read(&env);
	fails(
		&strs(&open_args(&dir, "-", &a_pub, &out)),
		&text.as_bytes()[..50],
		1,
		&["not an envelope JSON"],
	);
	std::fs::write(dir.path("short.key"), &read(&dir.path("b.key"))[..40]).unwrap();
	let mut args = open_args(&dir, &env, &a_pub, &out);
	args[2] = dir.path("short.key");
	fails(
		&strs(&args),
		b"",
		1,
		&["secret key file", "expected 32 bytes (64 hex digits), got 19 bytes"],
	);

	// Bad hex in files and arguments, missing files.
	let mut bad = json.clone();
	bad["enc"] = json!(format!("0xzz{}", &enc[4..]));
	fails(
		&strs(&open_with(&bad)),
		b"",
		1,
		&["envelope enc: invalid hex character 'z' at position 0"],
	);
	std::fs::write(dir.path("bad.key"), "0xnot-hex").unwrap();
	let mut args = open_args(&dir, &env, &a_pub, &out);
	args[2] = dir.path("bad.key");
	fails(&strs(&args), b"", 1, &["secret key file", "invalid hex character 'n'"]);
	let mut args = open_args(&dir, &env, &a_pub, &out);
	args[2] = dir.path("missing.key");
	fails(&strs(&args), b"", 1, &["cannot read", "missing.key", "No such file"]);
	fails(
		&strs(&open_args(&dir, &env, "0x1234", &out)),
		b"",
		2,
		&["--sender-key", "expected 32 bytes"],
	);
	// A low-order sender key.
	let zero = format!("0x{}", "00".repeat(32));
	fails(&strs(&open_args(&dir, &env, &zero, &out)), b"", 1, &["invalid X25519 public key"]);
	assert!(!Path::new(&out).exists(), "no SSK written on failure");
}

#[test]
fn bad_command_lines() {
	let dir = TempDir::new();
	let (_, b_pub) = keys(&dir);
	let key = dir.path("a.key");
	let out = dir.path("e.json");
	let ssk = dir.path("s.ssk");
	let seal = |to_key: &str, genesis: &str, from: &str, epoch: &str| {
		run(
			&[
				"seal",
				"--key",
				&key,
				"--to-key",
				to_key,
				"--genesis",
				genesis,
				"--from",
				from,
				"--to",
				BOB,
				"--epoch",
				epoch,
				"--key-version",
				"1",
				"--out",
				&out,
				"--ssk-out",
				&ssk,
			],
			b"",
		)
	};
	let check = |out: Output, needles: &[&str]| {
		assert_eq!(out.code, 2, "{}", out.stderr);
		assert_eq!(out.stderr.lines().count(), 1, "{:?}", out.stderr);
		for needle in needles {
			assert!(out.stderr.contains(needle), "{:?} lacks {needle:?}", out.stderr);
		}
	};
	check(seal(&b_pub, "0x11", ALICE, "1"), &["--genesis", "expected 32 bytes"]);
	check(
		seal(&b_pub, &format!("0x{}", "g".repeat(64)), ALICE, "1"),
		&["--genesis", "invalid hex character 'g'"],
	);
	check(seal("0x123", GENESIS, ALICE, "1"), &["--to-key", "odd number of hex digits"]);
	check(seal(&b_pub, GENESIS, &ALICE[..47], "1"), &["--from", "invalid SS58 address"]);
	check(
		seal(&b_pub, GENESIS, &format!("{}Z", &ALICE[..47]), "1"),
		&["--from", "checksum mismatch"],
	);
	check(
		seal(&b_pub, GENESIS, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQ0", "1"),
		&["--from", "'0'", "not base58"],
	);
	check(seal(&b_pub, GENESIS, ALICE, "18446744073709551616"), &["--epoch", "too large"]);
	check(seal(&b_pub, GENESIS, ALICE, "x"), &["--epoch", "invalid digit"]);
	check(run(&["seal", "--key", &key], b""), &["required arguments were not provided"]);
	check(run(&["frobnicate"], b""), &["unrecognized subcommand 'frobnicate'"]);
	check(
		run(
			&[
				"decrypt",
				"--ssk",
				&ssk,
				"--genesis",
				GENESIS,
				"--from",
				ALICE,
				"--to",
				BOB,
				"--epoch",
				"1",
				"--role",
				"observer",
				"--state",
				&out,
			],
			b"",
		),
		&["--role", "observer", "initiator", "responder"],
	);
	assert!(!Path::new(&out).exists() && !Path::new(&ssk).exists());
	// A low-order recipient key is refused by the library, an operation error.
	fails(
		&[
			"seal",
			"--key",
			&key,
			"--to-key",
			&format!("0x{}", "00".repeat(32)),
			"--genesis",
			GENESIS,
			"--from",
			ALICE,
			"--to",
			BOB,
			"--epoch",
			"1",
			"--key-version",
			"1",
			"--out",
			&out,
			"--ssk-out",
			&ssk,
		],
		b"",
		1,
		&["cannot seal", "invalid X25519 public key"],
	);
	// Help and version succeed.
	assert_eq!(run(&["--help"], b"").code, 0);
	assert_eq!(run(&["open", "--help"], b"").code, 0);
	assert!(ok(&["--version"], b"").stdout_text().starts_with("gpow-ssk "));
}

/// `encrypt` / `decrypt` arguments.
fn traffic(op: &str, ssk: &str, epoch: &str, role: &str, state: &str, input: &str) -> Vec<String> {
	[
		op,
		"--ssk",
		ssk,
		"--genesis",
		GENESIS,
		"--from",
		ALICE,
		"--to",
		BOB,
		"--epoch",
		epoch,
		"--role",
		role,
		"--state",
		state,
		"--in",
		input,
		"--out",
		"-",
	]
	.iter()
	.map(|s| s.to_string())
	.collect()
}

#[test]
fn traffic_round_trips_and_errors() {
	let dir = TempDir::new();
	let (a_pub, b_pub) = keys(&dir);
	let (env, a_ssk) = seal_to_bob(&dir, &b_pub, 1);
	let b_ssk = dir.path("b1.ssk");
	ok(&strs(&open_args(&dir, &env, &a_pub, &b_ssk)), b"");
	let (a_state, b_state) = (dir.path("a.state"), dir.path("b.state"));
	let encrypt_a = |msg: &[u8]| {
		ok(&strs(&traffic("encrypt", &a_ssk, "1", "initiator", &a_state, "-")), msg).stdout
	};
	let decrypt_b = |frame: &[u8]| {
		run(&strs(&traffic("decrypt", &b_ssk, "1", "responder", &b_state, "-")), frame)
	};

	// Several messages each way, each in its own run of the tool.
	let mut frames = Vec::new();
	for i in 0..4u8 {
		let msg = vec![i; usize::from(i) * 100];
		let frame = encrypt_a(&msg);
		assert_eq!(frame.len(), msg.len() + 33);
		assert_eq!(&frame[9..17], &(u64::from(i) + 1).to_le_bytes(), "counter");
		let out = decrypt_b(&frame);
		assert_eq!(out.code, 0, "{}", out.stderr);
		assert_eq!(out.stdout, msg);
		frames.push(frame);
	}
	let reply_file = dir.path("reply.bin");
	let mut args = traffic("encrypt", &b_ssk, "1", "responder", &b_state, "-");
	args[18] = reply_file.clone();
	ok(&strs(&args), b"reply from B");
	let out = ok(&strs(&traffic("decrypt", &a_ssk, "1", "initiator", &a_state, &reply_file)), b"");
	assert_eq!(out.stdout, b"reply from B");
	let state: Value = serde_json::from_str(&read(&b_state)).unwrap();
	assert_eq!(state["format"], "gpow-ssk-session-v1");
	assert_eq!((state["lastSent"].as_u64(), state["lastReceived"].as_u64()), (Some(1), Some(4)));
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(&b_state).unwrap().permissions().mode();
		assert_eq!(mode & 0o777, 0o600, "state file mode");
	}
	assert!(!read(&b_state).contains(&read(&b_ssk)[2..]), "the SSK is not in the state file");

	let dec = |ssk: &str, epoch: &str, role: &str, state: &str| {
		strs(&traffic("decrypt", ssk, epoch, role, state, "-"))
			.iter()
			.map(|s| s.to_string())
			.collect::<Vec<_>>()
	};
	let b_args = dec(&b_ssk, "1", "responder", &b_state);
	// Replayed, across runs; reordered.
	fails(&strs(&b_args), &frames[3], 1, &["cannot decrypt", "replayed message (counter 4)"]);
	fails(&strs(&b_args), &frames[0], 1, &["replayed message (counter 1)"]);
	let f5 = encrypt_a(b"five");
	let f6 = encrypt_a(b"six");
	assert_eq!(decrypt_b(&f6).stdout, b"six");
	fails(
		&strs(&b_args),
		&f5,
		1,
		&["reordered message: counter 5 is not above the last accepted counter 6"],
	);
	// Truncated and tampered frames; a refused frame leaves the state as it was.
	let before = read(&b_state);
	let f7 = encrypt_a(b"seven");
	fails(&strs(&b_args), &f7[..20], 1, &["truncated input: need at least 33 bytes, got 20"]);
	fails(&strs(&b_args), b"", 1, &["truncated input: need at least 33 bytes, got 0"]);
	fails(&strs(&b_args), &f7[..f7.len() - 1], 1, &["message does not authenticate"]);
	let mut bad = f7.clone();
	bad[20] ^= 1;
	fails(&strs(&b_args), &bad, 1, &["message does not authenticate"]);
	assert_eq!(read(&b_state), before, "the state is unchanged by refused frames");
	assert_eq!(decrypt_b(&f7).stdout, b"seven");

	// Another epoch: Alice rotates; Bob's epoch-2 session refuses an epoch-1 frame.
	let (env2, a2_ssk) = seal_to_bob(&dir, &b_pub, 2);
	let b2_ssk = dir.path("b2.ssk");
	ok(&strs(&open_args(&dir, &env2, &a_pub, &b2_ssk)), b"");
	let b2_state = dir.path("b2.state");
	let f8 = encrypt_a(b"old epoch");
	fails(
		&strs(&dec(&b2_ssk, "2", "responder", &b2_state)),
		&f8,
		1,
		&["message from epoch 1, but this session is for epoch 2"],
	);
	let a2_state = dir.path("a2.state");
	let frame =
		ok(&strs(&traffic("encrypt", &a2_ssk, "2", "initiator", &a2_state, "-")), b"new").stdout;
	assert_eq!(ok(&strs(&dec(&b2_ssk, "2", "responder", &b2_state)), &frame).stdout, b"new");
	assert_ne!(read(&a2_ssk), read(&a_ssk));

	// State files bound to their SSK, epoch, role, chain and parties.
	fails(
		&strs(&dec(&b2_ssk, "1", "responder", &b_state)),
		&f8,
		1,
		&["was not written with this --ssk", "MAC"],
	);
	fails(
		&strs(&dec(&b_ssk, "2", "responder", &b_state)),
		&f8,
		1,
		&["is for epoch 1, not --epoch 2"],
	);
	fails(
		&strs(&dec(&b_ssk, "1", "initiator", &b_state)),
		&f8,
		1,
		&["is the responder's, not --role initiator"],
	);
	let mut args = dec(&b_ssk, "1", "responder", &b_state);
	args[4] = OTHER_GENESIS.to_string();
	fails(&strs(&args), &f8, 1, &["belongs to the chain with genesis"]);
	let mut args = dec(&b_ssk, "1", "responder", &b_state);
	args[8] = CHARLIE.to_string();
	fails(&strs(&args), &f8, 1, &["is for the pair"]);
	// A modified state file (counter rolled back) is refused.
	let mut state: Value = serde_json::from_str(&read(&b_state)).unwrap();
	let session = state["session"].as_str().unwrap().to_string();
	let rolled = format!("{}00{}", &session[..2 + 2 * 17], &session[2 + 2 * 17 + 2..]);
	state["session"] = json!(rolled);
	let edited = dir.path("edited.state");
	std::fs::write(&edited, state.to_string()).unwrap();
	fails(&strs(&dec(&b_ssk, "1", "responder", &edited)), &f8, 1, &["MAC check failed"]);
	std::fs::write(&edited, "{ not json").unwrap();
	fails(
		&strs(&dec(&b_ssk, "1", "responder", &edited)),
		&f8,
		1,
		&["is not a gpow-ssk session state"],
	);
	// A bad SSK file.
	std::fs::write(dir.path("bad.ssk"), "0x1234").unwrap();
	fails(
		&strs(&dec(&dir.path("bad.ssk"), "1", "responder", &b_state)),
		&f8,
		1,
		&["SSK file", "expected 32 bytes"],
	);
	fails(
		&strs(&traffic("decrypt", &b_ssk, "1", "responder", "-", "-")),
		&f8,
		1,
		&["--state must be a file"],
	);
}

/// A JSON-RPC 2.0 server over HTTP on 127.0.0.1 answering with `answer(method, params)` (the
/// `result`, or `Err(error object)`). Returns its URL and a counter of requests.
fn rpc_server(
	answer: impl Fn(&str, &Value) -> Result<Value, Value> + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
	let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
	let url = format!("http://{}", listener.local_addr().unwrap());
	let count = Arc::new(AtomicUsize::new(0));
	let counter = count.clone();
	let answer = Arc::new(answer);
	thread::spawn(move || {
		for stream in listener.incoming().flatten() {
			counter.fetch_add(1, Ordering::SeqCst);
			let answer = answer.clone();
			thread::spawn(move || serve(stream, &*answer));
		}
	});
	(url, count)
}

fn serve(stream: TcpStream, answer: &dyn Fn(&str, &Value) -> Result<Value, Value>) {
	let mut reader = BufReader::new(stream.try_clone().expect("clone"));
	let mut length = 0usize;
	loop {
		let mut line = String::new();
		if reader.read_line(&mut line).unwrap_or(0) == 0 {
			return;
		}
		let line = line.trim_end();
		if line.is_empty() {
			break;
		}
		if let Some((name, value)) = line.split_once(':') {
			if name.eq_ignore_ascii_case("content-length") {
				length = value.trim().parse().unwrap_or(0);
			}
		}
	}
	let mut body = vec![0u8; length];
	if reader.read_exact(&mut body).is_err() {
		return;
	}
	let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
	let method = request["method"].as_str().unwrap_or_default().to_string();
	let response = match answer(&method, &request["params"]) {
		Ok(result) => json!({ "jsonrpc": "2.0", "id": request["id"], "result": result }),
		Err(error) => json!({ "jsonrpc": "2.0", "id": request["id"], "error": error }),
	}
	.to_string();
	let mut stream = stream;
	let _ = write!(
		stream,
		"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: \
		 close\r\n\r\n{response}",
		response.len()
	);
}

/// What the fake node knows: Alice's and Bob's keys and Alice's envelope to Bob.
#[derive(Clone)]
struct Chain {
	a_pub: String,
	b_pub: String,
	envelope: Option<Value>,
}

const POSTED_HASH: &str = "0x5555555555555555555555555555555555555555555555555555555555555555";

fn chain_answer(chain: Chain) -> impl Fn(&str, &Value) -> Result<Value, Value> + Send + Sync {
	move |method, params| match method {
		"chain_getBlockHash" => match params[0].as_u64() {
			Some(0) => Ok(json!(GENESIS)),
			Some(5) => Ok(json!(POSTED_HASH)),
			_ => Ok(Value::Null),
		},
		"ssk_latest" if params[0] == ALICE && params[1] == BOB => {
			Ok(chain.envelope.clone().unwrap_or(Value::Null))
		},
		"ssk_latest" => Ok(Value::Null),
		"ssk_encryptionKey" => {
			// The keys are only readable at the posting block: the best block "pruned" nothing
			// but has other keys, to prove the tool asks for the posting block.
			let at_posting = params[1] == POSTED_HASH;
			let key = match params[0].as_str() {
				Some(ALICE) if at_posting => json!({ "version": 1, "key": chain.a_pub }),
				Some(BOB) if at_posting => json!({ "version": 1, "key": chain.b_pub }),
				Some(ALICE) | Some(BOB) => json!({ "version": 7, "key": GENESIS }),
				_ => Value::Null,
			};
			Ok(key)
		},
		_ => Err(json!({ "code": -32601, "message": "Method not found" })),
	}
}

#[test]
fn open_over_rpc() {
	let dir = TempDir::new();
	let (a_pub, b_pub) = keys(&dir);
	let (env, a_ssk) = seal_to_bob(&dir, &b_pub, 1);
	let mut envelope: Value = serde_json::from_str(&read(&env)).unwrap();
	envelope["postedAt"] = json!(5);
	let chain = Chain { a_pub: a_pub.clone(), b_pub, envelope: Some(envelope) };
	let (url, requests) = rpc_server(chain_answer(chain.clone()));
	let out = dir.path("b.ssk");
	let args = |key: &str, from: &str, url: &str| -> Vec<String> {
		["open", "--key", key, "--from", from, "--to", BOB, "--rpc", url, "--ssk-out", &out]
			.iter()
			.map(|s| s.to_string())
			.collect()
	};
	ok(&strs(&args(&dir.path("b.key"), ALICE, &url)), b"");
	assert_eq!(read(&out), read(&a_ssk));
	assert!(requests.load(Ordering::SeqCst) >= 4, "genesis, latest, posting block, keys");

	// Wrong key: the node says which key the envelope is for.
	ok(&["keygen", "--out", &dir.path("c.key")], b"");
	fails(&strs(&args(&dir.path("c.key"), ALICE, &url)), b"", 1, &["wrong key", BOB, "version 1"]);
	// No envelope on chain.
	fails(
		&strs(&args(&dir.path("b.key"), CHARLIE, &url)),
		b"",
		1,
		&["no envelope from", CHARLIE, "ssk_latest returned null"],
	);
	let (empty, _) = rpc_server(chain_answer(Chain { envelope: None, ..chain.clone() }));
	fails(&strs(&args(&dir.path("b.key"), ALICE, &empty)), b"", 1, &["no envelope from"]);
	// A tampered envelope on chain.
	let mut tampered: Value = serde_json::from_str(&read(&env)).unwrap();
	tampered["recipientKeyVersion"] = json!(1);
	tampered["expiry"] = json!(12345);
	tampered["postedAt"] = json!(5);
	let (bad, _) = rpc_server(chain_answer(Chain { envelope: Some(tampered), ..chain.clone() }));
	fails(&strs(&args(&dir.path("b.key"), ALICE, &bad)), b"", 1, &["envelope does not open"]);
	// A node without the SSK RPC.
	let (other, _) = rpc_server(|method, _| match method {
		"chain_getBlockHash" => Ok(json!(GENESIS)),
		_ => Err(json!({ "code": -32601, "message": "Method not found" })),
	});
	fails(
		&strs(&args(&dir.path("b.key"), ALICE, &other)),
		b"",
		1,
		&["ssk_latest failed: Method not found", "SSK pallet"],
	);
	// RPC unreachable: a port nobody listens on.
	let closed = {
		let listener = TcpListener::bind("127.0.0.1:0").unwrap();
		format!("http://{}", listener.local_addr().unwrap())
	};
	fails(
		&strs(&args(&dir.path("b.key"), ALICE, &closed)),
		b"",
		1,
		&["cannot reach the node's RPC at", "Connection refused"],
	);
	fails(
		&strs(&args(&dir.path("b.key"), ALICE, "https://127.0.0.1:9944")),
		b"",
		1,
		&["https is not supported"],
	);
	fails(&strs(&args(&dir.path("b.key"), ALICE, "ws://127.0.0.1:9944")), b"", 1, &["http://"]);
	for bad_url in ["http://127.0.0.1:99999", "http://256.1.1.1:1", "http://[zz]:1"] {
		fails(&strs(&args(&dir.path("b.key"), ALICE, bad_url)), b"", 1, &["not a valid URL"]);
	}
	assert!(!Path::new(&out).exists() || read(&out) == read(&a_ssk));
}
