//! Flood a running gate with workless `CONN_INIT`s from loopback and measure what it costs the
//! gate (memory) and an honest client (connect time).
//!
//! ```text
//! cargo run --release -p gpow-pow-gate --example flood -- [--inits 100000] [--concurrency 256]
//!     [--samples 30] [--bogus-every 10] [--rate 0]
//! ```
//!
//! The gate runs in a child process (this binary with `--gate`, default configuration, one
//! tokio worker thread) listening on 127.0.0.1; its memory is its `VmRSS` / `VmHWM` from
//! `/proc/<pid>/status` plus its own data-structure sizes ([`gpow_pow_gate::GateStats`]).
//! The parent:
//!
//! 1. measures an honest client's connect time (TCP connect, `CONN_INIT` request, solve at the
//!    demanded effort, proof, `CONN_OK`) `--samples` times on the idle gate;
//! 2. floods `--inits` `CONN_INIT`s without work, `--concurrency` at a time, each on its own
//!    connection that is reset once the gate has answered (`CONN_CHALL`, or a close for the
//!    every `--bogus-every`-th one, a `CONN_INIT(proof)` with a forged cookie), at most `--rate`
//!    per second (0: as fast as it can), from one thread of its own, while the honest client
//!    keeps connecting;
//! 3. reports memory before/peak/after and connect times unloaded vs under the flood (the
//!    median, and the median without the client's own solving time, which does not depend on
//!    the gate).
//!
//! Only loopback addresses are used; the run is bounded by `--inits`.

use gpow_pow_gate::{
	wire::{encode_frame, ConnInit, ConnProof, Cookie, Message},
	Gate, GateConfig, GateId, Identity,
};
use std::{
	io::{BufRead, BufReader, Write},
	net::SocketAddr,
	process::{Child, ChildStdin, ChildStdout, Command, Stdio},
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::TcpSocket,
};

fn arg(name: &str, default: u64) -> u64 {
	let args: Vec<String> = std::env::args().collect();
	args.iter()
		.position(|a| a == name)
		.and_then(|i| args.get(i + 1))
		.and_then(|v| v.parse().ok())
		.unwrap_or(default)
}

fn rss_of(pid: u32) -> (u64, u64) {
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
	let field = |name: &str| {
		status
			.lines()
			.find(|l| l.starts_with(name))
			.and_then(|l| l.split_whitespace().nth(1))
			.and_then(|v| v.parse().ok())
			.unwrap_or(0)
	};
	(field("VmRSS:"), field("VmHWM:"))
}

// ----- the gate process -----

fn run_gate() {
	let rt = tokio::runtime::Builder::new_multi_thread()
		.worker_threads(1)
		.enable_all()
		.build()
		.expect("runtime");
	rt.block_on(async {
		let (gate, mut events) = Gate::new(GateConfig::default(), Identity::generate()).unwrap();
		tokio::spawn(async move { while events.recv().await.is_some() {} });
		let addr = gate.run_listener("127.0.0.1:0".parse().unwrap()).await.unwrap();
		println!("LISTEN {addr} {}", gate.id());
		let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
		std::thread::spawn(move || {
			for line in std::io::stdin().lock().lines() {
				let Ok(line) = line else { break };
				if tx.send(line).is_err() {
					break;
				}
			}
		});
		while let Some(cmd) = rx.recv().await {
			match cmd.trim() {
				"stats" => {
					let s = gate.stats();
					println!(
						"STATS connections={} half_open={} established={} replay={} approx_bytes={} effort={} issued={} accepted={} refused={}",
						s.connections,
						s.half_open,
						s.established,
						s.replay_entries,
						s.approx_bytes,
						gate.current_effort(),
						s.challenges_issued,
						s.proofs_accepted,
						s.refused
					);
				},
				_ => break,
			}
		}
		gate.shutdown();
	});
}

// ----- the parent: honest client and flooder -----

struct GateProc {
	child: Child,
	stdin: ChildStdin,
	stdout: BufReader<ChildStdout>,
}

impl GateProc {
	fn stats(&mut self) -> String {
		writeln!(self.stdin, "stats").unwrap();
		let mut line = String::new();
		self.stdout.read_line(&mut line).unwrap();
		line.trim().trim_start_matches("STATS ").to_string()
	}
	fn memory(&mut self) -> String {
		let (rss, hwm) = rss_of(self.child.id());
		format!("VmRSS {rss} kB, VmHWM {hwm} kB; {}", self.stats())
	}
}

/// One honest connection: (total, own solving time).
async fn honest_connect(addr: SocketAddr, gate: GateId) -> Option<(Duration, Duration)> {
	let (client, _events) = Gate::new(GateConfig::default(), Identity::generate()).ok()?;
	let start = Instant::now();
	let info = client.dial(addr, Some(gate)).await.ok()?;
	let total = start.elapsed();
	client.shutdown();
	Some((total, info.work_time))
}

fn median(v: &mut [Duration]) -> Duration {
	v.sort();
	if v.is_empty() {
		Duration::ZERO
	} else {
		v[v.len() / 2]
	}
}

fn summary(name: &str, samples: &[(Duration, Duration)]) -> (Duration, Duration) {
	let mut totals: Vec<_> = samples.iter().map(|s| s.0).collect();
	let mut net: Vec<_> = samples.iter().map(|s| s.0.saturating_sub(s.1)).collect();
	let mut solving: Vec<_> = samples.iter().map(|s| s.1).collect();
	let mean = totals.iter().sum::<Duration>() / samples.len().max(1) as u32;
	let (m, n, w) = (median(&mut totals), median(&mut net), median(&mut solving));
	println!(
		"{name:<22} n={:<3} median {:>8.1?}  mean {:>8.1?}  median own solving {:>8.1?}  median without own solving {:>8.2?}",
		samples.len(),
		m,
		mean,
		w,
		n
	);
	(m, n)
}

/// One workless CONN_INIT on its own connection; true if the gate answered.
async fn flood_one(addr: SocketAddr, bogus: bool) -> bool {
	let Ok(socket) = TcpSocket::new_v4() else { return false };
	let _ = socket.set_linger(Some(Duration::ZERO)); // reset on drop: no TIME_WAIT
	let Ok(mut s) = socket.connect(addr).await else { return false };
	let msg = if bogus {
		Message::ConnInit(ConnInit::Proof(ConnProof {
			challenge: [7; 16],
			cookie: Cookie { key_id: 0, issued_at: 0, effort: 1, tag: [0; 16] },
			nonce: 0,
			identity: GateId([1; 32]),
			signature: [0; 64],
		}))
	} else {
		Message::ConnInit(ConnInit::Request)
	};
	if s.write_all(&encode_frame(&msg)).await.is_err() {
		return false;
	}
	let mut buf = [0u8; 256];
	// A CONN_CHALL is about 100 bytes; a refusal is an EOF.
	matches!(
		tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await,
		Ok(Ok(n)) if bogus || n > 0
	)
}

fn main() {
	if std::env::args().any(|a| a == "--gate") {
		run_gate();
		return;
	}
	let inits = arg("--inits", 100_000);
	let concurrency = arg("--concurrency", 256);
	let samples = arg("--samples", 30);
	let rate = arg("--rate", 0);
	let bogus_every = arg("--bogus-every", 10).max(1);

	let mut child = Command::new(std::env::current_exe().unwrap())
		.arg("--gate")
		.stdin(Stdio::piped())
		.stdout(Stdio::piped())
		.spawn()
		.expect("spawn gate");
	let stdin = child.stdin.take().unwrap();
	let mut stdout = BufReader::new(child.stdout.take().unwrap());
	let mut line = String::new();
	stdout.read_line(&mut line).unwrap();
	let mut parts = line.split_whitespace().skip(1);
	let addr: SocketAddr = parts.next().unwrap().parse().unwrap();
	let gate_hex = parts.next().unwrap();
	let mut id = [0u8; 32];
	for (i, b) in id.iter_mut().enumerate() {
		*b = u8::from_str_radix(&gate_hex[2 * i..2 * i + 2], 16).unwrap();
	}
	let gate_id = GateId(id);
	let mut gate = GateProc { child, stdin, stdout };

	let rt = tokio::runtime::Builder::new_multi_thread()
		.worker_threads(2)
		.enable_all()
		.build()
		.unwrap();
	println!(
		"gate pid {} at {addr}, default config (min effort {})",
		gate.child.id(),
		GateConfig::default().effort.min_effort
	);
	std::thread::sleep(Duration::from_millis(200));
	println!("gate memory before      : {}", gate.memory());

	// 1. Unloaded.
	let unloaded: Vec<_> = rt.block_on(async {
		let mut v = Vec::new();
		for _ in 0..samples {
			if let Some(s) = honest_connect(addr, gate_id).await {
				v.push(s);
			}
		}
		v
	});
	println!("gate memory after honest: {}", gate.memory());

	// 2. Flood (its own thread and single-threaded runtime), with the honest client connecting
	// meanwhile.
	let next = Arc::new(AtomicU64::new(0));
	let answered = Arc::new(AtomicU64::new(0));
	let done = Arc::new(AtomicBool::new(false));
	let started = Instant::now();
	let flooder = {
		let (next, answered) = (next.clone(), answered.clone());
		std::thread::spawn(move || {
			let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
			rt.block_on(async move {
				let start = tokio::time::Instant::now();
				let tasks: Vec<_> = (0..concurrency)
					.map(|_| {
						let (next, answered) = (next.clone(), answered.clone());
						tokio::spawn(async move {
							loop {
								let i = next.fetch_add(1, Ordering::Relaxed);
								if i >= inits {
									break;
								}
								if rate > 0 {
									let at =
										start + Duration::from_secs_f64(i as f64 / rate as f64);
									tokio::time::sleep_until(at).await;
								}
								let bogus = i % bogus_every == bogus_every - 1;
								if flood_one(addr, bogus).await {
									answered.fetch_add(1, Ordering::Relaxed);
								}
							}
						})
					})
					.collect();
				for t in tasks {
					let _ = t.await;
				}
			});
		})
	};
	let honest = {
		let done = done.clone();
		rt.spawn(async move {
			let mut v = Vec::new();
			tokio::time::sleep(Duration::from_millis(300)).await;
			while !done.load(Ordering::Relaxed) {
				if let Some(s) = honest_connect(addr, gate_id).await {
					v.push(s);
				}
			}
			v
		})
	};
	let mut peak_line = String::new();
	let mut peak_rss = 0;
	while !flooder.is_finished() {
		std::thread::sleep(Duration::from_millis(250));
		let (rss, _) = rss_of(gate.child.id());
		let line = gate.memory();
		if rss >= peak_rss {
			peak_rss = rss;
			peak_line = line;
		}
	}
	let flood_time = started.elapsed();
	let _ = flooder.join();
	done.store(true, Ordering::Relaxed);
	let flooded = rt.block_on(honest).unwrap();
	println!("gate memory peak (flood): {peak_line}");
	println!("gate memory after flood : {}", gate.memory());
	std::thread::sleep(Duration::from_secs(2));
	println!("gate memory +2 s        : {}", gate.memory());
	let answered = answered.load(Ordering::Relaxed);
	println!(
		"flood: {inits} workless CONN_INIT ({} bogus proofs), concurrency {concurrency}, rate limit {}, in {:.2?} = {:.0}/s, {answered} answered",
		inits / bogus_every,
		if rate == 0 { "none".to_string() } else { format!("{rate}/s") },
		flood_time,
		inits as f64 / flood_time.as_secs_f64()
	);

	// 3. Report.
	let (u, un) = summary("honest, unloaded", &unloaded);
	let (f, fnet) = summary("honest, under flood", &flooded);
	println!(
		"connect time under flood / unloaded: {:.2}x (median); without own solving: {:.2}x (target: within 2x)",
		f.as_secs_f64() / u.as_secs_f64().max(1e-9),
		fnet.as_secs_f64() / un.as_secs_f64().max(1e-9)
	);
	let _ = writeln!(gate.stdin, "quit");
	let _ = gate.child.wait();
}
