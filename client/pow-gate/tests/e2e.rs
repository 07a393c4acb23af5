//! End to end on loopback with the tokio adapter: handshakes, keep-alive rounds (200 ms
//! period), a peer that stops answering, and refusals.

use gpow_pow_gate::{
	cookie::{conn_pre_image, init_transcript},
	machine::solve_nonce,
	wire::{encode_frame, ConnInit, ConnProof, FrameDecoder, Message},
	CloseReason, DialError, Direction, Gate, GateConfig, GateEvent, GateEvents, Identity,
	KeepAliveConfig,
};
use std::{
	net::SocketAddr,
	sync::atomic::AtomicBool,
	time::{Duration, Instant},
};
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::TcpStream,
};

const PERIOD_MS: u64 = 200;

fn cfg() -> GateConfig {
	let mut c = GateConfig::default();
	c.effort.min_effort = 1 << 10;
	c.effort.max_effort = 1 << 12;
	c.max_solve_effort = 1 << 14;
	c.max_peers = 64;
	c.keepalive = KeepAliveConfig {
		period_ms: PERIOD_MS,
		window_ms: 80,
		deadline_ms: 190,
		effort_per_challenge: 1 << 8,
		max_challenges: 64,
	};
	c
}

async fn listening_gate() -> (Gate, GateEvents, SocketAddr) {
	let (gate, events) = Gate::new(cfg(), Identity::generate()).expect("config");
	let addr = gate.run_listener("127.0.0.1:0".parse().unwrap()).await.expect("bind");
	(gate, events, addr)
}

/// Events received within `d`.
async fn collect(events: &mut GateEvents, d: Duration) -> Vec<GateEvent> {
	let end = tokio::time::Instant::now() + d;
	let mut out = Vec::new();
	while let Ok(Some(e)) = tokio::time::timeout_at(end, events.recv()).await {
		out.push(e);
	}
	out
}

/// Waits (up to `d`) for an event matching `f`.
async fn wait_for(
	events: &mut GateEvents,
	d: Duration,
	f: impl Fn(&GateEvent) -> bool,
) -> Option<GateEvent> {
	let end = tokio::time::Instant::now() + d;
	while let Ok(Some(e)) = tokio::time::timeout_at(end, events.recv()).await {
		if f(&e) {
			return Some(e);
		}
	}
	None
}

/// Reads one frame; `None` on EOF or error.
async fn read_msg(s: &mut TcpStream) -> Option<Message> {
	let mut header = [0u8; 4];
	s.read_exact(&mut header).await.ok()?;
	let len = u32::from_be_bytes(header) as usize;
	let mut body = vec![0u8; len];
	s.read_exact(&mut body).await.ok()?;
	let mut d = FrameDecoder::new(u32::MAX);
	d.push(&header);
	d.push(&body);
	d.next_message().ok()?
}

/// Runs the initiator's side of the handshake by hand over a raw socket.
async fn raw_handshake(addr: SocketAddr, who: &Identity) -> TcpStream {
	let mut s = TcpStream::connect(addr).await.unwrap();
	s.write_all(&encode_frame(&Message::ConnInit(ConnInit::Request))).await.unwrap();
	let Some(Message::ConnChall(chall)) = read_msg(&mut s).await else { panic!("no CONN_CHALL") };
	let pre = conn_pre_image(
		&chall.challenge,
		&chall.initiator,
		&chall.responder,
		chall.cookie.issued_at,
	);
	let nonce = solve_nonce(&pre, chall.cookie.effort.into(), 0, &AtomicBool::new(false)).unwrap();
	let proof = ConnProof {
		challenge: chall.challenge,
		cookie: chall.cookie,
		nonce,
		identity: who.id(),
		signature: who.sign(&init_transcript(&chall.cookie.tag, nonce)),
	};
	s.write_all(&encode_frame(&Message::ConnInit(ConnInit::Proof(proof))))
		.await
		.unwrap();
	let Some(Message::ConnOk(ok)) = read_msg(&mut s).await else { panic!("no CONN_OK") };
	assert_ne!(ok.identity, who.id());
	s
}

/// Whether the gate closes `s` within `d` (reading and discarding what it sends).
async fn closed_within(s: &mut TcpStream, d: Duration) -> bool {
	let mut buf = [0u8; 1024];
	let end = tokio::time::Instant::now() + d;
	loop {
		match tokio::time::timeout_at(end, s.read(&mut buf)).await {
			Err(_) => return false,
			Ok(Ok(0)) | Ok(Err(_)) => return true,
			Ok(Ok(_)) => {},
		}
	}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_gates_connect_and_keep_each_other_alive() {
	let (a, mut ea) = Gate::new(cfg(), Identity::generate()).unwrap();
	let (b, mut eb, b_addr) = listening_gate().await;
	let started = Instant::now();
	let info = a.dial(b_addr, Some(b.id())).await.expect("dial");
	eprintln!("connect time {:?} (solving {:?})", started.elapsed(), info.work_time);
	assert_eq!((info.peer, info.direction, info.remote), (b.id(), Direction::Outbound, b_addr));
	assert!(wait_for(&mut eb, Duration::from_secs(2), |e| matches!(
		e,
		GateEvent::Connected { peer, direction: Direction::Inbound, .. } if *peer == a.id()
	))
	.await
	.is_some());
	assert_eq!(a.peers().len(), 1);

	// Six periods: at least four full rounds on both sides.
	let (a_events, b_events) = tokio::join!(
		collect(&mut ea, Duration::from_millis(6 * PERIOD_MS)),
		collect(&mut eb, Duration::from_millis(6 * PERIOD_MS)),
	);
	for (name, events, me, peer) in
		[("a", &a_events, a.id(), b.id()), ("b", &b_events, b.id(), a.id())]
	{
		assert!(
			!events.iter().any(|e| matches!(e, GateEvent::Disconnected { .. })),
			"{name} disconnected: {events:?}"
		);
		let produced: Vec<_> = events
			.iter()
			.filter_map(|e| match e {
				GateEvent::KeepPowProduced { keep_pow } => Some(keep_pow),
				_ => None,
			})
			.collect();
		let proved = events
			.iter()
			.filter(|e| matches!(e, GateEvent::PeerProved { peer: p, .. } if *p == peer))
			.count();
		assert!(produced.len() >= 4, "{name} produced {} proofs", produced.len());
		assert!(proved >= 4, "{name} saw {proved} proofs of its peer");
		for p in produced {
			assert_eq!(p.prover, me);
			assert!(p.verify(&cfg().keepalive.params()).is_ok());
		}
	}
	assert_eq!(a.peers().len(), 1);
	assert_eq!(b.peers().len(), 1);

	// Shutting one down disconnects the other.
	a.shutdown();
	assert!(wait_for(&mut eb, Duration::from_secs(2), |e| matches!(
		e,
		GateEvent::Disconnected { reason: CloseReason::TransportClosed, .. }
	))
	.await
	.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_stops_answering_is_disconnected() {
	let (gate, mut events, addr) = listening_gate().await;
	let mute = Identity::generate();
	let mut s = raw_handshake(addr, &mute).await;
	assert!(wait_for(&mut events, Duration::from_secs(2), |e| matches!(
		e,
		GateEvent::Connected { peer, .. } if *peer == mute.id()
	))
	.await
	.is_some());
	// The raw client reads the KEEP_CHALLs but never proves: at most two periods later the
	// gate hangs up.
	assert!(closed_within(&mut s, Duration::from_millis(3 * PERIOD_MS + 1_000)).await);
	let ev = wait_for(&mut events, Duration::from_secs(1), |e| {
		matches!(e, GateEvent::Disconnected { .. })
	})
	.await
	.expect("disconnect event");
	assert!(
		matches!(
			ev,
			GateEvent::Disconnected { peer: Some(p), reason: CloseReason::KeepPowMissing { .. }, .. }
				if p == mute.id()
		),
		"{ev:?}"
	);
	assert!(gate.peers().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dial_refuses_the_wrong_identity() {
	let (a, _ea) = Gate::new(cfg(), Identity::generate()).unwrap();
	let (_b, _eb, b_addr) = listening_gate().await;
	let wrong = Identity::generate().id();
	match a.dial(b_addr, Some(wrong)).await {
		Err(DialError::Handshake(CloseReason::WrongPeer { expected, .. })) => {
			assert_eq!(expected, wrong)
		},
		other => panic!("unexpected {other:?}"),
	}
	assert!(a.peers().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_streams_are_closed() {
	let (gate, _events, addr) = listening_gate().await;
	let mut unknown_version = encode_frame(&Message::ConnInit(ConnInit::Request));
	unknown_version[4] = 9;
	let out_of_order = encode_frame(&Message::ConnOk(gpow_pow_gate::wire::ConnOk {
		identity: Identity::generate().id(),
		signature: [0; 64],
	}));
	let cases: [&[u8]; 4] = [
		&[0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3],
		&unknown_version,
		&out_of_order,
		&[0, 0, 0, 3, 1, 0xff, 0xff],
	];
	for bytes in cases {
		let mut s = TcpStream::connect(addr).await.unwrap();
		s.write_all(bytes).await.unwrap();
		assert!(closed_within(&mut s, Duration::from_secs(2)).await, "{bytes:?}");
	}
	// A bogus proof (forged cookie) is refused without an answer.
	let mut s = TcpStream::connect(addr).await.unwrap();
	let bogus = ConnProof {
		challenge: [1; 16],
		cookie: gpow_pow_gate::wire::Cookie { key_id: 0, issued_at: 0, effort: 1, tag: [0; 16] },
		nonce: 0,
		identity: Identity::generate().id(),
		signature: [0; 64],
	};
	s.write_all(&encode_frame(&Message::ConnInit(ConnInit::Proof(bogus))))
		.await
		.unwrap();
	assert!(closed_within(&mut s, Duration::from_secs(2)).await);
	// The gate keeps serving honest dialers.
	let (c, _ec) = Gate::new(cfg(), Identity::generate()).unwrap();
	assert!(c.dial(addr, Some(gate.id())).await.is_ok());
	let stats = gate.stats();
	assert_eq!((stats.established, stats.half_open), (1, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requesting_flood_from_one_source_leaves_others_and_the_effort_alone() {
	let (gate, _events, addr) = listening_gate().await;
	let effort = gate.current_effort();
	// 200 workless requests from 127.0.0.2, one after the other, far over its burst.
	let flooder: std::net::IpAddr = "127.0.0.2".parse().unwrap();
	let (mut challenged, mut refused) = (0, 0);
	for _ in 0..200 {
		let socket = tokio::net::TcpSocket::new_v4().unwrap();
		socket.bind(SocketAddr::new(flooder, 0)).unwrap();
		let mut s = socket.connect(addr).await.unwrap();
		s.write_all(&encode_frame(&Message::ConnInit(ConnInit::Request))).await.unwrap();
		match read_msg(&mut s).await {
			Some(Message::ConnChall(_)) => challenged += 1,
			None => refused += 1,
			Some(other) => panic!("unexpected {other:?}"),
		}
	}
	let limit = GateConfig::default().source_limit;
	assert!(challenged >= limit.init_burst as u32, "the burst is served: {challenged}");
	assert!(refused >= 50, "the rest is refused: {refused} of 200");
	let stats = gate.stats();
	assert_eq!(stats.rate_limited, refused as u64);
	// The effort did not move, and a dialer from another address connects at once.
	assert_eq!(gate.current_effort(), effort);
	let (c, _ec) = Gate::new(cfg(), Identity::generate()).unwrap();
	assert!(c.dial(addr, Some(gate.id())).await.is_ok());
}
