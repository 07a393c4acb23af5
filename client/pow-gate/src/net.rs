//! The tokio TCP adapter: a listener, a dialer, one task per connection, a timer task, and
//! solve jobs on the blocking pool, all driving one [`GateMachine`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use gpow_pow_gate::{Gate, GateConfig, GateEvent, Identity};
//!
//! let (gate, mut events) = Gate::new(GateConfig::default(), Identity::generate())?;
//! let listening = gate.run_listener("0.0.0.0:30444".parse()?).await?;
//! let peer = gate.dial("192.0.2.7:30444".parse()?, None).await?;
//! while let Some(event) = events.recv().await {
//!     if let GateEvent::KeepPowProduced { keep_pow } = event {
//!         // submit `keep_pow` on chain
//!     }
//! }
//! # Ok(()) }
//! ```

use crate::{
	attest::GateId,
	config::{ConfigError, GateConfig},
	identity::Identity,
	machine::{
		Action, CloseReason, ConnId, Direction, GateEvent, GateMachine, GateStats, SolveJob,
	},
};
use rand::RngCore;
use std::{
	collections::HashMap,
	io,
	net::SocketAddr,
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc, Mutex, MutexGuard, Weak,
	},
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::{TcpListener, TcpStream},
	sync::{mpsc, oneshot, watch, Notify},
};

/// The receiving end of a gate's events. Drain it: it is unbounded.
pub type GateEvents = mpsc::UnboundedReceiver<GateEvent>;

/// Unix time in milliseconds from the system clock.
pub fn unix_now_ms() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map(|d| d.as_millis() as u64)
		.unwrap_or(0)
}

/// An established connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerInfo {
	/// The connection.
	pub conn: ConnId,
	/// The peer's identity.
	pub peer: GateId,
	/// The peer's address.
	pub remote: SocketAddr,
	/// Who dialed.
	pub direction: Direction,
	/// Time our solver spent on the handshake challenge (zero for inbound connections).
	pub work_time: Duration,
}

/// Why a dial failed.
#[derive(Debug)]
pub enum DialError {
	/// TCP connect failed.
	Io(io::Error),
	/// The handshake failed (the reason is also logged).
	Handshake(CloseReason),
	/// The gate shut down.
	Shutdown,
}

impl std::fmt::Display for DialError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			DialError::Io(e) => write!(f, "connect failed: {e}"),
			DialError::Handshake(r) => write!(f, "handshake failed: {r}"),
			DialError::Shutdown => write!(f, "gate shut down"),
		}
	}
}

impl std::error::Error for DialError {}

enum Outgoing {
	Frame(Vec<u8>),
	Close,
}

struct ConnHandle {
	tx: mpsc::UnboundedSender<Outgoing>,
	stop: Arc<AtomicBool>,
}

struct Inner {
	machine: GateMachine,
	conns: HashMap<ConnId, ConnHandle>,
	dials: HashMap<ConnId, oneshot::Sender<Result<PeerInfo, DialError>>>,
	work_times: HashMap<ConnId, Duration>,
	events: mpsc::UnboundedSender<GateEvent>,
	timer_target: u64,
	keep_stop: Arc<AtomicBool>,
}

struct Shared {
	inner: Mutex<Inner>,
	timer: Notify,
	shutdown: watch::Sender<bool>,
	id: GateId,
	runtime: tokio::runtime::Handle,
}

type Job = (SolveJob, Arc<AtomicBool>);

impl Shared {
	fn lock(&self) -> MutexGuard<'_, Inner> {
		self.inner.lock().unwrap_or_else(|e| e.into_inner())
	}

	/// Carries out the machine's actions; returns the solve jobs to start once unlocked.
	fn dispatch(&self, inner: &mut Inner) -> Vec<Job> {
		let mut jobs = Vec::new();
		while let Some(action) = inner.machine.poll_action() {
			match action {
				Action::Send { conn, frame } => {
					if let Some(h) = inner.conns.get(&conn) {
						let _ = h.tx.send(Outgoing::Frame(frame));
					}
				},
				Action::Close { conn, .. } => {
					if let Some(h) = inner.conns.remove(&conn) {
						h.stop.store(true, Ordering::Relaxed);
						let _ = h.tx.send(Outgoing::Close);
					}
				},
				Action::Solve(job) => {
					let stop = match &job {
						SolveJob::Handshake { conn, .. } => {
							inner.conns.get(conn).map(|h| h.stop.clone())
						},
						SolveJob::KeepAlive { .. } => {
							inner.keep_stop.store(true, Ordering::Relaxed);
							inner.keep_stop = Arc::new(AtomicBool::new(false));
							Some(inner.keep_stop.clone())
						},
					};
					if let Some(stop) = stop {
						jobs.push((job, stop));
					}
				},
				Action::Event(event) => {
					match &event {
						GateEvent::Connected { conn, peer, remote, direction } => {
							let work_time = inner.work_times.remove(conn).unwrap_or_default();
							if let Some(tx) = inner.dials.remove(conn) {
								let _ = tx.send(Ok(PeerInfo {
									conn: *conn,
									peer: *peer,
									remote: *remote,
									direction: *direction,
									work_time,
								}));
							}
						},
						GateEvent::Disconnected { conn, reason, .. } => {
							inner.work_times.remove(conn);
							if let Some(h) = inner.conns.remove(conn) {
								h.stop.store(true, Ordering::Relaxed);
								let _ = h.tx.send(Outgoing::Close);
							}
							if let Some(tx) = inner.dials.remove(conn) {
								let _ = tx.send(Err(DialError::Handshake(reason.clone())));
							}
						},
						_ => {},
					}
					let _ = inner.events.send(event);
				},
			}
		}
		let next = inner.machine.next_deadline();
		if next < inner.timer_target {
			inner.timer_target = next;
			self.timer.notify_one();
		}
		jobs
	}

	fn spawn_jobs(self: &Arc<Self>, jobs: Vec<Job>) {
		for (job, stop) in jobs {
			let weak = Arc::downgrade(self);
			self.runtime.spawn_blocking(move || {
				let started = Instant::now();
				let nonce = job.solve(&stop);
				let elapsed = started.elapsed();
				let (Some(nonce), Some(shared)) = (nonce, weak.upgrade()) else { return };
				let jobs = {
					let mut inner = shared.lock();
					let now = unix_now_ms();
					match job {
						SolveJob::Handshake { conn, .. } => {
							inner.work_times.insert(conn, elapsed);
							inner.machine.on_handshake_solved(now, conn, nonce);
						},
						SolveJob::KeepAlive { mut keep_pow, .. } => {
							keep_pow.nonce = nonce;
							inner.machine.on_keep_pow_solved(now, keep_pow);
						},
					}
					shared.dispatch(&mut inner)
				};
				shared.spawn_jobs(jobs);
			});
		}
	}

	/// Registers a new TCP connection with the machine and starts its task.
	fn adopt(
		self: &Arc<Self>,
		stream: TcpStream,
		direction: Direction,
		expected: Option<GateId>,
		dial: Option<oneshot::Sender<Result<PeerInfo, DialError>>>,
	) -> io::Result<()> {
		let local = stream.local_addr()?;
		let remote = stream.peer_addr()?;
		let _ = stream.set_nodelay(true);
		let (tx, rx) = mpsc::unbounded_channel();
		let (id, jobs) = {
			let mut inner = self.lock();
			let now = unix_now_ms();
			let id = match direction {
				Direction::Inbound => inner.machine.accept(now, local, remote),
				Direction::Outbound => inner.machine.connect(now, local, remote, expected),
			};
			inner
				.conns
				.insert(id, ConnHandle { tx, stop: Arc::new(AtomicBool::new(false)) });
			if let Some(d) = dial {
				inner.dials.insert(id, d);
			}
			(id, self.dispatch(&mut inner))
		};
		self.spawn_jobs(jobs);
		let weak = Arc::downgrade(self);
		self.runtime.spawn(conn_task(weak, id, stream, rx));
		Ok(())
	}
}

async fn conn_task(
	weak: Weak<Shared>,
	id: ConnId,
	stream: TcpStream,
	mut rx: mpsc::UnboundedReceiver<Outgoing>,
) {
	let (mut rd, mut wr) = stream.into_split();
	let mut buf = vec![0u8; 2048];
	let closed_by_gate = loop {
		tokio::select! {
			biased;
			out = rx.recv() => match out {
				Some(Outgoing::Frame(frame)) => {
					if wr.write_all(&frame).await.is_err() {
						break false;
					}
				},
				Some(Outgoing::Close) | None => break true,
			},
			read = rd.read(&mut buf) => match read {
				Ok(0) | Err(_) => break false,
				Ok(n) => {
					let Some(shared) = weak.upgrade() else { return };
					let jobs = {
						let mut inner = shared.lock();
						inner.machine.on_bytes(unix_now_ms(), id, &buf[..n]);
						shared.dispatch(&mut inner)
					};
					shared.spawn_jobs(jobs);
				},
			},
		}
	};
	if closed_by_gate {
		let _ = wr.shutdown().await;
	} else if let Some(shared) = weak.upgrade() {
		let jobs = {
			let mut inner = shared.lock();
			inner.machine.on_transport_closed(id);
			if let Some(h) = inner.conns.remove(&id) {
				h.stop.store(true, Ordering::Relaxed);
			}
			shared.dispatch(&mut inner)
		};
		shared.spawn_jobs(jobs);
	}
}

async fn timer_task(weak: Weak<Shared>, mut shutdown: watch::Receiver<bool>) {
	loop {
		let Some(shared) = weak.upgrade() else { return };
		let wait = {
			let mut inner = shared.lock();
			let target = inner.machine.next_deadline();
			inner.timer_target = target;
			Duration::from_millis(target.saturating_sub(unix_now_ms()).min(1_000))
		};
		tokio::select! {
			_ = tokio::time::sleep(wait) => {},
			_ = shared.timer.notified() => {},
			_ = shutdown.changed() => return,
		}
		let jobs = {
			let mut inner = shared.lock();
			inner.machine.on_tick(unix_now_ms());
			shared.dispatch(&mut inner)
		};
		shared.spawn_jobs(jobs);
	}
}

async fn accept_task(
	weak: Weak<Shared>,
	listener: TcpListener,
	mut shutdown: watch::Receiver<bool>,
) {
	loop {
		tokio::select! {
			accepted = listener.accept() => match accepted {
				Ok((stream, _)) => {
					let Some(shared) = weak.upgrade() else { return };
					if let Err(e) = shared.adopt(stream, Direction::Inbound, None, None) {
						log::debug!(target: crate::LOG_TARGET, "dropping accepted socket: {e}");
					}
				},
				Err(e) => {
					// Out of file descriptors and the like: back off briefly.
					log::warn!(target: crate::LOG_TARGET, "accept failed: {e}");
					tokio::time::sleep(Duration::from_millis(10)).await;
				},
			},
			_ = shutdown.changed() => return,
		}
	}
}

struct Owner {
	shared: Arc<Shared>,
}

impl Drop for Owner {
	fn drop(&mut self) {
		shutdown(&self.shared);
	}
}

fn shutdown(shared: &Arc<Shared>) {
	let _ = shared.shutdown.send(true);
	let jobs = {
		let mut inner = shared.lock();
		inner.keep_stop.store(true, Ordering::Relaxed);
		inner.machine.disconnect_all();
		shared.dispatch(&mut inner)
	};
	drop(jobs);
}

/// A running gate: the handle the node keeps. Cloning shares the gate; dropping the last
/// clone shuts it down.
#[derive(Clone)]
pub struct Gate {
	owner: Arc<Owner>,
}

impl std::fmt::Debug for Gate {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("Gate")
			.field("id", &self.owner.shared.id)
			.finish_non_exhaustive()
	}
}

impl Gate {
	/// Starts a gate (its timer task) on the current tokio runtime. Returns the handle and the
	/// stream of [`GateEvent`]s: connections, rounds, proofs and teardowns.
	///
	/// Panics outside a tokio runtime.
	pub fn new(config: GateConfig, identity: Identity) -> Result<(Gate, GateEvents), ConfigError> {
		let mut seed = [0u8; 32];
		rand::rngs::OsRng.fill_bytes(&mut seed);
		let machine = GateMachine::new(config, identity, seed, unix_now_ms())?;
		let id = machine.id();
		let (events_tx, events_rx) = mpsc::unbounded_channel();
		let (shutdown_tx, shutdown_rx) = watch::channel(false);
		let shared = Arc::new(Shared {
			inner: Mutex::new(Inner {
				machine,
				conns: HashMap::new(),
				dials: HashMap::new(),
				work_times: HashMap::new(),
				events: events_tx,
				timer_target: u64::MAX,
				keep_stop: Arc::new(AtomicBool::new(false)),
			}),
			timer: Notify::new(),
			shutdown: shutdown_tx,
			id,
			runtime: tokio::runtime::Handle::current(),
		});
		shared.runtime.spawn(timer_task(Arc::downgrade(&shared), shutdown_rx));
		Ok((Gate { owner: Arc::new(Owner { shared }) }, events_rx))
	}

	fn shared(&self) -> &Arc<Shared> {
		&self.owner.shared
	}

	/// Our identity.
	pub fn id(&self) -> GateId {
		self.shared().id
	}

	/// Binds a TCP listener on `addr` and accepts connections on it until shutdown. Returns
	/// the bound address (useful with port 0). May be called for several addresses.
	pub async fn run_listener(&self, addr: SocketAddr) -> io::Result<SocketAddr> {
		let listener = TcpListener::bind(addr).await?;
		let local = listener.local_addr()?;
		let shared = self.shared();
		shared.runtime.spawn(accept_task(
			Arc::downgrade(shared),
			listener,
			shared.shutdown.subscribe(),
		));
		log::info!(target: crate::LOG_TARGET, "gate {:?} listening on {local}", shared.id);
		Ok(local)
	}

	/// Dials `addr` and runs the handshake (request a challenge, solve it, prove). With
	/// `expected`, fails unless the responder proves that identity. Resolves once established.
	pub async fn dial(
		&self,
		addr: SocketAddr,
		expected: Option<GateId>,
	) -> Result<PeerInfo, DialError> {
		let timeout = {
			let inner = self.shared().lock();
			Duration::from_millis(inner.machine.config().init_timeout_ms)
		};
		let stream = tokio::time::timeout(timeout, TcpStream::connect(addr))
			.await
			.map_err(|_| DialError::Io(io::ErrorKind::TimedOut.into()))?
			.map_err(DialError::Io)?;
		let (tx, rx) = oneshot::channel();
		self.shared()
			.adopt(stream, Direction::Outbound, expected, Some(tx))
			.map_err(DialError::Io)?;
		rx.await.map_err(|_| DialError::Shutdown)?
	}

	/// Closes the connection to `peer`, if any.
	pub fn disconnect(&self, peer: &GateId) {
		let shared = self.shared();
		let jobs = {
			let mut inner = shared.lock();
			let conn = inner.machine.peers().find(|(p, _)| p == peer).map(|(_, c)| c);
			if let Some(conn) = conn {
				inner.machine.disconnect(conn);
			}
			shared.dispatch(&mut inner)
		};
		shared.spawn_jobs(jobs);
	}

	/// The established peers.
	pub fn peers(&self) -> Vec<(GateId, ConnId)> {
		self.shared().lock().machine.peers().collect()
	}

	/// Counters and data-structure sizes.
	pub fn stats(&self) -> GateStats {
		self.shared().lock().machine.stats()
	}

	/// The effort a challenge issued now would demand.
	pub fn current_effort(&self) -> u64 {
		self.shared().lock().machine.current_effort(unix_now_ms())
	}

	/// Stops listening, closes every connection and stops the timer.
	pub fn shutdown(&self) {
		shutdown(self.shared());
	}
}
