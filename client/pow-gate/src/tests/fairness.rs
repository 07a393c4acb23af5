//! Per-source fairness before any work: request buckets, half-open shares, bounded memory.

use super::harness::*;
use crate::{
	config::{GateConfig, SourceLimitConfig},
	machine::CloseReason,
	source::{SourceKey, SourceLimiter},
	wire::{encode_frame, ConnInit, Message},
};
use std::net::SocketAddr;

fn b_addr() -> SocketAddr {
	addr("10.0.0.2:30333")
}

fn limited(rate: f64, burst: f64) -> GateConfig {
	let mut cfg = test_config();
	cfg.source_limit = SourceLimitConfig {
		init_rate: rate,
		init_burst: burst,
		buckets: 1024,
		max_half_open_per_source: 1 << 20,
	};
	cfg
}

/// Sends `CONN_INIT(request)` on a fresh connection from `remote`: `Ok` with the connection if a
/// `CONN_CHALL` came back, else the close reason.
fn ask(b: &mut crate::GateMachine, now: u64, remote: &str) -> Result<u64, CloseReason> {
	let conn = b.accept(now, b_addr(), addr(remote));
	b.on_bytes(now, conn, &encode_frame(&Message::ConnInit(ConnInit::Request)));
	let actions = drain(b);
	if let Some((_, reason)) = closes(&actions).into_iter().find(|(c, _)| *c == conn) {
		return Err(reason);
	}
	assert!(sent(&actions)
		.iter()
		.any(|(c, m)| *c == conn && matches!(m, Message::ConnChall(_))));
	Ok(conn)
}

#[test]
fn requests_are_metered_per_source() {
	let mut b = machine(2, limited(10.0, 5.0));
	for port in 0..5 {
		assert!(ask(&mut b, T0, &format!("10.9.0.1:{}", 1000 + port)).is_ok(), "burst");
	}
	assert_eq!(ask(&mut b, T0, "10.9.0.1:2000"), Err(CloseReason::SourceRateLimited));
	assert_logged(&["rate limit of the source exceeded"]);
	// Another source is not affected.
	assert!(ask(&mut b, T0, "10.9.0.2:1000").is_ok());
	// 10 per second: one token back after 100 ms, not before.
	assert_eq!(ask(&mut b, T0 + 50, "10.9.0.1:2001"), Err(CloseReason::SourceRateLimited));
	assert!(ask(&mut b, T0 + 150, "10.9.0.1:2002").is_ok());
	assert_eq!(ask(&mut b, T0 + 150, "10.9.0.1:2003"), Err(CloseReason::SourceRateLimited));
	// Refill is capped at the burst.
	for port in 0..5 {
		assert!(ask(&mut b, T0 + 60_000, &format!("10.9.0.1:{}", 3000 + port)).is_ok());
	}
	assert_eq!(ask(&mut b, T0 + 60_000, "10.9.0.1:4000"), Err(CloseReason::SourceRateLimited));
	let stats = b.stats();
	assert_eq!(stats.rate_limited, 4);
	assert_eq!(stats.challenges_issued, 5 + 1 + 1 + 5);
	// Refused requests leave nothing behind.
	assert_eq!(stats.half_open, 12);
}

#[test]
fn proofs_are_never_metered() {
	let mut b = machine(2, limited(1.0, 1.0));
	let a = addr("10.9.0.1:1000");
	let (conn, chall) = request_challenge(&mut b, T0, b_addr(), a);
	// The source's bucket is empty now ...
	assert_eq!(ask(&mut b, T0, "10.9.0.1:1001"), Err(CloseReason::SourceRateLimited));
	// ... yet its proof goes through, on the same connection or as the first message of a new
	// one with the same endpoints.
	let proof = solve(&chall, &identity(1));
	b.disconnect(conn);
	drain(&mut b);
	assert!(submit_fresh(&mut b, T0 + 1, b_addr(), a, &proof).is_ok());
	assert_eq!(b.stats().established, 1);
}

#[test]
fn an_infinite_rate_turns_metering_off() {
	let mut b = machine(2, limited(f64::INFINITY, 1.0));
	for port in 0..100 {
		assert!(ask(&mut b, T0, &format!("10.9.0.1:{}", 1000 + port)).is_ok());
	}
	assert_eq!(b.stats().rate_limited, 0);
}

#[test]
fn sources_are_ipv4_addresses_and_ipv6_slash_64s() {
	let key = |s: &str| SourceKey::of(s.parse().unwrap());
	assert_eq!(key("10.0.0.1"), key("::ffff:10.0.0.1"));
	assert_ne!(key("10.0.0.1"), key("10.0.0.2"));
	assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff::9"));
	assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
	// One /64 shares one bucket: rotating addresses inside it does not help.
	let mut b = machine(2, limited(0.0, 2.0));
	assert!(ask(&mut b, T0, "[2001:db8:1:2::1]:1000").is_ok());
	assert!(ask(&mut b, T0, "[2001:db8:1:2::2]:1000").is_ok());
	assert_eq!(ask(&mut b, T0, "[2001:db8:1:2::3]:1000"), Err(CloseReason::SourceRateLimited));
	assert!(ask(&mut b, T0, "[2001:db8:1:3::1]:1000").is_ok());
}

#[test]
fn limiter_table_has_a_fixed_size() {
	let cfg = SourceLimitConfig { buckets: 1000, ..Default::default() };
	let mut l = SourceLimiter::new(&cfg, (1, 2));
	let before = l.approx_bytes();
	assert_eq!(before, 1024 * 16, "rounded up to a power of two, 16 bytes a slot");
	for i in 0..100_000u32 {
		l.allow(T0, &SourceKey::of(std::net::Ipv4Addr::from(i).into()));
	}
	assert_eq!(l.approx_bytes(), before);
	// A clock stepping back neither refills nor breaks anything.
	let k = SourceKey::of("10.0.0.7".parse().unwrap());
	let mut l = SourceLimiter::new(&SourceLimitConfig { init_burst: 2.0, ..cfg }, (1, 2));
	assert!(l.allow(T0, &k) && l.allow(T0 - 10_000, &k));
	assert!(!l.allow(T0 - 5_000, &k));
	assert_eq!(l.tokens(&k), 0);
}

#[test]
fn a_flooding_source_evicts_its_own_half_open_connections() {
	let mut cfg = test_config();
	cfg.max_half_open = 8;
	let mut b = machine(2, cfg);
	// An honest client asked for a challenge and is solving it.
	let honest = addr("10.7.0.1:40000");
	let (conn, chall) = request_challenge(&mut b, T0, b_addr(), honest);
	// A flood of 1,000 connections from another source, none ever sending a proof.
	for i in 0..1000u32 {
		let now = T0 + 1 + i as u64 / 100;
		let c = b.accept(now, b_addr(), addr(&format!("10.6.0.1:{}", 1000 + i)));
		b.on_bytes(now, c, &encode_frame(&Message::ConnInit(ConnInit::Request)));
		let actions = drain(&mut b);
		assert!(closes(&actions)
			.iter()
			.all(|(c, r)| *c != conn && *r == CloseReason::HalfOpenEvicted));
	}
	let stats = b.stats();
	assert_eq!((stats.half_open, stats.half_open_sources), (8, 2));
	// The honest connection survived and completes.
	assert_eq!(submit_on(&mut b, T0 + 20, conn, &solve(&chall, &identity(1))), Ok(()));
	// With every source holding one connection, the oldest goes first (the plain rule).
	let mut cfg = test_config();
	cfg.max_half_open = 3;
	let mut b = machine(2, cfg);
	let ids: Vec<_> = (0..4u8)
		.map(|i| b.accept(T0 + i as u64, b_addr(), addr(&format!("10.5.0.{}:1000", i + 1))))
		.collect();
	assert_eq!(closes(&drain(&mut b)), vec![(ids[0], CloseReason::HalfOpenEvicted)]);
}

#[test]
fn half_open_connections_per_source_are_capped() {
	let mut cfg = test_config();
	cfg.source_limit.max_half_open_per_source = 3;
	let mut b = machine(2, cfg);
	let other = b.accept(T0, b_addr(), addr("10.5.0.9:1000"));
	let ids: Vec<_> = (0..5u16)
		.map(|i| b.accept(T0, b_addr(), addr(&format!("10.5.0.1:{}", 1000 + i))))
		.collect();
	assert_eq!(
		closes(&drain(&mut b)),
		vec![(ids[0], CloseReason::HalfOpenEvicted), (ids[1], CloseReason::HalfOpenEvicted)]
	);
	let stats = b.stats();
	assert_eq!((stats.half_open, stats.half_open_sources), (4, 2));
	assert!(b.conn_info(other).is_some());
}

#[test]
fn half_open_state_stays_bounded_under_a_many_source_flood() {
	let mut cfg = test_config();
	cfg.max_half_open = 64;
	cfg.source_limit = SourceLimitConfig::default();
	let mut b = machine(2, cfg);
	let mut peak = 0;
	for i in 0..20_000u32 {
		let now = T0 + i as u64 / 50;
		let remote = SocketAddr::from((std::net::Ipv4Addr::from(0x0a00_0000 + i), 1000));
		let c = b.accept(now, b_addr(), remote);
		b.on_bytes(now, c, &encode_frame(&Message::ConnInit(ConnInit::Request)));
		drain(&mut b);
		b.on_tick(now);
		drain(&mut b);
		let s = b.stats();
		assert!(s.half_open <= 64 && s.half_open_sources <= 64 && s.connections <= 64);
		peak = peak.max(s.approx_bytes);
	}
	// The fixed bucket table (64 KiB) plus 64 connections; nothing grows with the flood.
	assert!(peak < 200_000, "approx bytes {peak}");
	assert_eq!(b.stats().challenges_issued, 20_000);
}

#[test]
fn limits_are_validated() {
	assert!(GateConfig::default().validate().is_ok());
	let broken: [fn(&mut GateConfig); 5] = [
		|c| c.effort.slot_knee = 0.0,
		|c| c.effort.slot_knee = 1.5,
		|c| c.source_limit.init_burst = 0.5,
		|c| c.source_limit.buckets = 0,
		|c| c.source_limit.max_half_open_per_source = 0,
	];
	for f in broken {
		let mut c = GateConfig::default();
		f(&mut c);
		assert!(c.validate().is_err(), "{c:?}");
	}
}
