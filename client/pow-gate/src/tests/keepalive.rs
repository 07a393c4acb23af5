//! Keep-alive rounds: KEEP_CHALL / KEEP_POW between simulated gates, and every teardown.

use super::harness::*;
use crate::{
	attest::{KeepChall, KeepPow, KeepPowError},
	machine::{CloseReason, GateEvent},
	wire::Message,
};

const PERIOD: u64 = 1_000;
const WINDOW: u64 = 250;
const DEADLINE: u64 = 900;

/// Three gates, all connected to each other before round 1 (relative to T0).
fn triangle() -> Net {
	let mut net = Net::new(3, test_config());
	net.connect(0, 1, T0 + 10);
	net.connect(0, 2, T0 + 20);
	net.connect(1, 2, T0 + 30);
	net.clear();
	net
}

fn round_of(t: u64) -> u64 {
	t / PERIOD
}

/// Runs one full round starting at `start`.
fn run_round(net: &mut Net, start: u64) {
	net.tick(start);
	net.tick(start + WINDOW);
	net.tick(start + DEADLINE);
}

#[test]
fn peers_keep_each_other_alive_for_several_rounds() {
	let mut net = triangle();
	for k in 1..=4u64 {
		let start = T0 + k * PERIOD;
		run_round(&mut net, start);
		let round = round_of(start);
		for (i, node) in net.nodes.iter().enumerate() {
			assert!(node.closes.is_empty(), "node {i} closed {:?}", node.closes);
			assert!(node.events.contains(&GateEvent::RoundStarted { round, challenged: 2 }));
			let produced: Vec<&KeepPow> = node
				.events
				.iter()
				.filter_map(|e| match e {
					GateEvent::KeepPowProduced { keep_pow } if keep_pow.round == round => {
						Some(keep_pow)
					},
					_ => None,
				})
				.collect();
			assert_eq!(produced.len(), 1, "node {i} produced one proof for round {round}");
			let pow = produced[0];
			assert_eq!(pow.prover, node.m.id());
			assert_eq!(pow.challenges.len(), 2, "one challenge from each peer");
			// The attestation verifies on its own.
			let verified = pow.verify(&test_config().keepalive.params()).expect("valid");
			assert_eq!(verified.issuers.len(), 2);
			let proved = node
				.events
				.iter()
				.filter(
					|e| matches!(e, GateEvent::PeerProved { keep_pow, .. } if keep_pow.round == round),
				)
				.count();
			assert_eq!(proved, 2, "node {i} saw both peers prove round {round}");
		}
		net.clear();
	}
	for node in &net.nodes {
		assert_eq!(node.m.stats().established, 2);
	}
}

#[test]
fn connections_join_the_round_after_they_are_established() {
	let mut net = Net::new(2, test_config());
	// Established in the middle of round r0: nothing is expected until the next round.
	net.connect(0, 1, T0 + 500);
	net.tick(T0 + 600);
	net.tick(T0 + 900);
	assert!(net.nodes.iter().all(|n| n.closes.is_empty()));
	run_round(&mut net, T0 + PERIOD);
	assert!(net.nodes.iter().all(|n| n.closes.is_empty()));
	assert!(net.nodes[0].events.iter().any(|e| matches!(e, GateEvent::PeerProved { .. })));
}

#[test]
fn a_peer_that_stops_answering_is_disconnected() {
	let mut net = triangle();
	let start = T0 + PERIOD;
	net.nodes[2].muted = true; // gate 2 sends nothing any more
	run_round(&mut net, start);
	let round = round_of(start);
	let c02 = net.nodes[0].m.peers().count();
	assert_eq!(c02, 1, "gate 0 dropped gate 2");
	assert!(net.nodes[0]
		.closes
		.iter()
		.any(|(_, r)| *r == CloseReason::KeepPowMissing { round }));
	assert!(net.nodes[1]
		.closes
		.iter()
		.any(|(_, r)| *r == CloseReason::KeepPowMissing { round }));
	assert!(net.nodes[0].events.iter().any(|e| matches!(
		e,
		GateEvent::Disconnected { peer: Some(p), reason: CloseReason::KeepPowMissing { .. }, .. }
			if *p == net.nodes[2].m.id()
	)));
	// Gates 0 and 1 still keep each other.
	assert_eq!(net.nodes[1].m.peers().count(), 1);
	assert_logged(&["no KEEP_POW for round"]);
}

/// Round started and gate 1's KEEP_POW for gate 0 captured instead of delivered. Returns the
/// net, the round start, gate 1's conn to gate 0, and the captured proof.
fn captured_proof() -> (Net, u64, u64, KeepPow) {
	let mut net = Net::new(2, test_config());
	net.connect(0, 1, T0 + 10);
	let start = T0 + PERIOD;
	net.tick(start);
	net.nodes[1].muted = true;
	net.tick(start + WINDOW);
	let c10 = net.conn(1, 0);
	let pow = net.nodes[1]
		.captured
		.iter()
		.find_map(|(c, m)| match m {
			Message::KeepPow(p) if *c == c10 => Some(p.clone()),
			_ => None,
		})
		.expect("gate 1 proved");
	net.nodes[1].muted = false;
	net.clear();
	(net, start, c10, pow)
}

#[test]
fn captured_proof_is_accepted_in_time() {
	let (mut net, start, c10, pow) = captured_proof();
	net.inject(1, c10, &Message::KeepPow(pow), start + DEADLINE);
	assert!(net.nodes[0].closes.is_empty());
	assert!(net.nodes[0].events.iter().any(|e| matches!(e, GateEvent::PeerProved { .. })));
	net.nodes[0].m.on_tick(start + DEADLINE);
	net.run(start + DEADLINE);
	assert!(net.nodes[0].closes.is_empty());
}

#[test]
fn late_proof_ends_the_connection() {
	let (mut net, start, c10, pow) = captured_proof();
	let round = round_of(start);
	net.inject(1, c10, &Message::KeepPow(pow), start + DEADLINE + 1);
	assert_eq!(net.nodes[0].closes.len(), 1);
	assert_eq!(net.nodes[0].closes[0].1, CloseReason::KeepPowLate { round });
	assert_logged(&["late KEEP_POW for round"]);
}

#[test]
fn proof_missing_our_challenge_ends_the_connection() {
	let (mut net, start, c10, pow) = captured_proof();
	let round = round_of(start);
	// Gate 1 proves over a challenge from a third gate instead of gate 0's.
	let third = identity(9);
	let other = third.sign_keep_chall(KeepChall {
		round,
		issuer: third.id(),
		addressee: pow.prover,
		salt: [1; 16],
	});
	let mut forged = KeepPow::new(round, pow.prover, vec![other]);
	assert!(forged.solve(8, 0, 1 << 20));
	net.inject(1, c10, &Message::KeepPow(forged), start + WINDOW + 1);
	assert_eq!(net.nodes[0].closes[0].1, CloseReason::KeepPowOmitsChallenge { round });
	assert_logged(&["omits our challenge"]);
}

#[test]
fn proof_failing_the_effort_ends_the_connection() {
	let (mut net, start, c10, mut pow) = captured_proof();
	let round = round_of(start);
	let pre = pow.pre_image();
	let required = pow.required(8);
	pow.nonce = (0u64..)
		.find(|n| {
			!gpow_primitives_pow::meets_difficulty(
				&gpow_primitives_pow::work_hash(&pre, *n),
				required,
			)
		})
		.unwrap();
	net.inject(1, c10, &Message::KeepPow(pow), start + WINDOW + 1);
	assert_eq!(
		net.nodes[0].closes[0].1,
		CloseReason::KeepPowInvalid { round, error: KeepPowError::InsufficientWork }
	);
}

#[test]
fn proof_for_another_prover_ends_the_connection() {
	let (mut net, start, c10, mut pow) = captured_proof();
	pow.prover = identity(9).id();
	net.inject(1, c10, &Message::KeepPow(pow), start + WINDOW + 1);
	assert_eq!(
		net.nodes[0].closes[0].1,
		CloseReason::KeepPowWrongProver { round: round_of(start) }
	);
}

/// Builds a message from the state of a net.
type MakeMsg = Box<dyn Fn(&Net) -> Message>;

#[test]
fn bad_keep_challs_end_the_connection() {
	let start = T0 + PERIOD;
	let round = round_of(start);
	let cases: Vec<(MakeMsg, &str)> = vec![
		(
			Box::new(move |net: &Net| {
				// Signed by someone else.
				let mut c = identity(2).sign_keep_chall(KeepChall {
					round,
					issuer: net.nodes[1].m.id(),
					addressee: net.nodes[0].m.id(),
					salt: [0; 16],
				});
				c.signature = identity(9).sign(&c.chall.signing_message());
				Message::KeepChall(c)
			}),
			"invalid signature",
		),
		(
			Box::new(move |net: &Net| {
				Message::KeepChall(identity(2).sign_keep_chall(KeepChall {
					round,
					issuer: net.nodes[1].m.id(),
					addressee: identity(9).id(),
					salt: [0; 16],
				}))
			}),
			"addressed to another gate",
		),
		(
			Box::new(move |net: &Net| {
				Message::KeepChall(identity(9).sign_keep_chall(KeepChall {
					round,
					issuer: identity(9).id(),
					addressee: net.nodes[0].m.id(),
					salt: [0; 16],
				}))
			}),
			"issuer is not the peer",
		),
	];
	for (make, why) in cases {
		let mut net = Net::new(2, test_config());
		net.connect(0, 1, T0 + 10);
		net.clear();
		let msg = make(&net);
		let c10 = net.conn(1, 0);
		net.inject(1, c10, &msg, start + 1);
		assert_eq!(net.nodes[0].closes[0].1, CloseReason::BadKeepChall(why), "{why}");
	}
	// A second challenge in the same round.
	let mut net = Net::new(2, test_config());
	net.connect(0, 1, T0 + 10);
	net.tick(start);
	let c10 = net.conn(1, 0);
	let again = identity(2).sign_keep_chall(KeepChall {
		round,
		issuer: identity(2).id(),
		addressee: identity(1).id(),
		salt: [5; 16],
	});
	net.inject(1, c10, &Message::KeepChall(again), start + 2);
	assert_eq!(
		net.nodes[0].closes[0].1,
		CloseReason::BadKeepChall("second challenge in one round")
	);
}

#[test]
fn challenges_outside_their_window_are_ignored() {
	let mut net = Net::new(2, test_config());
	net.connect(0, 1, T0 + 10);
	let c10 = net.conn(1, 0);
	let chall = |round: u64| {
		Message::KeepChall(identity(2).sign_keep_chall(KeepChall {
			round,
			issuer: identity(2).id(),
			addressee: identity(1).id(),
			salt: [3; 16],
		}))
	};
	let r1 = round_of(T0 + PERIOD);
	// Too late for round r1, far too early for round r1 + 5: ignored, not a teardown.
	net.inject(1, c10, &chall(r1), T0 + PERIOD + WINDOW + 1);
	net.inject(1, c10, &chall(r1 + 5), T0 + PERIOD + WINDOW + 1);
	assert!(net.nodes[0].closes.is_empty());
	assert_logged(&["outside its window"]);
	// Slightly early (peer clock ahead, within the window): kept for its round.
	net.inject(1, c10, &chall(r1 + 1), T0 + 2 * PERIOD - 10);
	assert!(net.nodes[0].closes.is_empty());
}

#[test]
fn next_deadline_follows_the_round_schedule() {
	let mut net = Net::new(2, test_config());
	net.connect(0, 1, T0 + 10);
	let m = &mut net.nodes[0].m;
	assert_eq!(m.next_deadline(), T0 + PERIOD);
	m.on_tick(T0 + PERIOD);
	assert_eq!(m.next_deadline(), T0 + PERIOD + WINDOW);
	m.on_tick(T0 + PERIOD + WINDOW);
	assert_eq!(m.next_deadline(), T0 + PERIOD + DEADLINE);
	m.on_tick(T0 + PERIOD + DEADLINE);
	assert_eq!(m.next_deadline(), T0 + 2 * PERIOD);
}

#[test]
fn a_round_whose_window_passed_is_skipped_not_started_late() {
	// Gate 0 stalls over the start of round r: gate 1 challenges it on time, gate 0's driver
	// only ticks after the collection window. Gate 0 must not send challenges nobody would
	// accept any more, nor drop gate 1 for not proving them; it still proves gate 1's challenge.
	let mut net = Net::new(2, test_config());
	net.connect(0, 1, T0 + 10);
	net.clear();
	let start = T0 + PERIOD;
	let round = round_of(start);
	net.nodes[1].m.on_tick(start);
	net.run(start);
	net.nodes[1].m.on_tick(start + WINDOW);
	net.run(start + WINDOW);
	// Capture what gate 0 sends when it wakes up, then deliver it.
	let now = start + WINDOW + 10;
	net.nodes[0].muted = true;
	net.nodes[0].m.on_tick(now);
	net.run(now);
	net.nodes[0].muted = false;
	let captured = std::mem::take(&mut net.nodes[0].captured);
	assert!(
		!captured.iter().any(|(_, m)| matches!(m, Message::KeepChall(_))),
		"no KEEP_CHALL sent for a round whose window has passed"
	);
	assert!(captured.iter().any(|(_, m)| matches!(m, Message::KeepPow(_))));
	for (conn, m) in captured {
		net.inject(0, conn, &m, now);
	}
	assert_logged(&["round", "skipped", "window closed"]);
	assert!(!net.nodes[0].events.iter().any(|e| matches!(e, GateEvent::RoundStarted { .. })));
	assert!(net.nodes[0]
		.events
		.iter()
		.any(|e| matches!(e, GateEvent::KeepPowProduced { keep_pow } if keep_pow.round == round)));
	net.tick(start + DEADLINE);
	assert!(net.nodes.iter().all(|n| n.closes.is_empty()), "nobody dropped");
	assert!(net.nodes[1].events.iter().any(|e| matches!(e, GateEvent::PeerProved { .. })));
	// Both stalled past the window: the round is skipped on both sides, nobody is dropped,
	// and the next round runs normally.
	net.clear();
	let start = T0 + 2 * PERIOD;
	net.tick(start + WINDOW);
	net.tick(start + DEADLINE);
	assert!(net.nodes.iter().all(|n| n.closes.is_empty()));
	assert!(net
		.nodes
		.iter()
		.all(|n| !n.events.iter().any(|e| matches!(e, GateEvent::RoundStarted { .. }))));
	run_round(&mut net, T0 + 3 * PERIOD);
	assert!(net.nodes.iter().all(|n| n.closes.is_empty()));
	let r3 = round_of(T0 + 3 * PERIOD);
	for n in &net.nodes {
		assert!(n.events.contains(&GateEvent::RoundStarted { round: r3, challenged: 1 }));
		assert!(n
			.events
			.iter()
			.any(|e| matches!(e, GateEvent::PeerProved { keep_pow, .. } if keep_pow.round == r3)));
	}
	// A tick exactly at a round's start (the normal case) starts it.
	assert_eq!(net.nodes[0].m.next_deadline(), T0 + 4 * PERIOD);
}
