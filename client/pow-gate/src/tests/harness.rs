//! Test helpers: a capturing logger, a small-effort configuration, and a simulated network of
//! machines that delivers frames in memory and runs solve jobs inline.

use crate::{
	config::{EffortConfig, GateConfig, KeepAliveConfig, SourceLimitConfig},
	cookie::init_transcript,
	identity::Identity,
	machine::{Action, CloseReason, ConnId, GateEvent, GateMachine, SolveJob},
	wire::{encode_frame, ConnChall, ConnInit, ConnProof, FrameDecoder, Message},
};
use std::{
	collections::HashMap,
	net::SocketAddr,
	sync::{atomic::AtomicBool, Mutex, Once},
};

/// A round boundary for every period used in the tests.
pub const T0: u64 = 1_700_000_000_000;

static LOGS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
	fn enabled(&self, _: &log::Metadata) -> bool {
		true
	}
	fn log(&self, record: &log::Record) {
		let line = format!("{} {}: {}", record.level(), record.target(), record.args());
		LOGS.lock().unwrap_or_else(|e| e.into_inner()).push(line);
	}
	fn flush(&self) {}
}

static CAPTURE: Capture = Capture;

/// Installs the capturing logger (once per test binary).
pub fn init_logger() {
	static ONCE: Once = Once::new();
	ONCE.call_once(|| {
		let _ = log::set_logger(&CAPTURE);
		log::set_max_level(log::LevelFilter::Trace);
	});
}

/// Asserts that some log line (target `pow-gate`) contains every one of `needles`.
pub fn assert_logged(needles: &[&str]) {
	let logs = LOGS.lock().unwrap_or_else(|e| e.into_inner());
	assert!(
		logs.iter()
			.any(|l| l.contains("pow-gate") && needles.iter().all(|n| l.contains(n))),
		"no log line contains {needles:?}"
	);
}

/// Small efforts and a 1 s keep-alive period.
pub fn test_config() -> GateConfig {
	GateConfig {
		effort: EffortConfig {
			min_effort: 16,
			max_effort: 1024,
			proof_rate_knee: 1e9,
			slot_knee: 1.0,
			load_half_life_ms: 1_000,
		},
		max_solve_effort: 1 << 16,
		max_half_open: 64,
		// Unlimited unless a test sets limits.
		source_limit: SourceLimitConfig {
			init_rate: f64::INFINITY,
			init_burst: 1.0,
			buckets: 16,
			max_half_open_per_source: 1 << 20,
		},
		max_peers: 16,
		init_timeout_ms: 1_000,
		cookie_lifetime_ms: 5_000,
		clock_tolerance_ms: 500,
		secret_rotation_ms: 10_000,
		replay_capacity: 1024,
		replay_bucket_ms: 100,
		max_frame_len: 1 << 20,
		keepalive: KeepAliveConfig {
			period_ms: 1_000,
			window_ms: 250,
			deadline_ms: 900,
			effort_per_challenge: 8,
			max_challenges: 16,
		},
	}
}

/// Deterministic identity number `n`.
pub fn identity(n: u8) -> Identity {
	Identity::from_seed(&[n; 32])
}

/// A machine with identity `n`, created at `T0`.
pub fn machine(n: u8, cfg: GateConfig) -> GateMachine {
	init_logger();
	GateMachine::new(cfg, identity(n), [n ^ 0x5a; 32], T0).expect("valid config")
}

/// Parses a socket address.
pub fn addr(s: &str) -> SocketAddr {
	s.parse().expect("address")
}

/// All queued actions.
pub fn drain(m: &mut GateMachine) -> Vec<Action> {
	std::iter::from_fn(|| m.poll_action()).collect()
}

/// Decodes one frame.
pub fn decode(frame: &[u8]) -> Message {
	let mut d = FrameDecoder::new(u32::MAX);
	d.push(frame);
	d.next_message().expect("valid frame").expect("whole frame")
}

/// The messages sent in `actions`.
pub fn sent(actions: &[Action]) -> Vec<(ConnId, Message)> {
	actions
		.iter()
		.filter_map(|a| match a {
			Action::Send { conn, frame } => Some((*conn, decode(frame))),
			_ => None,
		})
		.collect()
}

/// The closes in `actions`.
pub fn closes(actions: &[Action]) -> Vec<(ConnId, CloseReason)> {
	actions
		.iter()
		.filter_map(|a| match a {
			Action::Close { conn, reason } => Some((*conn, reason.clone())),
			_ => None,
		})
		.collect()
}

/// Opens an inbound connection `remote → local` on responder `b`, sends `CONN_INIT(request)`
/// and returns the connection and the `CONN_CHALL`.
pub fn request_challenge(
	b: &mut GateMachine,
	now: u64,
	local: SocketAddr,
	remote: SocketAddr,
) -> (ConnId, ConnChall) {
	let conn = b.accept(now, local, remote);
	b.on_bytes(now, conn, &encode_frame(&Message::ConnInit(ConnInit::Request)));
	let actions = drain(b);
	let chall = sent(&actions)
		.into_iter()
		.find_map(|(c, m)| match m {
			Message::ConnChall(ch) if c == conn => Some(ch),
			_ => None,
		})
		.expect("CONN_CHALL sent");
	(conn, chall)
}

/// Solves `chall` and signs the proof as `who`.
pub fn solve(chall: &ConnChall, who: &Identity) -> ConnProof {
	let pre_image = crate::cookie::conn_pre_image(
		&chall.challenge,
		&chall.initiator,
		&chall.responder,
		chall.cookie.issued_at,
	);
	let nonce = crate::machine::solve_nonce(
		&pre_image,
		chall.cookie.effort.into(),
		0,
		&AtomicBool::new(false),
	)
	.expect("solvable");
	sign(chall, nonce, who)
}

/// A proof for `chall` with `nonce`, signed by `who`.
pub fn sign(chall: &ConnChall, nonce: u64, who: &Identity) -> ConnProof {
	ConnProof {
		challenge: chall.challenge,
		cookie: chall.cookie,
		nonce,
		identity: who.id(),
		signature: who.sign(&init_transcript(&chall.cookie.tag, nonce)),
	}
}

/// Sends `proof` on `conn` of responder `b`: `Ok` if it answered `CONN_OK`, else the close
/// reason.
pub fn submit_on(
	b: &mut GateMachine,
	now: u64,
	conn: ConnId,
	proof: &ConnProof,
) -> Result<(), CloseReason> {
	b.on_bytes(now, conn, &encode_frame(&Message::ConnInit(ConnInit::Proof(*proof))));
	let actions = drain(b);
	if let Some((_, reason)) = closes(&actions).into_iter().find(|(c, _)| *c == conn) {
		return Err(reason);
	}
	assert!(
		sent(&actions)
			.iter()
			.any(|(c, m)| *c == conn && matches!(m, Message::ConnOk(_))),
		"neither CONN_OK nor close: {actions:?}"
	);
	Ok(())
}

/// Sends `proof` as the first message of a fresh inbound connection `remote → local`.
pub fn submit_fresh(
	b: &mut GateMachine,
	now: u64,
	local: SocketAddr,
	remote: SocketAddr,
	proof: &ConnProof,
) -> Result<ConnId, CloseReason> {
	let conn = b.accept(now, local, remote);
	submit_on(b, now, conn, proof).map(|()| conn)
}

/// One simulated gate.
pub struct Node {
	pub m: GateMachine,
	pub addr: SocketAddr,
	pub events: Vec<GateEvent>,
	pub closes: Vec<(ConnId, CloseReason)>,
	/// While muted, the node is cut off: its frames are captured instead of delivered, its
	/// closes are not propagated, and nothing is delivered to it.
	pub muted: bool,
	pub captured: Vec<(ConnId, Message)>,
}

/// Gates connected by in-memory links.
pub struct Net {
	pub nodes: Vec<Node>,
	links: HashMap<(usize, ConnId), (usize, ConnId)>,
	next_port: u16,
}

impl Net {
	/// `n` gates with identities `1..=n` at `10.0.0.i:30333`.
	pub fn new(n: usize, cfg: GateConfig) -> Net {
		let nodes = (0..n)
			.map(|i| Node {
				m: machine(i as u8 + 1, cfg.clone()),
				addr: addr(&format!("10.0.0.{}:30333", i + 1)),
				events: Vec::new(),
				closes: Vec::new(),
				muted: false,
				captured: Vec::new(),
			})
			.collect();
		Net { nodes, links: HashMap::new(), next_port: 40_000 }
	}

	/// Node `a` dials node `b` at `now` and everything runs to completion.
	pub fn connect(&mut self, a: usize, b: usize, now: u64) -> (ConnId, ConnId) {
		let port = self.next_port;
		self.next_port += 1;
		let a_local = addr(&format!("10.0.0.{}:{port}", a + 1));
		let b_addr = self.nodes[b].addr;
		let ca = self.nodes[a].m.connect(now, a_local, b_addr, None);
		let cb = self.nodes[b].m.accept(now, b_addr, a_local);
		self.links.insert((a, ca), (b, cb));
		self.links.insert((b, cb), (a, ca));
		self.run(now);
		(ca, cb)
	}

	/// Whether the link from `(node, conn)` is still up.
	pub fn linked(&self, node: usize, conn: ConnId) -> bool {
		self.links.contains_key(&(node, conn))
	}

	/// Carries out every queued action (delivering frames, closes and solve results) until
	/// nothing is left.
	pub fn run(&mut self, now: u64) {
		loop {
			let mut deliveries = Vec::new();
			let mut progressed = false;
			for i in 0..self.nodes.len() {
				while let Some(action) = self.nodes[i].m.poll_action() {
					progressed = true;
					match action {
						Action::Send { conn, frame } => {
							if self.nodes[i].muted {
								self.nodes[i].captured.push((conn, decode(&frame)));
							} else if let Some(&(j, cj)) = self.links.get(&(i, conn)) {
								deliveries.push((j, cj, Some(frame)));
							}
						},
						Action::Close { conn, reason } => {
							self.nodes[i].closes.push((conn, reason));
							if self.nodes[i].muted {
								continue;
							}
							if let Some((j, cj)) = self.links.remove(&(i, conn)) {
								self.links.remove(&(j, cj));
								deliveries.push((j, cj, None));
							}
						},
						Action::Solve(job) => {
							let nonce = job.solve(&AtomicBool::new(false)).expect("solved");
							match job {
								SolveJob::Handshake { conn, .. } => {
									self.nodes[i].m.on_handshake_solved(now, conn, nonce)
								},
								SolveJob::KeepAlive { mut keep_pow, .. } => {
									keep_pow.nonce = nonce;
									self.nodes[i].m.on_keep_pow_solved(now, keep_pow);
								},
							}
						},
						Action::Event(e) => self.nodes[i].events.push(e),
					}
				}
			}
			for (j, cj, frame) in deliveries {
				if self.nodes[j].muted {
					continue;
				}
				match frame {
					Some(f) => self.nodes[j].m.on_bytes(now, cj, &f),
					None => self.nodes[j].m.on_transport_closed(cj),
				}
			}
			if !progressed {
				return;
			}
		}
	}

	/// Ticks every node at `now`, then runs.
	pub fn tick(&mut self, now: u64) {
		for n in &mut self.nodes {
			n.m.on_tick(now);
		}
		self.run(now);
	}

	/// Delivers `msg` as if node `from` had sent it on `conn`.
	pub fn inject(&mut self, from: usize, conn: ConnId, msg: &Message, now: u64) {
		let (j, cj) = self.links[&(from, conn)];
		self.nodes[j].m.on_bytes(now, cj, &encode_frame(msg));
		self.run(now);
	}

	/// Node `a`'s connection to node `b`.
	pub fn conn(&self, a: usize, b: usize) -> ConnId {
		let peer = self.nodes[b].m.id();
		self.nodes[a]
			.m
			.peers()
			.find(|(p, _)| *p == peer)
			.map(|(_, c)| c)
			.expect("connected")
	}

	/// Clears recorded events and closes.
	pub fn clear(&mut self) {
		for n in &mut self.nodes {
			n.events.clear();
			n.closes.clear();
		}
	}
}
