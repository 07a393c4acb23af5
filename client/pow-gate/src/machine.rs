//! The sans-IO gate: every connection's state machine and the keep-alive rounds.
//!
//! [`GateMachine`] does no I/O and reads no clock. Its driver (the tokio adapter in
//! [`crate::net`], or a test) tells it what happened, with the current unix time in
//! milliseconds, and carries out the [`Action`]s it queues:
//!
//! - [`GateMachine::accept`] / [`GateMachine::connect`]: a transport connection exists;
//! - [`GateMachine::on_bytes`]: bytes arrived on it;
//! - [`GateMachine::on_transport_closed`]: it ended;
//! - [`GateMachine::on_handshake_solved`] / [`GateMachine::on_keep_pow_solved`]: a
//!   [`SolveJob`] finished;
//! - [`GateMachine::on_tick`]: time passed (call it at [`GateMachine::next_deadline`]);
//! - then [`GateMachine::poll_action`] until it returns `None`: send a frame, close a
//!   connection, run a solve job, or report a [`GateEvent`].

use crate::{
	attest::{Ed25519Dalek, GateId, KeepChall, KeepPow, KeepPowError, SignedKeepChall},
	config::{ConfigError, GateConfig},
	cookie::{conn_pre_image, init_transcript, ok_transcript, CookieKeys, ProofError, ReplayCache},
	effort::EffortController,
	identity::Identity,
	source::{SourceKey, SourceLimiter},
	wire::{
		encode_frame, ConnChall, ConnInit, ConnOk, ConnProof, Endpoint, FrameDecoder, FrameError,
		Message, HANDSHAKE_MAX_FRAME,
	},
};
use gpow_primitives_pow::{meets_difficulty, work_hash, U256};
use rand::{rngs::StdRng, RngCore, SeedableRng};
use std::{
	cmp::Reverse,
	collections::{BTreeSet, HashMap, VecDeque},
	net::SocketAddr,
	sync::atomic::{AtomicBool, Ordering},
};

/// Log target of the gate.
pub const LOG_TARGET: &str = "pow-gate";

/// Identifies a transport connection for the lifetime of a [`GateMachine`].
pub type ConnId = u64;

/// Who opened the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
	/// The remote dialed us: we are the responder.
	Inbound,
	/// We dialed: we are the initiator.
	Outbound,
}

/// Why a connection ends. Every close is logged with this reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloseReason {
	/// The byte stream broke the framing rules.
	Frame(FrameError),
	/// A message arrived that the connection's state does not allow.
	UnexpectedMessage {
		/// The state.
		state: &'static str,
		/// The message.
		message: &'static str,
	},
	/// The handshake did not progress in time.
	HandshakeTimeout {
		/// The state it was stuck in.
		state: &'static str,
	},
	/// The initiator's `CONN_INIT(proof)` was refused.
	Proof(ProofError),
	/// The responder demanded more effort than we agree to spend.
	ChallengeTooHard {
		/// Demanded.
		effort: u64,
		/// Our limit.
		max: u64,
	},
	/// `CONN_OK` carries an invalid signature.
	BadOkSignature,
	/// The responder is not the gate we meant to reach.
	WrongPeer {
		/// Whom we dialed.
		expected: GateId,
		/// Who answered.
		got: GateId,
	},
	/// The remote has our own identity.
	SelfConnection,
	/// Another connection to the same peer won (see the crate docs).
	DuplicatePeer,
	/// `max_peers` established connections already.
	PeerLimit,
	/// Dropped to make room for a newer half-open connection.
	HalfOpenEvicted,
	/// A `CONN_INIT(request)` found its source's token bucket empty (no cookie issued).
	SourceRateLimited,
	/// A `KEEP_CHALL` broke a rule (named).
	BadKeepChall(&'static str),
	/// No valid `KEEP_POW` covering our challenge arrived by the round's deadline.
	KeepPowMissing {
		/// The round.
		round: u64,
	},
	/// The `KEEP_POW` arrived after the round's deadline.
	KeepPowLate {
		/// The round.
		round: u64,
	},
	/// The `KEEP_POW` does not include the challenge we sent.
	KeepPowOmitsChallenge {
		/// The round.
		round: u64,
	},
	/// The `KEEP_POW` names another prover than the peer.
	KeepPowWrongProver {
		/// The round.
		round: u64,
	},
	/// The `KEEP_POW` fails verification.
	KeepPowInvalid {
		/// The round.
		round: u64,
		/// Why.
		error: KeepPowError,
	},
	/// The transport ended.
	TransportClosed,
	/// The driver asked to close it.
	LocalRequest,
}

impl std::fmt::Display for CloseReason {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			CloseReason::Frame(e) => write!(f, "{e}"),
			CloseReason::UnexpectedMessage { state, message } => {
				write!(f, "message out of order: {message} in state {state}")
			},
			CloseReason::HandshakeTimeout { state } => {
				write!(f, "handshake timeout in state {state}")
			},
			CloseReason::Proof(e) => write!(f, "proof refused: {e}"),
			CloseReason::ChallengeTooHard { effort, max } => {
				write!(f, "challenge effort {effort} above our limit {max}")
			},
			CloseReason::BadOkSignature => write!(f, "CONN_OK signature invalid"),
			CloseReason::WrongPeer { expected, got } => {
				write!(f, "responder is {got:?}, expected {expected:?}")
			},
			CloseReason::SelfConnection => write!(f, "connection to ourselves"),
			CloseReason::DuplicatePeer => write!(f, "duplicate connection to the same peer"),
			CloseReason::PeerLimit => write!(f, "peer limit reached"),
			CloseReason::HalfOpenEvicted => {
				write!(f, "half-open limit reached, oldest of the source holding the most dropped")
			},
			CloseReason::SourceRateLimited => {
				write!(f, "CONN_INIT rate limit of the source exceeded, no challenge issued")
			},
			CloseReason::BadKeepChall(why) => write!(f, "bad KEEP_CHALL: {why}"),
			CloseReason::KeepPowMissing { round } => {
				write!(f, "no KEEP_POW for round {round} by the deadline")
			},
			CloseReason::KeepPowLate { round } => {
				write!(f, "late KEEP_POW for round {round}")
			},
			CloseReason::KeepPowOmitsChallenge { round } => {
				write!(f, "KEEP_POW for round {round} omits our challenge")
			},
			CloseReason::KeepPowWrongProver { round } => {
				write!(f, "KEEP_POW for round {round} names another prover")
			},
			CloseReason::KeepPowInvalid { round, error } => {
				write!(f, "invalid KEEP_POW for round {round}: {error}")
			},
			CloseReason::TransportClosed => write!(f, "transport closed"),
			CloseReason::LocalRequest => write!(f, "closed on local request"),
		}
	}
}

/// What the driver should know about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GateEvent {
	/// A handshake completed: the peer proved its work and its identity.
	Connected {
		/// The connection.
		conn: ConnId,
		/// The peer's identity.
		peer: GateId,
		/// The peer's address.
		remote: SocketAddr,
		/// Who dialed.
		direction: Direction,
	},
	/// An established connection, or an outbound attempt, ended. (Inbound connections that
	/// never completed the handshake are only logged.)
	Disconnected {
		/// The connection.
		conn: ConnId,
		/// The peer, if the handshake had completed.
		peer: Option<GateId>,
		/// The remote address.
		remote: SocketAddr,
		/// Who dialed.
		direction: Direction,
		/// Why.
		reason: CloseReason,
	},
	/// A keep-alive round began; `challenged` peers were sent a `KEEP_CHALL`.
	RoundStarted {
		/// The round.
		round: u64,
		/// How many peers were challenged.
		challenged: usize,
	},
	/// We proved our keep-alive work for a round and sent the `KEEP_POW` to our peers. This is
	/// the attestation to submit on chain.
	KeepPowProduced {
		/// The proof.
		keep_pow: KeepPow,
	},
	/// A peer's `KEEP_POW` covering our challenge was verified.
	PeerProved {
		/// The connection.
		conn: ConnId,
		/// The peer.
		peer: GateId,
		/// Its verified proof.
		keep_pow: KeepPow,
	},
}

/// Work the driver must do off the event loop and report back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SolveJob {
	/// Find a nonce for a connection challenge; report with
	/// [`GateMachine::on_handshake_solved`].
	Handshake {
		/// The connection.
		conn: ConnId,
		/// The pre-image.
		pre_image: [u8; 32],
		/// The difficulty (expected hashes).
		effort: u64,
	},
	/// Find the nonce of our keep-alive proof; report with
	/// [`GateMachine::on_keep_pow_solved`].
	KeepAlive {
		/// The proof to complete (nonce 0).
		keep_pow: KeepPow,
		/// Expected hashes per challenge.
		effort_per_challenge: u64,
	},
}

/// Searches nonces from `start` until one meets `difficulty` or `stop` is set (checked every
/// 4096 hashes).
pub fn solve_nonce(
	pre_image: &[u8; 32],
	difficulty: U256,
	start: u64,
	stop: &AtomicBool,
) -> Option<u64> {
	if difficulty.is_zero() {
		return None;
	}
	let mut nonce = start;
	loop {
		for _ in 0..4096 {
			if meets_difficulty(&work_hash(pre_image, nonce), difficulty) {
				return Some(nonce);
			}
			nonce = nonce.wrapping_add(1);
		}
		if stop.load(Ordering::Relaxed) {
			return None;
		}
	}
}

impl SolveJob {
	/// Runs the job: the nonce, or `None` if `stop` was set first.
	pub fn solve(&self, stop: &AtomicBool) -> Option<u64> {
		match self {
			SolveJob::Handshake { pre_image, effort, .. } => {
				solve_nonce(pre_image, U256::from(*effort), 0, stop)
			},
			SolveJob::KeepAlive { keep_pow, effort_per_challenge } => solve_nonce(
				&keep_pow.pre_image(),
				keep_pow.required(*effort_per_challenge),
				0,
				stop,
			),
		}
	}
}

/// What the driver must do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
	/// Write `frame` to the connection.
	Send {
		/// The connection.
		conn: ConnId,
		/// One encoded frame.
		frame: Vec<u8>,
	},
	/// Close the connection (after writing what was queued before). The machine has already
	/// forgotten it.
	Close {
		/// The connection.
		conn: ConnId,
		/// Why (already logged).
		reason: CloseReason,
	},
	/// Run a solve job, then report its result.
	Solve(SolveJob),
	/// Tell the application.
	Event(GateEvent),
}

/// Counters and sizes, for monitoring and the flood benchmark.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GateStats {
	/// Connections the machine tracks.
	pub connections: usize,
	/// Established ones.
	pub established: usize,
	/// Inbound connections in the handshake.
	pub half_open: usize,
	/// Sources (IPv4 addresses, IPv6 /64s) holding half-open connections.
	pub half_open_sources: usize,
	/// Tags in the replay cache.
	pub replay_entries: usize,
	/// Approximate heap bytes of the machine's data structures.
	pub approx_bytes: usize,
	/// Challenges issued so far.
	pub challenges_issued: u64,
	/// Proofs accepted so far.
	pub proofs_accepted: u64,
	/// Connections that ended before establishment (refused, timed out, evicted, or abandoned
	/// by the remote).
	pub refused: u64,
	/// `CONN_INIT(request)`s refused by their source's token bucket (included in `refused`).
	pub rate_limited: u64,
	/// Proofs verified: cookie and work valid, so the signature was checked (the load that
	/// raises the effort).
	pub proofs_verified: u64,
}

#[derive(Clone, Debug)]
enum State {
	AwaitInit,
	AwaitProof,
	AwaitChall { expected: Option<GateId> },
	Solving { expected: Option<GateId>, chall: ConnChall },
	AwaitOk { expected: Option<GateId>, tag: [u8; 16] },
	Established { peer: GateId, since: u64 },
}

impl State {
	fn name(&self) -> &'static str {
		match self {
			State::AwaitInit => "AwaitInit",
			State::AwaitProof => "AwaitProof",
			State::AwaitChall { .. } => "AwaitChall",
			State::Solving { .. } => "Solving",
			State::AwaitOk { .. } => "AwaitOk",
			State::Established { .. } => "Established",
		}
	}
}

#[derive(Clone, Debug)]
struct Expect {
	chall: SignedKeepChall,
	proven: bool,
}

#[derive(Debug)]
struct Conn {
	dir: Direction,
	local: SocketAddr,
	remote: SocketAddr,
	decoder: FrameDecoder,
	state: State,
	deadline: Option<u64>,
	expect: Option<Expect>,
	inbox: Vec<SignedKeepChall>,
}

impl Conn {
	fn peer(&self) -> Option<GateId> {
		match self.state {
			State::Established { peer, .. } => Some(peer),
			_ => None,
		}
	}
}

/// The sans-IO gate (see the [module docs](self)).
pub struct GateMachine {
	cfg: GateConfig,
	identity: Identity,
	id: GateId,
	rng: StdRng,
	keys: CookieKeys,
	next_rotation: u64,
	replay: ReplayCache,
	effort: EffortController,
	limiter: SourceLimiter,
	conns: HashMap<ConnId, Conn>,
	next_conn: ConnId,
	/// Inbound half-open connections, oldest first.
	half_open_in: BTreeSet<ConnId>,
	/// The same per source, oldest first.
	half_open_by_source: HashMap<SourceKey, BTreeSet<ConnId>>,
	/// `(count, oldest, source)` for every source in `half_open_by_source`: the last entry is
	/// the source to evict from (most half-open connections; the oldest such on ties).
	half_open_rank: BTreeSet<(usize, Reverse<ConnId>, SourceKey)>,
	peers: HashMap<GateId, ConnId>,
	timeouts: BTreeSet<(u64, ConnId)>,
	last_round: u64,
	window_pending: Option<u64>,
	deadline_pending: Option<u64>,
	actions: VecDeque<Action>,
	challenges_issued: u64,
	proofs_accepted: u64,
	proofs_verified: u64,
	refused: u64,
	rate_limited: u64,
}

impl std::fmt::Debug for GateMachine {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("GateMachine")
			.field("id", &self.id)
			.field("connections", &self.conns.len())
			.field("keys", &self.keys)
			.finish_non_exhaustive()
	}
}

impl GateMachine {
	/// A gate with `identity`; `seed` (32 random bytes) seeds its CSPRNG (challenges, salts and
	/// cookie secrets); `now` is unix milliseconds. The first keep-alive round starts at the next
	/// round boundary.
	pub fn new(
		cfg: GateConfig,
		identity: Identity,
		seed: [u8; 32],
		now: u64,
	) -> Result<Self, ConfigError> {
		cfg.validate()?;
		let mut rng = StdRng::from_seed(seed);
		let mut secret = [0u8; 32];
		rng.fill_bytes(&mut secret);
		let limiter = SourceLimiter::new(&cfg.source_limit, (rng.next_u64(), rng.next_u64()));
		Ok(GateMachine {
			id: identity.id(),
			identity,
			rng,
			keys: CookieKeys::new(&secret),
			next_rotation: now.saturating_add(cfg.secret_rotation_ms),
			replay: ReplayCache::new(cfg.replay_capacity, cfg.replay_bucket_ms),
			effort: EffortController::new(cfg.effort.clone()),
			limiter,
			conns: HashMap::new(),
			next_conn: 1,
			half_open_in: BTreeSet::new(),
			half_open_by_source: HashMap::new(),
			half_open_rank: BTreeSet::new(),
			peers: HashMap::new(),
			timeouts: BTreeSet::new(),
			last_round: now / cfg.keepalive.period_ms,
			window_pending: None,
			deadline_pending: None,
			actions: VecDeque::new(),
			challenges_issued: 0,
			proofs_accepted: 0,
			proofs_verified: 0,
			refused: 0,
			rate_limited: 0,
			cfg,
		})
	}

	/// Our identity.
	pub fn id(&self) -> GateId {
		self.id
	}

	/// The configuration.
	pub fn config(&self) -> &GateConfig {
		&self.cfg
	}

	/// The next queued action.
	pub fn poll_action(&mut self) -> Option<Action> {
		self.actions.pop_front()
	}

	/// The effort a challenge issued at `now` would demand.
	pub fn current_effort(&mut self, now: u64) -> u64 {
		let occupancy = self.peers.len() as f64 / self.cfg.max_peers.max(1) as f64;
		self.effort.current(now, occupancy)
	}

	/// The established peers and their connections.
	pub fn peers(&self) -> impl Iterator<Item = (GateId, ConnId)> + '_ {
		self.peers.iter().map(|(p, c)| (*p, *c))
	}

	/// The remote address and direction of a tracked connection.
	pub fn conn_info(&self, conn: ConnId) -> Option<(SocketAddr, Direction, Option<GateId>)> {
		self.conns.get(&conn).map(|c| (c.remote, c.dir, c.peer()))
	}

	/// Counters and sizes.
	pub fn stats(&self) -> GateStats {
		let decoders: usize = self.conns.values().map(|c| c.decoder.capacity()).sum();
		let per_conn = std::mem::size_of::<(ConnId, Conn)>() + 8;
		let approx_bytes = self.conns.capacity() * per_conn
			+ decoders
			+ self.replay.approx_bytes()
			+ self.limiter.approx_bytes()
			+ (self.timeouts.len() + self.half_open_in.len()) * 32
			+ self.half_open_by_source.capacity() * 64
			+ self.half_open_rank.len() * 48
			+ self.peers.capacity() * 48;
		GateStats {
			connections: self.conns.len(),
			established: self.peers.len(),
			half_open: self.half_open_in.len(),
			half_open_sources: self.half_open_by_source.len(),
			replay_entries: self.replay.len(),
			approx_bytes,
			challenges_issued: self.challenges_issued,
			proofs_accepted: self.proofs_accepted,
			refused: self.refused,
			rate_limited: self.rate_limited,
			proofs_verified: self.proofs_verified,
		}
	}

	/// The next time [`GateMachine::on_tick`] has something to do.
	pub fn next_deadline(&self) -> u64 {
		let k = &self.cfg.keepalive;
		let mut next = (self.last_round + 1).saturating_mul(k.period_ms).min(self.next_rotation);
		if let Some(&(t, _)) = self.timeouts.first() {
			next = next.min(t);
		}
		if let Some(r) = self.window_pending {
			next = next.min(r * k.period_ms + k.window_ms);
		}
		if let Some(r) = self.deadline_pending {
			next = next.min(r * k.period_ms + k.deadline_ms);
		}
		next
	}

	// ----- connections -----

	fn new_conn(&mut self, dir: Direction, local: SocketAddr, remote: SocketAddr) -> ConnId {
		let id = self.next_conn;
		self.next_conn += 1;
		let state = match dir {
			Direction::Inbound => State::AwaitInit,
			Direction::Outbound => State::AwaitChall { expected: None },
		};
		self.conns.insert(
			id,
			Conn {
				dir,
				local,
				remote,
				decoder: FrameDecoder::new(HANDSHAKE_MAX_FRAME),
				state,
				deadline: None,
				expect: None,
				inbox: Vec::new(),
			},
		);
		id
	}

	/// A remote connected to us (`local` is our end). Makes room first: if its source already
	/// holds `max_half_open_per_source` half-open connections, the source's oldest is dropped;
	/// if `max_half_open` are waiting in all, the oldest connection of the source holding the
	/// most is dropped (see [`crate::config::SourceLimitConfig`]).
	pub fn accept(&mut self, now: u64, local: SocketAddr, remote: SocketAddr) -> ConnId {
		let source = SourceKey::of(remote.ip());
		let per_source = self.cfg.source_limit.max_half_open_per_source;
		while let Some(own) = self.half_open_by_source.get(&source) {
			let (Some(&oldest), true) = (own.first(), own.len() >= per_source) else { break };
			self.close(oldest, CloseReason::HalfOpenEvicted);
		}
		while self.half_open_in.len() >= self.cfg.max_half_open {
			let Some(&(_, Reverse(oldest), _)) = self.half_open_rank.last() else { break };
			self.close(oldest, CloseReason::HalfOpenEvicted);
		}
		let id = self.new_conn(Direction::Inbound, local, remote);
		self.track_half_open(id, source, true);
		self.set_deadline(id, Some(now.saturating_add(self.cfg.init_timeout_ms)));
		id
	}

	/// Adds (`add`) or removes inbound half-open connection `id` from `source` to or from the
	/// half-open tables.
	fn track_half_open(&mut self, id: ConnId, source: SourceKey, add: bool) {
		let changed =
			if add { self.half_open_in.insert(id) } else { self.half_open_in.remove(&id) };
		if !changed {
			return;
		}
		let set = self.half_open_by_source.entry(source).or_default();
		if let Some(&oldest) = set.first() {
			self.half_open_rank.remove(&(set.len(), Reverse(oldest), source));
		}
		if add {
			set.insert(id);
		} else {
			set.remove(&id);
		}
		match set.first() {
			Some(&oldest) => {
				self.half_open_rank.insert((set.len(), Reverse(oldest), source));
			},
			None => {
				self.half_open_by_source.remove(&source);
			},
		}
	}

	/// We connected to `remote` (`local` is our end): queues `CONN_INIT(request)`. With
	/// `expected`, the handshake fails unless the responder proves that identity.
	pub fn connect(
		&mut self,
		now: u64,
		local: SocketAddr,
		remote: SocketAddr,
		expected: Option<GateId>,
	) -> ConnId {
		let id = self.new_conn(Direction::Outbound, local, remote);
		if let Some(c) = self.conns.get_mut(&id) {
			c.state = State::AwaitChall { expected };
		}
		self.send(id, &Message::ConnInit(ConnInit::Request));
		self.set_deadline(id, Some(now.saturating_add(self.cfg.init_timeout_ms)));
		id
	}

	/// Closes a connection on the driver's request.
	pub fn disconnect(&mut self, conn: ConnId) {
		self.close(conn, CloseReason::LocalRequest);
	}

	/// Closes every connection.
	pub fn disconnect_all(&mut self) {
		let ids: Vec<ConnId> = self.conns.keys().copied().collect();
		for id in ids {
			self.close(id, CloseReason::LocalRequest);
		}
	}

	/// The transport of `conn` ended (EOF or error).
	pub fn on_transport_closed(&mut self, conn: ConnId) {
		let reason = match self.conns.get(&conn) {
			None => return,
			Some(c) => match c.decoder.finish() {
				Err(e) => CloseReason::Frame(e),
				Ok(()) => CloseReason::TransportClosed,
			},
		};
		self.remove(conn, reason, false);
	}

	/// Bytes arrived on `conn`.
	pub fn on_bytes(&mut self, now: u64, conn: ConnId, bytes: &[u8]) {
		match self.conns.get_mut(&conn) {
			Some(c) => c.decoder.push(bytes),
			None => return,
		}
		loop {
			let Some(c) = self.conns.get_mut(&conn) else { return };
			match c.decoder.next_message() {
				Ok(Some(msg)) => self.handle(now, conn, msg),
				Ok(None) => return,
				Err(e) => {
					self.close(conn, CloseReason::Frame(e));
					return;
				},
			}
		}
	}

	fn set_deadline(&mut self, id: ConnId, deadline: Option<u64>) {
		if let Some(c) = self.conns.get_mut(&id) {
			if let Some(old) = c.deadline.take() {
				self.timeouts.remove(&(old, id));
			}
			if let Some(t) = deadline {
				self.timeouts.insert((t, id));
			}
			c.deadline = deadline;
		}
	}

	fn send(&mut self, conn: ConnId, msg: &Message) {
		self.actions.push_back(Action::Send { conn, frame: encode_frame(msg) });
	}

	fn close(&mut self, conn: ConnId, reason: CloseReason) {
		self.remove(conn, reason, true);
	}

	fn remove(&mut self, id: ConnId, reason: CloseReason, tell_driver: bool) {
		let Some(c) = self.conns.remove(&id) else { return };
		if let Some(t) = c.deadline {
			self.timeouts.remove(&(t, id));
		}
		self.track_half_open(id, SourceKey::of(c.remote.ip()), false);
		let peer = c.peer();
		if let Some(p) = peer {
			if self.peers.get(&p) == Some(&id) {
				self.peers.remove(&p);
			}
			log::info!(
				target: LOG_TARGET,
				"closing connection {id} to peer {p:?} ({}): {reason}",
				c.remote
			);
		} else {
			self.refused += 1;
			log::debug!(
				target: LOG_TARGET,
				"closing {:?} connection {id} ({}) in state {}: {reason}",
				c.dir,
				c.remote,
				c.state.name()
			);
		}
		if tell_driver {
			self.actions.push_back(Action::Close { conn: id, reason: reason.clone() });
		}
		if peer.is_some() || c.dir == Direction::Outbound {
			self.actions.push_back(Action::Event(GateEvent::Disconnected {
				conn: id,
				peer,
				remote: c.remote,
				direction: c.dir,
				reason,
			}));
		}
	}

	fn handle(&mut self, now: u64, id: ConnId, msg: Message) {
		let Some(c) = self.conns.get(&id) else { return };
		match (&c.state, msg) {
			(State::AwaitInit, Message::ConnInit(ConnInit::Request)) => {
				if self.limiter.allow(now, &SourceKey::of(c.remote.ip())) {
					self.issue_challenge(now, id)
				} else {
					self.rate_limited += 1;
					self.close(id, CloseReason::SourceRateLimited);
				}
			},
			(State::AwaitInit | State::AwaitProof, Message::ConnInit(ConnInit::Proof(p))) => {
				self.on_proof(now, id, p)
			},
			(State::AwaitChall { .. }, Message::ConnChall(chall)) => self.on_chall(now, id, chall),
			(State::AwaitOk { .. }, Message::ConnOk(ok)) => self.on_ok(now, id, ok),
			(State::Established { .. }, Message::KeepChall(chall)) => {
				self.on_keep_chall(now, id, chall)
			},
			(State::Established { .. }, Message::KeepPow(pow)) => self.on_keep_pow(now, id, pow),
			(state, msg) => {
				let reason =
					CloseReason::UnexpectedMessage { state: state.name(), message: msg.name() };
				self.close(id, reason);
			},
		}
	}

	// ----- responder -----

	fn issue_challenge(&mut self, now: u64, id: ConnId) {
		let effort = self.current_effort(now);
		let Some(c) = self.conns.get_mut(&id) else { return };
		let mut challenge = [0u8; 16];
		self.rng.fill_bytes(&mut challenge);
		let initiator = Endpoint::from(c.remote);
		let responder = Endpoint::from(c.local);
		let cookie = self.keys.mint(&challenge, &initiator, &responder, now, effort);
		c.state = State::AwaitProof;
		self.challenges_issued += 1;
		self.send(id, &Message::ConnChall(ConnChall { challenge, cookie, initiator, responder }));
		self.set_deadline(id, Some(now.saturating_add(self.cfg.cookie_lifetime_ms)));
	}

	/// The stateless part of checking a `CONN_INIT(proof)` that arrived on the connection
	/// `initiator → responder`: the cookie's MAC (first, constant time), its age, then the work.
	/// Costs three BLAKE2b compressions (MAC, pre-image, work) and touches no state.
	pub fn check_cookie_and_work(
		&self,
		now: u64,
		initiator: &Endpoint,
		responder: &Endpoint,
		proof: &ConnProof,
	) -> Result<(), ProofError> {
		let cookie = &proof.cookie;
		self.keys.verify(&proof.challenge, initiator, responder, cookie)?;
		if cookie.issued_at > now.saturating_add(self.cfg.clock_tolerance_ms) {
			return Err(ProofError::FromTheFuture);
		}
		let age_ms = now.saturating_sub(cookie.issued_at);
		if age_ms > self.cfg.cookie_lifetime_ms {
			return Err(ProofError::Expired { age_ms });
		}
		let pre_image = conn_pre_image(&proof.challenge, initiator, responder, cookie.issued_at);
		if !meets_difficulty(&work_hash(&pre_image, proof.nonce), U256::from(cookie.effort)) {
			return Err(ProofError::InsufficientWork);
		}
		Ok(())
	}

	/// The whole check of a `CONN_INIT(proof)` arriving on `local ← remote`:
	/// [`GateMachine::check_cookie_and_work`], then the initiator's signature, then the replay
	/// cache (which records the cookie). Only a proof passing all of it changes any state.
	pub fn admit_proof(
		&mut self,
		now: u64,
		local: SocketAddr,
		remote: SocketAddr,
		proof: &ConnProof,
	) -> Result<(), ProofError> {
		let initiator = Endpoint::from(remote);
		let responder = Endpoint::from(local);
		self.check_cookie_and_work(now, &initiator, &responder, proof)?;
		let transcript = init_transcript(&proof.cookie.tag, proof.nonce);
		if !crate::attest::SignatureVerifier::verify(
			&Ed25519Dalek,
			&proof.identity,
			&transcript,
			&proof.signature,
		) {
			return Err(ProofError::BadSignature);
		}
		let expires_at = proof.cookie.issued_at.saturating_add(self.cfg.cookie_lifetime_ms);
		self.replay.insert(proof.cookie.tag, expires_at, now)
	}

	fn on_proof(&mut self, now: u64, id: ConnId, proof: ConnProof) {
		let Some(c) = self.conns.get(&id) else { return };
		let (local, remote) = (c.local, c.remote);
		let result = self.admit_proof(now, local, remote, &proof);
		// Only a proof whose cookie and work were valid cost us a signature check: that is the
		// load the effort answers. Refusals at the MAC, age or work cost no more than a request.
		if matches!(
			result,
			Ok(())
				| Err(ProofError::BadSignature
					| ProofError::Replayed
					| ProofError::ReplayCacheFull)
		) {
			self.proofs_verified += 1;
			self.effort.record_proof(now);
		}
		if let Err(e) = result {
			self.close(id, CloseReason::Proof(e));
			return;
		}
		self.proofs_accepted += 1;
		if !self.establish(now, id, proof.identity) {
			return;
		}
		let signature = self.identity.sign(&ok_transcript(&proof.cookie.tag, &proof.identity));
		self.send(id, &Message::ConnOk(ConnOk { identity: self.id, signature }));
		self.connected_event(id);
	}

	// ----- initiator -----

	fn on_chall(&mut self, now: u64, id: ConnId, chall: ConnChall) {
		let Some(c) = self.conns.get_mut(&id) else { return };
		let State::AwaitChall { expected } = c.state else { return };
		let effort = chall.cookie.effort;
		if effort == 0 || effort > self.cfg.max_solve_effort {
			self.close(
				id,
				CloseReason::ChallengeTooHard { effort, max: self.cfg.max_solve_effort },
			);
			return;
		}
		let pre_image = conn_pre_image(
			&chall.challenge,
			&chall.initiator,
			&chall.responder,
			chall.cookie.issued_at,
		);
		c.state = State::Solving { expected, chall };
		self.actions
			.push_back(Action::Solve(SolveJob::Handshake { conn: id, pre_image, effort }));
		self.set_deadline(id, Some(now.saturating_add(self.cfg.cookie_lifetime_ms)));
	}

	/// A handshake [`SolveJob`] for `conn` found `nonce`: queues `CONN_INIT(proof)`.
	pub fn on_handshake_solved(&mut self, now: u64, conn: ConnId, nonce: u64) {
		let Some(c) = self.conns.get_mut(&conn) else { return };
		let State::Solving { expected, chall } = c.state else { return };
		let tag = chall.cookie.tag;
		c.state = State::AwaitOk { expected, tag };
		let proof = ConnProof {
			challenge: chall.challenge,
			cookie: chall.cookie,
			nonce,
			identity: self.id,
			signature: self.identity.sign(&init_transcript(&tag, nonce)),
		};
		self.send(conn, &Message::ConnInit(ConnInit::Proof(proof)));
		self.set_deadline(conn, Some(now.saturating_add(self.cfg.init_timeout_ms)));
	}

	fn on_ok(&mut self, now: u64, id: ConnId, ok: ConnOk) {
		let Some(c) = self.conns.get(&id) else { return };
		let State::AwaitOk { expected, tag } = c.state else { return };
		let transcript = ok_transcript(&tag, &self.id);
		if !crate::attest::SignatureVerifier::verify(
			&Ed25519Dalek,
			&ok.identity,
			&transcript,
			&ok.signature,
		) {
			self.close(id, CloseReason::BadOkSignature);
			return;
		}
		if let Some(expected) = expected {
			if expected != ok.identity {
				self.close(id, CloseReason::WrongPeer { expected, got: ok.identity });
				return;
			}
		}
		if self.establish(now, id, ok.identity) {
			self.connected_event(id);
		}
	}

	// ----- both -----

	/// Moves `id` to Established with `peer`, unless a rule refuses it (then closes it).
	fn establish(&mut self, now: u64, id: ConnId, peer: GateId) -> bool {
		let Some(dir) = self.conns.get(&id).map(|c| c.dir) else { return false };
		if peer == self.id {
			self.close(id, CloseReason::SelfConnection);
			return false;
		}
		if let Some(&existing) = self.peers.get(&peer) {
			// Keep the connection dialed by the smaller identity, so both ends keep the same one
			// when two gates dial each other at once; same direction: keep the older.
			let existing_dir = self.conns.get(&existing).map(|c| c.dir);
			let initiator = |d: Direction| if d == Direction::Outbound { self.id } else { peer };
			let keep_new = match existing_dir {
				Some(ed) if initiator(ed) != initiator(dir) => initiator(dir) == self.id.min(peer),
				_ => false,
			};
			if keep_new {
				self.close(existing, CloseReason::DuplicatePeer);
			} else {
				self.close(id, CloseReason::DuplicatePeer);
				return false;
			}
		}
		if self.peers.len() >= self.cfg.max_peers {
			self.close(id, CloseReason::PeerLimit);
			return false;
		}
		let max_frame = self.cfg.max_frame_len;
		let Some(c) = self.conns.get_mut(&id) else { return false };
		c.state = State::Established { peer, since: now };
		c.decoder.set_max_frame(max_frame);
		let source = SourceKey::of(c.remote.ip());
		self.track_half_open(id, source, false);
		self.peers.insert(peer, id);
		self.set_deadline(id, None);
		true
	}

	fn connected_event(&mut self, id: ConnId) {
		if let Some(c) = self.conns.get(&id) {
			if let Some(peer) = c.peer() {
				log::info!(
					target: LOG_TARGET,
					"connection {id} established with {peer:?} ({}, {:?})",
					c.remote,
					c.dir
				);
				self.actions.push_back(Action::Event(GateEvent::Connected {
					conn: id,
					peer,
					remote: c.remote,
					direction: c.dir,
				}));
			}
		}
	}

	// ----- time -----

	/// Replaces the cookie secret now: the current one becomes the previous (still accepted),
	/// the previous is forgotten (its cookies are refused).
	pub fn rotate_secret(&mut self, now: u64) {
		let mut secret = [0u8; 32];
		self.rng.fill_bytes(&mut secret);
		self.keys.rotate(&secret);
		self.next_rotation = now.saturating_add(self.cfg.secret_rotation_ms);
		log::debug!(target: LOG_TARGET, "cookie secret rotated to key id {}", self.keys.current_id());
	}

	/// Mixes fresh entropy into the CSPRNG.
	pub fn reseed(&mut self, entropy: [u8; 32]) {
		let mut seed = [0u8; 32];
		self.rng.fill_bytes(&mut seed);
		for (s, e) in seed.iter_mut().zip(entropy) {
			*s ^= e;
		}
		self.rng = StdRng::from_seed(seed);
	}

	/// Time passed: handshake timeouts, secret rotation and keep-alive rounds.
	pub fn on_tick(&mut self, now: u64) {
		if now >= self.next_rotation {
			self.rotate_secret(now);
		}
		while let Some(&(t, id)) = self.timeouts.first() {
			if t > now {
				break;
			}
			self.timeouts.pop_first();
			let state = match self.conns.get_mut(&id) {
				Some(c) => {
					c.deadline = None;
					c.state.name()
				},
				None => continue,
			};
			self.close(id, CloseReason::HandshakeTimeout { state });
		}
		let (period, window, deadline) = {
			let k = &self.cfg.keepalive;
			(k.period_ms, k.window_ms, k.deadline_ms)
		};
		if let Some(r) = self.window_pending {
			if now >= r * period + window {
				self.window_pending = None;
				self.close_window(r);
			}
		}
		if let Some(r) = self.deadline_pending {
			if now >= r * period + deadline {
				self.deadline_pending = None;
				self.enforce_deadline(r);
			}
		}
		let round = now / period;
		if round > self.last_round {
			if let Some(r) = self.window_pending.take() {
				self.close_window(r);
			}
			if let Some(r) = self.deadline_pending.take() {
				self.enforce_deadline(r);
			}
			self.last_round = round;
			self.start_round(now, round);
		}
		self.replay.purge(now);
		// Give back the memory of a past flood.
		if self.conns.capacity() > 4 * self.conns.len() + 1024 {
			self.conns.shrink_to(2 * self.conns.len());
		}
		let sources = self.half_open_by_source.len();
		if self.half_open_by_source.capacity() > 4 * sources + 1024 {
			self.half_open_by_source.shrink_to(2 * sources);
		}
	}

	/// Starts keep-alive round `round` at `now`: challenges every peer established by its start.
	/// If the round's collection window has already passed (the driver stalled, or the clock
	/// jumped), the round is skipped: challenges sent now would be ignored as late and every
	/// peer would be dropped for a proof it could not give. Challenges our peers sent us for the
	/// round in time are still proven (if its deadline has not passed either).
	fn start_round(&mut self, now: u64, round: u64) {
		let (period, window, deadline) = {
			let k = &self.cfg.keepalive;
			(k.period_ms, k.window_ms, k.deadline_ms)
		};
		let start = round * period;
		if now >= start + window {
			log::warn!(
				target: LOG_TARGET,
				"keep-alive round {round} skipped: its collection window closed {} ms ago \
				 (stalled or clock jump); no challenges sent, none expected",
				now - (start + window)
			);
			if now < start + deadline {
				self.close_window(round);
			}
			return;
		}
		let targets: Vec<(ConnId, GateId)> = self
			.conns
			.iter()
			.filter_map(|(id, c)| match c.state {
				State::Established { peer, since } if since <= start => Some((*id, peer)),
				_ => None,
			})
			.collect();
		for &(id, peer) in &targets {
			let mut salt = [0u8; 16];
			self.rng.fill_bytes(&mut salt);
			let chall = self.identity.sign_keep_chall(KeepChall {
				round,
				issuer: self.id,
				addressee: peer,
				salt,
			});
			if let Some(c) = self.conns.get_mut(&id) {
				c.expect = Some(Expect { chall, proven: false });
			}
			self.send(id, &Message::KeepChall(chall));
		}
		log::debug!(target: LOG_TARGET, "round {round} started, {} peers challenged", targets.len());
		self.window_pending = Some(round);
		self.deadline_pending = Some(round);
		self.actions
			.push_back(Action::Event(GateEvent::RoundStarted { round, challenged: targets.len() }));
	}

	fn close_window(&mut self, round: u64) {
		let mut challenges = Vec::new();
		for c in self.conns.values_mut() {
			if let State::Established { .. } = c.state {
				if let Some(pos) = c.inbox.iter().position(|s| s.chall.round == round) {
					challenges.push(c.inbox.swap_remove(pos));
				}
				c.inbox.retain(|s| s.chall.round > round);
			}
		}
		if challenges.is_empty() {
			return;
		}
		log::debug!(
			target: LOG_TARGET,
			"round {round} window closed with {} challenges, solving",
			challenges.len()
		);
		let keep_pow = KeepPow::new(round, self.id, challenges);
		self.actions.push_back(Action::Solve(SolveJob::KeepAlive {
			keep_pow,
			effort_per_challenge: self.cfg.keepalive.effort_per_challenge,
		}));
	}

	fn enforce_deadline(&mut self, round: u64) {
		let missing: Vec<ConnId> = self
			.conns
			.iter_mut()
			.filter_map(|(id, c)| match &c.expect {
				Some(e) if e.chall.chall.round <= round => {
					let proven = e.proven;
					c.expect = None;
					(!proven).then_some(*id)
				},
				_ => None,
			})
			.collect();
		for id in missing {
			self.close(id, CloseReason::KeepPowMissing { round });
		}
	}

	fn on_keep_chall(&mut self, now: u64, id: ConnId, sc: SignedKeepChall) {
		let (period, window) = (self.cfg.keepalive.period_ms, self.cfg.keepalive.window_ms);
		let my_id = self.id;
		let Some(c) = self.conns.get_mut(&id) else { return };
		let Some(peer) = c.peer() else { return };
		let bad = if sc.chall.issuer != peer {
			Some("issuer is not the peer")
		} else if sc.chall.addressee != my_id {
			Some("addressed to another gate")
		} else {
			None
		};
		if let Some(why) = bad {
			self.close(id, CloseReason::BadKeepChall(why));
			return;
		}
		let start = sc.chall.round.saturating_mul(period);
		if now.saturating_add(window) < start || now >= start.saturating_add(window) {
			log::debug!(
				target: LOG_TARGET,
				"ignoring KEEP_CHALL of round {} from {peer:?}: outside its window",
				sc.chall.round
			);
			return;
		}
		if c.inbox.iter().any(|s| s.chall.round == sc.chall.round) {
			self.close(id, CloseReason::BadKeepChall("second challenge in one round"));
			return;
		}
		if !sc.verify_signature(&Ed25519Dalek) {
			self.close(id, CloseReason::BadKeepChall("invalid signature"));
			return;
		}
		if c.inbox.len() >= 2 {
			c.inbox.remove(0);
		}
		c.inbox.push(sc);
	}

	fn on_keep_pow(&mut self, now: u64, id: ConnId, pow: KeepPow) {
		let k = self.cfg.keepalive.clone();
		let Some(c) = self.conns.get_mut(&id) else { return };
		let Some(peer) = c.peer() else { return };
		let round = pow.round;
		let expect = match &c.expect {
			Some(e) if e.chall.chall.round == round && !e.proven => e.chall,
			_ => {
				log::debug!(
					target: LOG_TARGET,
					"ignoring KEEP_POW of round {round} from {peer:?}: nothing expected"
				);
				return;
			},
		};
		let reason = if now > round.saturating_mul(k.period_ms).saturating_add(k.deadline_ms) {
			Some(CloseReason::KeepPowLate { round })
		} else if pow.prover != peer {
			Some(CloseReason::KeepPowWrongProver { round })
		} else if !pow.contains(&expect) {
			Some(CloseReason::KeepPowOmitsChallenge { round })
		} else {
			pow.verify(&k.params())
				.err()
				.map(|error| CloseReason::KeepPowInvalid { round, error })
		};
		if let Some(reason) = reason {
			self.close(id, reason);
			return;
		}
		if let Some(e) = c.expect.as_mut() {
			e.proven = true;
		}
		log::debug!(target: LOG_TARGET, "peer {peer:?} proved round {round}");
		self.actions.push_back(Action::Event(GateEvent::PeerProved {
			conn: id,
			peer,
			keep_pow: pow,
		}));
	}

	/// Our keep-alive [`SolveJob`] finished: `keep_pow` carries the nonce. Sends it to every
	/// established peer and reports it ([`GateEvent::KeepPowProduced`]).
	pub fn on_keep_pow_solved(&mut self, now: u64, keep_pow: KeepPow) {
		let k = &self.cfg.keepalive;
		if now > keep_pow.round * k.period_ms + k.deadline_ms {
			log::warn!(
				target: LOG_TARGET,
				"our KEEP_POW for round {} was found after its deadline",
				keep_pow.round
			);
		}
		let frame = encode_frame(&Message::KeepPow(keep_pow.clone()));
		let targets: Vec<ConnId> = self.peers.values().copied().collect();
		for conn in targets {
			self.actions.push_back(Action::Send { conn, frame: frame.clone() });
		}
		self.actions.push_back(Action::Event(GateEvent::KeepPowProduced { keep_pow }));
	}
}
