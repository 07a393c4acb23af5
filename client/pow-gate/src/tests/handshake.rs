//! Connection handshake: CONN_INIT / CONN_CHALL / CONN_OK, every refusal, timeouts, limits.

use super::harness::*;
use crate::{
	cookie::{ok_transcript, ProofError},
	machine::{Action, CloseReason, Direction, GateEvent},
	wire::{encode_frame, ConnInit, ConnOk, Endpoint, FrameError, Message},
};

fn b_addr() -> std::net::SocketAddr {
	addr("10.0.0.2:30333")
}
fn a_addr() -> std::net::SocketAddr {
	addr("10.0.0.1:40000")
}

#[test]
fn full_handshake_between_two_machines() {
	let mut net = Net::new(2, test_config());
	let (ca, cb) = net.connect(0, 1, T0 + 10);
	let a_id = net.nodes[0].m.id();
	let b_id = net.nodes[1].m.id();
	assert_eq!(net.nodes[0].m.peers().collect::<Vec<_>>(), vec![(b_id, ca)]);
	assert_eq!(net.nodes[1].m.peers().collect::<Vec<_>>(), vec![(a_id, cb)]);
	assert!(net.nodes[0].events.contains(&GateEvent::Connected {
		conn: ca,
		peer: b_id,
		remote: net.nodes[1].addr,
		direction: Direction::Outbound,
	}));
	assert!(net.nodes[1].events.iter().any(|e| matches!(
		e,
		GateEvent::Connected { conn, peer, direction: Direction::Inbound, .. }
			if *conn == cb && *peer == a_id
	)));
	let stats = net.nodes[1].m.stats();
	assert_eq!((stats.established, stats.half_open, stats.replay_entries), (1, 0, 1));
	assert_eq!((stats.challenges_issued, stats.proofs_accepted), (1, 1));
}

#[test]
fn challenge_carries_effort_endpoints_and_a_valid_cookie() {
	let mut b = machine(2, test_config());
	let (conn, chall) = request_challenge(&mut b, T0, b_addr(), a_addr());
	assert_eq!(chall.initiator, Endpoint::from(a_addr()));
	assert_eq!(chall.responder, Endpoint::from(b_addr()));
	assert_eq!(chall.cookie.effort, 16);
	assert_eq!(chall.cookie.issued_at, T0);
	// The responder keeps a constant-size half-open entry only.
	assert_eq!(b.stats().half_open, 1);
	assert_eq!(submit_on(&mut b, T0 + 5, conn, &solve(&chall, &identity(1))), Ok(()));
}

#[test]
fn proof_as_first_message_is_accepted_statelessly() {
	// A cookie is valid on any connection with the same endpoints: the responder needs no
	// memory of having issued it.
	let mut b = machine(2, test_config());
	let (conn, chall) = request_challenge(&mut b, T0, b_addr(), a_addr());
	b.disconnect(conn);
	drain(&mut b);
	let proof = solve(&chall, &identity(1));
	assert!(submit_fresh(&mut b, T0 + 100, b_addr(), a_addr(), &proof).is_ok());
}

#[test]
fn wrong_endpoint_is_refused() {
	let mut b = machine(2, test_config());
	let (_, chall) = request_challenge(&mut b, T0, b_addr(), a_addr());
	let proof = solve(&chall, &identity(1));
	// Other source port, other source address, other local address: the MAC fails.
	for (local, remote) in [
		(b_addr(), addr("10.0.0.1:40001")),
		(b_addr(), addr("10.0.0.9:40000")),
		(addr("10.0.0.3:30333"), a_addr()),
		(addr("10.0.0.2:30334"), a_addr()),
	] {
		assert_eq!(
			submit_fresh(&mut b, T0 + 1, local, remote, &proof),
			Err(CloseReason::Proof(ProofError::ForgedCookie))
		);
	}
	assert_logged(&["proof refused: forged cookie"]);
	// The same endpoints, spelled as IPv4-mapped IPv6 by a dual-stack socket, still match.
	let mapped_local = addr("[::ffff:10.0.0.2]:30333");
	let mapped_remote = addr("[::ffff:10.0.0.1]:40000");
	assert!(submit_fresh(&mut b, T0 + 1, mapped_local, mapped_remote, &proof).is_ok());
}

#[test]
fn expired_cookie_is_refused() {
	let cfg = test_config();
	let mut b = machine(2, cfg.clone());
	let (_, chall) = request_challenge(&mut b, T0, b_addr(), a_addr());
	let proof = solve(&chall, &identity(1));
	let late = T0 + cfg.cookie_lifetime_ms + 1;
	assert_eq!(
		submit_fresh(&mut b, late, b_addr(), a_addr(), &proof),
		Err(CloseReason::Proof(ProofError::Expired { age_ms: cfg.cookie_lifetime_ms + 1 }))
	);
	// At exactly the lifetime it is still valid.
	assert!(submit_fresh(&mut b, late - 1, b_addr(), a_addr(), &proof).is_ok());
}

#[test]
fn cookie_from_the_future_is_refused() {
	let cfg = test_config();
	let mut b = machine(2, cfg.clone());
	let (_, chall) = request_challenge(&mut b, T0 + 10_000, b_addr(), a_addr());
	let proof = solve(&chall, &identity(1));
	// Our clock stepped back by more than the tolerance.
	assert_eq!(
		submit_fresh(&mut b, T0 + 10_000 - cfg.clock_tolerance_ms - 1, b_addr(), a_addr(), &proof),
		Err(CloseReason::Proof(ProofError::FromTheFuture))
	);
}

#[test]
fn replayed_cookie_is_refused() {
	let mut b = machine(2, test_config());
	let (conn, chall) = request_challenge(&mut b, T0, b_addr(), a_addr());
	let proof = solve(&chall, &identity(1));
	assert_eq!(submit_on(&mut b, T0 + 1, conn, &proof), Ok(()));
	b.disconnect(conn);
	drain(&mut b);
	// Same proof again, and the same cookie with another valid nonce.
	assert_eq!(
		submit_fresh(&mut b, T0 + 2, b_addr(), a_addr(), &proof),
		Err(CloseReason::Proof(ProofError::Replayed))
	);
	let pre = crate::cookie::conn_pre_image(
		&chall.challenge,
		&chall.initiator,
		&chall.responder,
		chall.cookie.issued_at,
	);
	let other = (proof.nonce + 1..)
		.find(|n| gpow_primitives_pow::nonce_meets(&pre, *n, 16u64.into()))
		.expect("nonce");
	assert_eq!(
		submit_fresh(&mut b, T0 + 3, b_addr(), a_addr(), &sign(&chall, other, &identity(1))),
		Err(CloseReason::Proof(ProofError::Replayed))
	);
	assert_logged(&["replayed cookie"]);
}

#[test]
fn forged_cookie_is_refused() {
	let mut b = machine(2, test_config());
	let (_, chall) = request_challenge(&mut b, T0, b_addr(), a_addr());
	let good = solve(&chall, &identity(1));
	let forgeries = {
		let mut v = Vec::new();
		let mut p = good;
		p.cookie.tag[0] ^= 1;
		v.push(p);
		let mut p = good;
		p.cookie.effort = 1; // ask for less work
		v.push(p);
		let mut p = good;
		p.cookie.issued_at += 1; // extend the lifetime
		v.push(p);
		let mut p = good;
		p.challenge[3] ^= 0x80;
		v.push(p);
		let mut p = good;
		p.cookie.tag = [0; 16];
		v.push(p);
		v
	};
	for p in forgeries {
		assert_eq!(
			submit_fresh(&mut b, T0 + 1, b_addr(), a_addr(), &p),
			Err(CloseReason::Proof(ProofError::ForgedCookie))
		);
	}
	// A cookie minted by another gate (another secret) is forged too.
	let mut other = machine(3, test_config());
	let (_, foreign) = request_challenge(&mut other, T0, b_addr(), a_addr());
	assert_eq!(
		submit_fresh(&mut b, T0 + 1, b_addr(), a_addr(), &solve(&foreign, &identity(1))),
		Err(CloseReason::Proof(ProofError::ForgedCookie))
	);
	// Nothing was recorded for any of them.
	assert_eq!(b.stats().replay_entries, 0);
	assert!(submit_fresh(&mut b, T0 + 2, b_addr(), a_addr(), &good).is_ok());
}

#[test]
fn wrong_nonce_is_refused() {
	let mut b = machine(2, test_config());
	let (conn, chall) = request_challenge(&mut b, T0, b_addr(), a_addr());
	let pre = crate::cookie::conn_pre_image(
		&chall.challenge,
		&chall.initiator,
		&chall.responder,
		chall.cookie.issued_at,
	);
	let bad = (0u64..)
		.find(|n| !gpow_primitives_pow::nonce_meets(&pre, *n, 16u64.into()))
		.unwrap();
	assert_eq!(
		submit_on(&mut b, T0 + 1, conn, &sign(&chall, bad, &identity(1))),
		Err(CloseReason::Proof(ProofError::InsufficientWork))
	);
	assert_logged(&["wrong nonce"]);
	// The cookie was not consumed: the right nonce still works.
	assert!(submit_fresh(&mut b, T0 + 2, b_addr(), a_addr(), &solve(&chall, &identity(1))).is_ok());
}

#[test]
fn bad_identity_signature_is_refused_without_consuming_the_cookie() {
	let mut b = machine(2, test_config());
	let (_, chall) = request_challenge(&mut b, T0, b_addr(), a_addr());
	let mut p = solve(&chall, &identity(1));
	p.identity = identity(7).id(); // claims someone else's key
	assert_eq!(
		submit_fresh(&mut b, T0 + 1, b_addr(), a_addr(), &p),
		Err(CloseReason::Proof(ProofError::BadSignature))
	);
	assert!(submit_fresh(&mut b, T0 + 1, b_addr(), a_addr(), &solve(&chall, &identity(1))).is_ok());
}

#[test]
fn rotated_secret_previous_accepted_older_refused() {
	let mut b = machine(2, test_config());
	let (_, c1) = request_challenge(&mut b, T0, b_addr(), a_addr());
	let (_, c2) = request_challenge(&mut b, T0, b_addr(), addr("10.0.0.1:40001"));
	b.rotate_secret(T0 + 1);
	let (_, c3) = request_challenge(&mut b, T0 + 1, b_addr(), addr("10.0.0.1:40002"));
	assert_eq!((c1.cookie.key_id, c3.cookie.key_id), (0, 1));
	// One rotation: the previous secret is still accepted.
	assert!(submit_fresh(&mut b, T0 + 2, b_addr(), a_addr(), &solve(&c1, &identity(1))).is_ok());
	// Two rotations: the cookie's secret is gone.
	b.rotate_secret(T0 + 3);
	assert_eq!(
		submit_fresh(&mut b, T0 + 4, b_addr(), addr("10.0.0.1:40001"), &solve(&c2, &identity(3))),
		Err(CloseReason::Proof(ProofError::UnknownSecret { key_id: 0 }))
	);
	assert!(submit_fresh(
		&mut b,
		T0 + 4,
		b_addr(),
		addr("10.0.0.1:40002"),
		&solve(&c3, &identity(4))
	)
	.is_ok());
	assert_logged(&["expired secret (key id 0)"]);
}

#[test]
fn secret_rotates_on_its_own() {
	let cfg = test_config();
	let mut b = machine(2, cfg.clone());
	let (_, c1) = request_challenge(&mut b, T0, b_addr(), a_addr());
	assert!(b.next_deadline() <= T0 + cfg.secret_rotation_ms);
	b.on_tick(T0 + cfg.secret_rotation_ms);
	let (_, c2) = request_challenge(&mut b, T0 + cfg.secret_rotation_ms, b_addr(), a_addr());
	assert_eq!((c1.cookie.key_id, c2.cookie.key_id), (0, 1));
}

#[test]
fn replay_cache_refuses_when_full_then_recovers() {
	let mut cfg = test_config();
	cfg.replay_capacity = 2;
	let mut b = machine(2, cfg.clone());
	let mut proofs = Vec::new();
	for port in 0..3u16 {
		let remote = addr(&format!("10.0.0.1:{}", 41_000 + port));
		let (_, ch) = request_challenge(&mut b, T0, b_addr(), remote);
		proofs.push((remote, solve(&ch, &identity(10 + port as u8))));
	}
	assert!(submit_fresh(&mut b, T0 + 1, b_addr(), proofs[0].0, &proofs[0].1).is_ok());
	assert!(submit_fresh(&mut b, T0 + 1, b_addr(), proofs[1].0, &proofs[1].1).is_ok());
	assert_eq!(
		submit_fresh(&mut b, T0 + 1, b_addr(), proofs[2].0, &proofs[2].1),
		Err(CloseReason::Proof(ProofError::ReplayCacheFull))
	);
	assert_eq!(b.stats().replay_entries, 2);
	// Once the recorded cookies have expired their tags are dropped and proofs pass again.
	let later = T0 + cfg.cookie_lifetime_ms + cfg.replay_bucket_ms + 1;
	b.on_tick(later);
	assert_eq!(b.stats().replay_entries, 0);
	let remote = addr("10.0.0.1:42000");
	let (_, ch) = request_challenge(&mut b, later, b_addr(), remote);
	assert!(submit_fresh(&mut b, later, b_addr(), remote, &solve(&ch, &identity(20))).is_ok());
}

/// A valid proof from a fresh source `i` (request, solve, submit on the same connection).
fn connect_source(
	b: &mut crate::GateMachine,
	now: u64,
	i: u32,
	who: u8,
) -> Result<(), CloseReason> {
	let remote = addr(&format!("10.1.{}.{}:5000", i / 250, i % 250 + 1));
	let (conn, ch) = request_challenge(b, now, b_addr(), remote);
	let r = submit_on(b, now, conn, &solve(&ch, &identity(who)));
	b.disconnect(conn);
	drain(b);
	r
}

#[test]
fn effort_rises_with_verified_proofs_and_decays() {
	let mut cfg = test_config();
	cfg.effort.proof_rate_knee = 10.0; // 10 verified proofs/s is "normal"
	cfg.effort.max_effort = 16 * 8;
	cfg.replay_capacity = 4096;
	let mut b = machine(2, cfg.clone());
	assert_eq!(b.current_effort(T0), 16);
	// 200 proofs within 100 ms: far above the knee. Every third has a bad signature: it was
	// verified all the same (cookie and work valid), so it counts.
	let mut last = 0;
	for i in 0..200u32 {
		let now = T0 + i as u64 / 2;
		let remote = addr(&format!("10.1.{}.{}:5000", i / 250, i % 250 + 1));
		let (conn, ch) = request_challenge(&mut b, now, b_addr(), remote);
		assert!(ch.cookie.effort >= last, "effort never drops during the burst");
		last = ch.cookie.effort;
		let mut proof = solve(&ch, &identity(1));
		if i % 3 == 0 {
			proof.identity = identity(7).id();
		}
		let r = submit_on(&mut b, now, conn, &proof);
		assert_eq!(r.is_err(), i % 3 == 0, "{r:?}");
		b.disconnect(conn);
		drain(&mut b);
	}
	assert_eq!(last, 16 * 8, "bounded by max_effort");
	assert_eq!(b.stats().proofs_verified, 200);
	// Decay: half-life 1 s.
	let e1 = b.current_effort(T0 + 3_000);
	let e2 = b.current_effort(T0 + 20_000);
	assert!(e1 < 16 * 8 && e1 > 16, "decaying: {e1}");
	assert_eq!(e2, 16, "back to min_effort");
}

#[test]
fn workless_load_does_not_raise_the_effort() {
	// Knees as low as they go: a single verified proof per second would raise the effort.
	let mut cfg = test_config();
	cfg.effort.proof_rate_knee = 1.0;
	cfg.effort.slot_knee = 0.01;
	cfg.max_half_open = 1024;
	let mut b = machine(2, cfg);
	let mut pending = None;
	// 3,000 workless requests within 30 ms, 1,000 of them left half-open, plus refused proofs
	// that cost no signature check: forged cookies and wrong nonces.
	for i in 0..3000u32 {
		let now = T0 + i as u64 / 100;
		let remote = addr(&format!("10.2.{}.{}:{}", i / 250 % 250, i % 250 + 1, 1000 + i / 62500));
		let (conn, ch) = request_challenge(&mut b, now, b_addr(), remote);
		assert_eq!(ch.cookie.effort, 16, "request {i}: a workless flood taxes nobody");
		match i % 3 {
			0 => {}, // stays half-open
			1 => {
				let mut p = solve(&ch, &identity(1));
				p.cookie.tag[0] ^= 1;
				assert_eq!(
					submit_on(&mut b, now, conn, &p),
					Err(CloseReason::Proof(ProofError::ForgedCookie))
				);
			},
			_ => {
				let pre = crate::cookie::conn_pre_image(
					&ch.challenge,
					&ch.initiator,
					&ch.responder,
					ch.cookie.issued_at,
				);
				let bad = (0u64..)
					.find(|n| !gpow_primitives_pow::nonce_meets(&pre, *n, 16u64.into()))
					.unwrap();
				assert_eq!(
					submit_on(&mut b, now, conn, &sign(&ch, bad, &identity(1))),
					Err(CloseReason::Proof(ProofError::InsufficientWork))
				);
			},
		}
		if i == 0 {
			pending = Some((conn, ch));
		}
		drain(&mut b);
	}
	let stats = b.stats();
	assert_eq!(stats.half_open, 1000);
	assert_eq!((stats.proofs_verified, stats.challenges_issued), (0, 3000));
	assert_eq!(b.current_effort(T0 + 30), 16);
	// The honest client that asked first is still served at the effort it was given.
	let (conn, ch) = pending.unwrap();
	assert_eq!(submit_on(&mut b, T0 + 31, conn, &solve(&ch, &identity(1))), Ok(()));
	// One verified proof is load that costs the gate: now the effort rises.
	assert!(b.current_effort(T0 + 31) > 16);
}

#[test]
fn effort_rises_with_connection_slot_occupancy() {
	let mut cfg = test_config();
	cfg.max_peers = 4;
	cfg.effort.slot_knee = 0.5;
	let mut b = machine(2, cfg);
	let mut efforts = vec![b.current_effort(T0)];
	for who in [10u8, 11, 12, 13] {
		let remote = addr(&format!("10.3.0.{who}:5000"));
		let (conn, ch) = request_challenge(&mut b, T0, b_addr(), remote);
		assert_eq!(submit_on(&mut b, T0, conn, &solve(&ch, &identity(who))), Ok(()));
		efforts.push(b.current_effort(T0));
	}
	// 0 and 1 and 2 of 4 slots: at or below the knee; 3 of 4: 1.5x; full: 2x.
	assert_eq!(efforts, vec![16, 16, 16, 24, 32]);
	assert_eq!(b.stats().established, 4);
}

#[test]
fn cookie_keeps_the_effort_it_was_issued_with() {
	let mut cfg = test_config();
	cfg.effort.proof_rate_knee = 1.0;
	let mut b = machine(2, cfg);
	let (_, low) = request_challenge(&mut b, T0, b_addr(), a_addr());
	for i in 0..20 {
		connect_source(&mut b, T0 + 1, i, 20 + i as u8).expect("valid proof");
	}
	assert!(b.current_effort(T0 + 2) > low.cookie.effort);
	assert!(submit_fresh(&mut b, T0 + 2, b_addr(), a_addr(), &solve(&low, &identity(1))).is_ok());
}

#[test]
fn half_open_cap_evicts_the_oldest() {
	let mut cfg = test_config();
	cfg.max_half_open = 3;
	let mut b = machine(2, cfg);
	let ids: Vec<_> = (0..4u16)
		.map(|i| b.accept(T0 + i as u64, b_addr(), addr(&format!("10.0.0.1:{}", 1000 + i))))
		.collect();
	let actions = drain(&mut b);
	assert_eq!(closes(&actions), vec![(ids[0], CloseReason::HalfOpenEvicted)]);
	assert_eq!(b.stats().half_open, 3);
}

#[test]
fn handshake_timeouts_close_half_open_connections() {
	let cfg = test_config();
	let mut b = machine(2, cfg.clone());
	let silent = b.accept(T0, b_addr(), a_addr());
	let (asked, _) = request_challenge(&mut b, T0, b_addr(), addr("10.0.0.1:40001"));
	assert_eq!(b.next_deadline(), T0 + cfg.init_timeout_ms);
	b.on_tick(T0 + cfg.init_timeout_ms);
	assert_eq!(
		closes(&drain(&mut b)),
		vec![(silent, CloseReason::HandshakeTimeout { state: "AwaitInit" })]
	);
	b.on_tick(T0 + cfg.cookie_lifetime_ms);
	assert_eq!(
		closes(&drain(&mut b)),
		vec![(asked, CloseReason::HandshakeTimeout { state: "AwaitProof" })]
	);
	assert_eq!(b.stats().connections, 0);
	assert_logged(&["handshake timeout in state AwaitInit"]);
}

#[test]
fn messages_out_of_order_close_the_connection() {
	let mut b = machine(2, test_config());
	let ok = Message::ConnOk(ConnOk { identity: identity(1).id(), signature: [0; 64] });
	let keep = Message::KeepChall(identity(1).sign_keep_chall(crate::attest::KeepChall {
		round: 1,
		issuer: identity(1).id(),
		addressee: b.id(),
		salt: [0; 16],
	}));
	// Responder in AwaitInit: CONN_OK, KEEP_CHALL.
	for msg in [&ok, &keep] {
		let c = b.accept(T0, b_addr(), a_addr());
		b.on_bytes(T0, c, &encode_frame(msg));
		let reason = closes(&drain(&mut b)).pop().expect("closed").1;
		assert!(matches!(reason, CloseReason::UnexpectedMessage { state: "AwaitInit", .. }));
	}
	// Responder in AwaitProof: a second request.
	let (c, _) = request_challenge(&mut b, T0, b_addr(), a_addr());
	b.on_bytes(T0, c, &encode_frame(&Message::ConnInit(ConnInit::Request)));
	assert_eq!(
		closes(&drain(&mut b)),
		vec![(
			c,
			CloseReason::UnexpectedMessage { state: "AwaitProof", message: "CONN_INIT(request)" }
		)]
	);
	assert_logged(&["message out of order: CONN_INIT(request) in state AwaitProof"]);
	// Initiator in AwaitChall: CONN_OK.
	let mut a = machine(1, test_config());
	let c = a.connect(T0, a_addr(), b_addr(), None);
	a.on_bytes(T0, c, &encode_frame(&ok));
	assert!(matches!(
		closes(&drain(&mut a)).pop().expect("closed").1,
		CloseReason::UnexpectedMessage { state: "AwaitChall", message: "CONN_OK" }
	));
	// Established: a CONN_INIT.
	let mut net = Net::new(2, test_config());
	let (ca, _) = net.connect(0, 1, T0);
	net.inject(0, ca, &Message::ConnInit(ConnInit::Request), T0);
	assert!(net.nodes[1].closes.iter().any(|(_, r)| matches!(
		r,
		CloseReason::UnexpectedMessage { state: "Established", message: "CONN_INIT(request)" }
	)));
	assert!(!net.linked(0, ca));
}

#[test]
fn bad_frames_close_the_connection() {
	let mut b = machine(2, test_config());
	let mut oversized = 513u32.to_be_bytes().to_vec();
	oversized.push(1);
	let mut unknown = encode_frame(&Message::ConnInit(ConnInit::Request));
	unknown[4] = 7;
	let garbage = [0, 0, 0, 3, 1, 0xee, 0xff];
	let mut trailing = encode_frame(&Message::ConnInit(ConnInit::Request));
	trailing[3] += 1;
	trailing.push(0);
	let empty = [0u8, 0, 0, 0];
	let cases: [(&[u8], FrameError); 5] = [
		(&oversized, FrameError::Oversized { len: 513, max: 512 }),
		(&unknown, FrameError::UnknownVersion(7)),
		(&garbage, FrameError::Malformed),
		(&trailing, FrameError::Malformed),
		(&empty, FrameError::Empty),
	];
	for (bytes, expected) in cases {
		let c = b.accept(T0, b_addr(), a_addr());
		b.on_bytes(T0, c, bytes);
		assert_eq!(closes(&drain(&mut b)), vec![(c, CloseReason::Frame(expected))]);
	}
	assert_logged(&["unknown frame version 7"]);
	assert_logged(&["oversized frame: 513 bytes announced, limit 512"]);
	assert_logged(&["garbage frame"]);
	// Truncated: the stream ends inside a frame.
	let c = b.accept(T0, b_addr(), a_addr());
	b.on_bytes(T0, c, &[0, 0, 0, 9, 1, 0]);
	b.on_transport_closed(c);
	assert!(drain(&mut b).is_empty(), "no close action: the transport is already gone");
	assert_eq!(b.stats().connections, 0);
	assert_logged(&["truncated frame: stream ended with 6 bytes"]);
}

#[test]
fn initiator_refuses_excessive_effort() {
	let mut cfg = test_config();
	cfg.max_solve_effort = 8;
	let mut net = Net::new(2, test_config());
	net.nodes[0].m = machine(1, cfg);
	let (ca, _) = net.connect(0, 1, T0);
	assert_eq!(
		net.nodes[0].closes,
		vec![(ca, CloseReason::ChallengeTooHard { effort: 16, max: 8 })]
	);
	assert!(matches!(
		net.nodes[0].events.last(),
		Some(GateEvent::Disconnected {
			peer: None,
			reason: CloseReason::ChallengeTooHard { .. },
			..
		})
	));
}

#[test]
fn initiator_checks_the_responder_identity() {
	// Expected identity mismatch.
	let mut a = machine(1, test_config());
	let mut b = machine(2, test_config());
	let ca = a.connect(T0, a_addr(), b_addr(), Some(identity(9).id()));
	let cb = b.accept(T0, b_addr(), a_addr());
	pump(&mut a, ca, &mut b, cb);
	let reasons: Vec<_> = closes(&drain(&mut a)).into_iter().map(|(_, r)| r).collect();
	assert!(
		reasons.contains(&CloseReason::WrongPeer {
			expected: identity(9).id(),
			got: identity(2).id()
		}),
		"{reasons:?}"
	);
	// A CONN_OK signed by a key other than the one it names.
	let mut a = machine(1, test_config());
	let mut b = machine(2, test_config());
	let ca = a.connect(T0, a_addr(), b_addr(), None);
	let cb = b.accept(T0, b_addr(), a_addr());
	// Run the handshake up to A's proof, then answer with a forged CONN_OK.
	let req = frames(&drain(&mut a), ca);
	b.on_bytes(T0, cb, &req);
	let chall = frames(&drain(&mut b), cb);
	a.on_bytes(T0, ca, &chall);
	let job = drain(&mut a)
		.into_iter()
		.find_map(|x| match x {
			Action::Solve(j) => Some(j),
			_ => None,
		})
		.unwrap();
	let nonce = job.solve(&Default::default()).unwrap();
	a.on_handshake_solved(T0, ca, nonce);
	drain(&mut a);
	let forged = ConnOk {
		identity: identity(2).id(),
		signature: identity(3).sign(&ok_transcript(&[0; 16], &identity(1).id())),
	};
	a.on_bytes(T0, ca, &encode_frame(&Message::ConnOk(forged)));
	assert_eq!(closes(&drain(&mut a)), vec![(ca, CloseReason::BadOkSignature)]);
}

/// Concatenated frames sent on `conn`.
fn frames(actions: &[Action], conn: u64) -> Vec<u8> {
	actions
		.iter()
		.filter_map(|x| match x {
			Action::Send { conn: c, frame } if *c == conn => Some(frame.clone()),
			_ => None,
		})
		.flatten()
		.collect()
}

/// Runs a two-machine handshake to completion.
fn pump(a: &mut crate::GateMachine, ca: u64, b: &mut crate::GateMachine, cb: u64) {
	for _ in 0..10 {
		let acts = drain(a);
		for x in &acts {
			if let Action::Solve(job) = x {
				let n = job.solve(&Default::default()).unwrap();
				a.on_handshake_solved(T0, ca, n);
			}
		}
		let mut acts2 = drain(a);
		acts2.splice(0..0, acts);
		b.on_bytes(T0, cb, &frames(&acts2, ca));
		let back = frames(&drain(b), cb);
		a.on_bytes(T0, ca, &back);
		if a.peers().next().is_some() || a.stats().connections == 0 {
			return;
		}
	}
}

#[test]
fn self_connection_duplicates_and_peer_limit() {
	// Self: a gate answering its own proof.
	let mut b = machine(2, test_config());
	let (_, ch) = request_challenge(&mut b, T0, b_addr(), a_addr());
	assert_eq!(
		submit_fresh(&mut b, T0, b_addr(), a_addr(), &solve(&ch, &identity(2))),
		Err(CloseReason::SelfConnection)
	);
	// Duplicate: the same initiator twice in the same direction keeps the first.
	let mut net = Net::new(2, test_config());
	let (first, _) = net.connect(0, 1, T0);
	let (second, _) = net.connect(0, 1, T0 + 1);
	assert!(net.linked(0, first) && !net.linked(0, second));
	assert!(net.nodes[1].closes.iter().any(|(_, r)| *r == CloseReason::DuplicatePeer));
	// Crossing dials: both ends keep the connection dialed by the smaller identity.
	let mut net = Net::new(2, test_config());
	let (a_out, b_in) = net.connect(0, 1, T0);
	let (b_out, a_in) = net.connect(1, 0, T0 + 1);
	let smaller_is_a = net.nodes[0].m.id() < net.nodes[1].m.id();
	let (kept_a, kept_b) = if smaller_is_a { (a_out, b_in) } else { (a_in, b_out) };
	assert_eq!(net.conn(0, 1), kept_a);
	assert_eq!(net.conn(1, 0), kept_b);
	assert!(net.linked(0, kept_a));
	// Peer limit.
	let mut cfg = test_config();
	cfg.max_peers = 1;
	let mut net = Net::new(3, test_config());
	net.nodes[2].m = machine(3, cfg);
	net.connect(0, 2, T0);
	net.connect(1, 2, T0);
	assert!(net.nodes[2].closes.iter().any(|(_, r)| *r == CloseReason::PeerLimit));
	assert_eq!(net.nodes[2].m.stats().established, 1);
}
