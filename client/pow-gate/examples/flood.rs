//! Flood a running gate with workless `CONN_INIT`s from loopback and measure what it costs the
//! gate (memory) and an honest client (connect time).
//!
//! ```text
//! cargo run --release -p gpow-pow-gate --example flood -- [--inits 100000] [--trials 5]
//!     [--samples 20] [--gap-ms 50] [--concurrency 256] [--bogus-every 10] [--rate 0]
//!     [--source 127.0.0.2|none] [--modes unpinned,idle] [--no-source-limit]
//! ```
//!
//! `--source none` floods from the honest client's own address (127.0.0.1), so both share a
//! request bucket; `--no-source-limit` runs the gate without per-source request metering.
//!
//! Three processes: the gate (this binary with `--gate`: default configuration, one tokio worker
//! thread, listening on 127.0.0.1), the flooder (this binary with `--flooder`: one thread) and
//! the honest client (this process). The gate's memory is its `VmRSS` from
//! `/proc/<pid>/status` plus its own data-structure sizes ([`gpow_pow_gate::GateStats`]).
//!
//! For each mode, `--trials` times on the same gate:
//!
//! 1. the honest client connects `--samples` times on the idle gate (TCP connect, `CONN_INIT`
//!    request, solve at the demanded effort, proof, `CONN_OK`), pausing `--gap-ms` between
//!    connections (an honest node does not reconnect back to back);
//! 2. the flooder sends `--inits` `CONN_INIT`s without work, `--concurrency` at a time, each on
//!    its own connection from `--source` (another loopback address, as a remote attacker would
//!    have), reset once the gate has answered; every `--bogus-every`-th is a `CONN_INIT(proof)`
//!    with a forged cookie; at most `--rate` per second (0: as fast as it can). Meanwhile the
//!    honest client keeps connecting the same way.
//!
//! It reports per trial and pooled over the trials: the median connect time unloaded and under
//! the flood and their ratio; the median without the client's own solving time (the part the
//! gate controls, with the demanded effort, which is reported too); the gate's CPU time per
//! flooded `CONN_INIT`; and the gate's RSS before, at its peak during, and after the floods. The
//! *gate-attributable* connect time is the unloaded one with its gate-side part replaced by the
//! flooded value: what an honest client on its own machine would see if the effort is unchanged.
//!
//! Modes (`--modes`, comma-separated). The reference machine has 2 cores and all three parties
//! share them, often with other builds:
//!
//! - `unpinned`: no placement. The flooder alone keeps most of a core busy (the gate needs a
//!   fraction of one), so the honest client's solver, the bulk of its connect time, runs slower
//!   whatever the gate does: this measures the box as much as the gate.
//! - `idle` (needs `chrt`): the flooder runs at `SCHED_IDLE`, on CPU time nobody else wants, as
//!   a remote attacker's CPU would be; the gate and the honest client are unchanged. The flood
//!   rate it reaches is reported (it falls when other processes keep the CPUs busy).
//! - `pinned` (needs `taskset` and 2 CPUs): the honest client on CPU 0, the gate and the flooder
//!   together on CPU 1. With other load on the machine the scheduler moves it onto CPU 0 while
//!   the flood saturates CPU 1, so this is only meaningful on an otherwise idle machine.
//!
//! Only loopback addresses are used; the run is bounded by `--inits` and `--trials`.

use gpow_pow_gate::{
	wire::{encode_frame, ConnInit, ConnProof, Cookie, Message},
	Gate, GateConfig, GateId, Identity,
};
use std::{
	io::{BufRead, BufReader, Write},
	net::{IpAddr, SocketAddr},
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

fn arg_str(name: &str) -> Option<String> {
	let args: Vec<String> = std::env::args().collect();
	args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn arg(name: &str, default: u64) -> u64 {
	arg_str(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn rss_kb(pid: u32) -> u64 {
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
	status
		.lines()
		.find(|l| l.starts_with("VmRSS:"))
		.and_then(|l| l.split_whitespace().nth(1))
		.and_then(|v| v.parse().ok())
		.unwrap_or(0)
}

/// Runs `program` with `args`; false if it is missing or fails.
fn runs(program: &str, args: &[&str]) -> bool {
	Command::new(program)
		.args(args)
		.stdout(Stdio::null())
		.stderr(Stdio::null())
		.status()
		.map(|s| s.success())
		.unwrap_or(false)
}

/// A command for this binary with `args`, run through `prefix` (e.g. `taskset -c 1`) if any.
fn this_binary(prefix: &[&str], args: &[String]) -> Command {
	let exe = std::env::current_exe().unwrap();
	match prefix.split_first() {
		Some((program, rest)) => {
			let mut c = Command::new(program);
			c.args(rest).arg(exe).args(args);
			c
		},
		None => {
			let mut c = Command::new(exe);
			c.args(args);
			c
		},
	}
}

/// CPU seconds (user + system) a process has used so far.
fn cpu_secs(pid: u32) -> f64 {
	let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
	// Fields after the command name (which ends with the last ')'): utime is the 12th, stime
	// the 13th, in clock ticks (100 per second on Linux).
	let rest = stat.rsplit_once(')').map_or("", |r| r.1);
	let f: Vec<f64> = rest.split_whitespace().filter_map(|x| x.parse().ok()).collect();
	(f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

// ----- the gate process -----

fn run_gate() {
	let rt = tokio::runtime::Builder::new_multi_thread()
		.worker_threads(1)
		.enable_all()
		.build()
		.expect("runtime");
	rt.block_on(async {
		let mut config = GateConfig::default();
		if std::env::args().any(|a| a == "--no-source-limit") {
			// Every request gets a cookie: shows the gate without per-source metering.
			config.source_limit.init_rate = f64::INFINITY;
		}
		let (gate, mut events) = Gate::new(config, Identity::generate()).unwrap();
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
						"STATS {} connections={} half_open={} sources={} established={} replay={} approx_bytes={} issued={} rate_limited={} verified={} accepted={} refused={}",
						gate.current_effort(),
						s.connections,
						s.half_open,
						s.half_open_sources,
						s.established,
						s.replay_entries,
						s.approx_bytes,
						s.challenges_issued,
						s.rate_limited,
						s.proofs_verified,
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

// ----- the flooder process -----

#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
	Challenged,
	Closed,
	Failed,
}

/// One workless CONN_INIT on its own connection from `source`.
async fn flood_one(addr: SocketAddr, source: Option<IpAddr>, bogus: bool) -> Answer {
	let Ok(socket) = TcpSocket::new_v4() else { return Answer::Failed };
	let _ = socket.set_linger(Some(Duration::ZERO)); // reset on drop: no TIME_WAIT
	if let Some(ip) = source {
		if socket.bind(SocketAddr::new(ip, 0)).is_err() {
			return Answer::Failed;
		}
	}
	let Ok(mut s) = socket.connect(addr).await else { return Answer::Failed };
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
		return Answer::Failed;
	}
	let mut buf = [0u8; 256];
	// A CONN_CHALL is about 100 bytes; a refusal is an EOF.
	match tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await {
		Ok(Ok(n)) if n > 0 => Answer::Challenged,
		Ok(Ok(_)) | Ok(Err(_)) => Answer::Closed,
		Err(_) => Answer::Failed,
	}
}

fn run_flooder() {
	let addr: SocketAddr = arg_str("--addr").expect("--addr").parse().expect("address");
	let inits = arg("--inits", 100_000);
	let concurrency = arg("--concurrency", 256);
	let rate = arg("--rate", 0);
	let bogus_every = arg("--bogus-every", 10).max(1);
	let source: Option<IpAddr> = arg_str("--source").and_then(|s| s.parse().ok());
	// [challenged, closed on request (rate-limited), closed on bogus proof, failed]
	let counts: Arc<[AtomicU64; 4]> = Arc::new(Default::default());
	let next = Arc::new(AtomicU64::new(0));
	let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
	let started = Instant::now();
	rt.block_on(async {
		let start = tokio::time::Instant::now();
		let tasks: Vec<_> = (0..concurrency)
			.map(|_| {
				let (next, counts) = (next.clone(), counts.clone());
				tokio::spawn(async move {
					loop {
						let i = next.fetch_add(1, Ordering::Relaxed);
						if i >= inits {
							break;
						}
						if rate > 0 {
							let at = start + Duration::from_secs_f64(i as f64 / rate as f64);
							tokio::time::sleep_until(at).await;
						}
						let bogus = i % bogus_every == bogus_every - 1;
						let k = match (flood_one(addr, source, bogus).await, bogus) {
							(Answer::Challenged, _) => 0,
							(Answer::Closed, false) => 1,
							(Answer::Closed, true) => 2,
							(Answer::Failed, _) => 3,
						};
						counts[k].fetch_add(1, Ordering::Relaxed);
					}
				})
			})
			.collect();
		for t in tasks {
			let _ = t.await;
		}
	});
	let c: Vec<u64> = counts.iter().map(|c| c.load(Ordering::Relaxed)).collect();
	println!(
		"FLOOD {inits} {:.3} {} {} {} {}",
		started.elapsed().as_secs_f64(),
		c[0],
		c[1],
		c[2],
		c[3]
	);
}

// ----- the parent: honest client, orchestration -----

struct GateProc {
	child: Child,
	stdin: ChildStdin,
	stdout: BufReader<ChildStdout>,
	addr: SocketAddr,
	id: GateId,
}

impl GateProc {
	fn spawn(prefix: &[&str]) -> GateProc {
		let mut args = vec!["--gate".to_string()];
		if std::env::args().any(|a| a == "--no-source-limit") {
			args.push("--no-source-limit".into());
		}
		let mut child = this_binary(prefix, &args)
			.stdin(Stdio::piped())
			.stdout(Stdio::piped())
			.spawn()
			.expect("spawn gate");
		let stdin = child.stdin.take().unwrap();
		let mut stdout = BufReader::new(child.stdout.take().unwrap());
		let mut line = String::new();
		stdout.read_line(&mut line).unwrap();
		let mut parts = line.split_whitespace().skip(1);
		let addr: SocketAddr = parts.next().expect("LISTEN line").parse().unwrap();
		let hex = parts.next().unwrap();
		let mut id = [0u8; 32];
		for (i, b) in id.iter_mut().enumerate() {
			*b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
		}
		GateProc { child, stdin, stdout, addr, id: GateId(id) }
	}

	/// (current effort, the rest of the stats line).
	fn stats(&mut self) -> (u64, String) {
		writeln!(self.stdin, "stats").unwrap();
		let mut line = String::new();
		self.stdout.read_line(&mut line).unwrap();
		let mut parts = line.trim().trim_start_matches("STATS ").splitn(2, ' ');
		let effort = parts.next().and_then(|e| e.parse().ok()).unwrap_or(0);
		(effort, parts.next().unwrap_or("").to_string())
	}

	fn rss(&self) -> u64 {
		rss_kb(self.child.id())
	}

	/// (RSS kB, current effort, a report line).
	fn memory(&mut self) -> (u64, u64, String) {
		let rss = self.rss();
		let (effort, stats) = self.stats();
		(rss, effort, format!("VmRSS {rss} kB, effort {effort}; {stats}"))
	}

	fn quit(mut self) {
		let _ = writeln!(self.stdin, "quit");
		let _ = self.child.wait();
	}
}

/// One honest connection: (total, own solving time).
async fn honest_connect(addr: SocketAddr, gate: GateId) -> Option<(Duration, Duration)> {
	let (client, _events) = Gate::new(GateConfig::default(), Identity::generate()).ok()?;
	let start = Instant::now();
	let info = client.dial(addr, Some(gate)).await;
	let total = start.elapsed();
	client.shutdown();
	match info {
		Ok(info) => Some((total, info.work_time)),
		Err(e) => {
			eprintln!("honest dial failed: {e}");
			None
		},
	}
}

fn median(v: &[Duration]) -> Duration {
	let mut v = v.to_vec();
	v.sort();
	if v.is_empty() {
		Duration::ZERO
	} else {
		v[v.len() / 2]
	}
}

fn ms(d: Duration) -> f64 {
	d.as_secs_f64() * 1e3
}

#[derive(Default)]
struct Samples {
	total: Vec<Duration>,
	net: Vec<Duration>,
	work: Vec<Duration>,
	failed: usize,
}

impl Samples {
	fn push(&mut self, s: Option<(Duration, Duration)>) {
		match s {
			Some((total, work)) => {
				self.total.push(total);
				self.net.push(total.saturating_sub(work));
				self.work.push(work);
			},
			None => self.failed += 1,
		}
	}
	fn extend(&mut self, o: &Samples) {
		self.total.extend(&o.total);
		self.net.extend(&o.net);
		self.work.extend(&o.work);
		self.failed += o.failed;
	}
}

struct Mode {
	name: &'static str,
	what: &'static str,
	/// CPUs of the honest client (a `taskset` list), if placed.
	honest_cpus: Option<&'static str>,
	/// Prefix commands of the gate and of the flooder.
	gate: &'static [&'static str],
	flooder: &'static [&'static str],
}

struct ModeResult {
	name: &'static str,
	unloaded: Samples,
	flooded: Samples,
	trial_ratios: Vec<f64>,
	rss_before: u64,
	rss_peak: u64,
	rss_after: u64,
	effort_max: u64,
	flood_rates: Vec<f64>,
}

fn run_mode(mode: &Mode) -> ModeResult {
	let trials = arg("--trials", 5).max(1);
	let samples = arg("--samples", 20);
	let gap = Duration::from_millis(arg("--gap-ms", 50));
	let flood_args: Vec<String> = ["--inits", "--concurrency", "--rate", "--bogus-every"]
		.iter()
		.filter_map(|k| arg_str(k).map(|v| [k.to_string(), v]))
		.flatten()
		.collect();
	let source = arg_str("--source").unwrap_or_else(|| "127.0.0.2".into());

	// The honest client (this process) on its CPUs; its runtime is created afterwards, so all
	// its threads inherit them.
	let all_cpus = format!("0-{}", std::thread::available_parallelism().map_or(1, |n| n.get()) - 1);
	let me = std::process::id().to_string();
	let honest_cpus = mode.honest_cpus.unwrap_or(all_cpus.as_str());
	if !runs("taskset", &["-a", "-p", "-c", honest_cpus, &me]) && mode.honest_cpus.is_some() {
		eprintln!("warning: could not pin the honest client to CPU {honest_cpus}");
	}
	let rt = tokio::runtime::Builder::new_multi_thread()
		.worker_threads(2)
		.enable_all()
		.build()
		.unwrap();
	let mut gate = GateProc::spawn(mode.gate);
	let (addr, gate_id) = (gate.addr, gate.id);
	println!();
	println!("== mode {}: {}; gate pid {} at {addr}", mode.name, mode.what, gate.child.id());
	std::thread::sleep(Duration::from_millis(200));
	let (rss_before, _, line) = gate.memory();
	println!("gate before      : {line}");
	let mut result = ModeResult {
		name: mode.name,
		unloaded: Samples::default(),
		flooded: Samples::default(),
		trial_ratios: Vec::new(),
		rss_before,
		rss_peak: rss_before,
		rss_after: 0,
		effort_max: 0,
		flood_rates: Vec::new(),
	};
	for trial in 1..=trials {
		// 1. Unloaded.
		let mut unloaded = Samples::default();
		rt.block_on(async {
			for _ in 0..samples {
				unloaded.push(honest_connect(addr, gate_id).await);
				tokio::time::sleep(gap).await;
			}
		});
		// 2. Flood, the honest client connecting meanwhile.
		let mut args = vec!["--flooder".to_string(), "--addr".into(), addr.to_string()];
		args.extend(flood_args.iter().cloned());
		if source != "none" {
			args.extend(["--source".to_string(), source.clone()]);
		}
		let gate_cpu_before = cpu_secs(gate.child.id());
		let mut flooder = this_binary(mode.flooder, &args)
			.stdout(Stdio::piped())
			.spawn()
			.expect("spawn flooder");
		let done = Arc::new(AtomicBool::new(false));
		let honest = {
			let done = done.clone();
			rt.spawn(async move {
				let mut v = Samples::default();
				tokio::time::sleep(Duration::from_millis(100)).await;
				while !done.load(Ordering::Relaxed) {
					v.push(honest_connect(addr, gate_id).await);
					tokio::time::sleep(gap).await;
				}
				v
			})
		};
		let mut peak = (0, String::new());
		while flooder.try_wait().ok().flatten().is_none() {
			std::thread::sleep(Duration::from_millis(250));
			let (rss, effort, line) = gate.memory();
			result.effort_max = result.effort_max.max(effort);
			if rss >= peak.0 {
				peak = (rss, line);
			}
		}
		let gate_cpu = cpu_secs(gate.child.id()) - gate_cpu_before;
		done.store(true, Ordering::Relaxed);
		let flooded = rt.block_on(honest).unwrap();
		let mut report = String::new();
		let _ = std::io::Read::read_to_string(flooder.stdout.as_mut().unwrap(), &mut report);
		let f: Vec<f64> =
			report.split_whitespace().skip(1).filter_map(|x| x.parse().ok()).collect();
		let (inits, secs) = (f.first().copied().unwrap_or(0.0), f.get(1).copied().unwrap_or(1.0));
		let rate = inits / secs.max(1e-9);
		result.flood_rates.push(rate);
		std::thread::sleep(Duration::from_secs(2));
		let (rss_after, _, after) = gate.memory();
		let (u, fl) = (median(&unloaded.total), median(&flooded.total));
		let ratio = ms(fl) / ms(u).max(1e-9);
		println!(
			"trial {trial}: flood {inits:.0} CONN_INIT in {secs:.2} s = {rate:.0}/s (challenged {}, rate-limited {}, forged proofs refused {}, failed {})",
			f.get(2).copied().unwrap_or(0.0),
			f.get(3).copied().unwrap_or(0.0),
			f.get(4).copied().unwrap_or(0.0),
			f.get(5).copied().unwrap_or(0.0),
		);
		println!(
			"  honest median unloaded {:.1} ms (n={}), under flood {:.1} ms (n={}, {} failed): {ratio:.2}x; without own solving {:.2} -> {:.2} ms",
			ms(u),
			unloaded.total.len(),
			ms(fl),
			flooded.total.len(),
			flooded.failed,
			ms(median(&unloaded.net)),
			ms(median(&flooded.net)),
		);
		println!(
			"  gate CPU during the flood: {gate_cpu:.2} s = {:.0}% of one core, {:.1} us per CONN_INIT",
			100.0 * gate_cpu / secs.max(1e-9),
			1e6 * gate_cpu / inits.max(1.0)
		);
		println!("  gate peak  : {}", peak.1);
		println!("  gate +2 s  : {after}");
		result.rss_peak = result.rss_peak.max(peak.0);
		result.rss_after = rss_after;
		result.trial_ratios.push(ratio);
		result.unloaded.extend(&unloaded);
		result.flooded.extend(&flooded);
	}
	gate.quit();
	drop(rt);
	result
}

fn main() {
	if std::env::args().any(|a| a == "--gate") {
		run_gate();
		return;
	}
	if std::env::args().any(|a| a == "--flooder") {
		run_flooder();
		return;
	}
	let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
	let can_pin = cpus >= 2 && runs("taskset", &["-c", "0", "true"]);
	let can_idle = runs("chrt", &["--idle", "0", "true"]);
	let wanted = arg_str("--modes").unwrap_or_else(|| "unpinned,idle".into());
	let mut modes = Vec::new();
	for name in wanted.split(',') {
		match name {
			"unpinned" => modes.push(Mode {
				name: "unpinned",
				what: "no placement, all three share every CPU",
				honest_cpus: None,
				gate: &[],
				flooder: &[],
			}),
			"idle" if can_idle => modes.push(Mode {
				name: "idle",
				what: "flooder at SCHED_IDLE (runs on CPU time nobody else wants)",
				honest_cpus: None,
				gate: &[],
				flooder: &["chrt", "--idle", "0"],
			}),
			"pinned" if can_pin => modes.push(Mode {
				name: "pinned",
				what: "honest client on CPU 0, gate and flooder on CPU 1",
				honest_cpus: Some("0"),
				gate: &["taskset", "-c", "1"],
				flooder: &["taskset", "-c", "1"],
			}),
			"idle" | "pinned" => println!("mode {name} skipped: needs chrt / taskset and 2 CPUs"),
			other => println!("unknown mode {other}"),
		}
	}
	println!(
		"flood: {} workless CONN_INIT per trial, {} trials, default gate config (min effort {}), {cpus} CPUs",
		arg("--inits", 100_000),
		arg("--trials", 5),
		GateConfig::default().effort.min_effort
	);
	let load = || std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim().to_string();
	println!("load average at start: {}", load());
	let results: Vec<ModeResult> = modes.iter().map(run_mode).collect();
	println!("load average at end: {}", load());
	println!();
	println!("== summary (medians pooled over the trials; target: flooded within 2x unloaded, flat memory)");
	println!(
		"   gate-attributable: the unloaded connect time with the gate-side part (connect time less\n   own solving) replaced by its flooded value; valid when the demanded effort did not change"
	);
	for r in &results {
		let (u, f) = (median(&r.unloaded.total), median(&r.flooded.total));
		let (un, fnet) = (median(&r.unloaded.net), median(&r.flooded.net));
		let ratios: Vec<String> = r.trial_ratios.iter().map(|x| format!("{x:.2}")).collect();
		let rates: Vec<String> = r.flood_rates.iter().map(|x| format!("{x:.0}")).collect();
		println!(
			"{:<9} honest unloaded {:.1} ms (n={}), flooded {:.1} ms (n={}, {} failed): {:.2}x (trials {}); without own solving {:.2} -> {:.2} ms; flood {}/s; gate RSS before {} kB, peak {} kB, after {} kB; max effort {}",
			r.name,
			ms(u),
			r.unloaded.total.len(),
			ms(f),
			r.flooded.total.len(),
			r.flooded.failed,
			ms(f) / ms(u).max(1e-9),
			ratios.join(", "),
			ms(un),
			ms(fnet),
			rates.join(", "),
			r.rss_before,
			r.rss_peak,
			r.rss_after,
			r.effort_max
		);
		let attributable = median(&r.unloaded.work) + fnet;
		println!(
			"{:<9} gate-attributable: {:.1} ms = {:.2}x unloaded (own solving unloaded {:.1} ms, flooded {:.1} ms)",
			"",
			ms(attributable),
			ms(attributable) / ms(u).max(1e-9),
			ms(median(&r.unloaded.work)),
			ms(median(&r.flooded.work)),
		);
	}
}
