//! Per-source fairness before any work is proven: which source a connection comes from, and a
//! fixed-size table of token buckets metering `CONN_INIT(request)`s per source.
//!
//! See [`crate::config::SourceLimitConfig`] for the policy. The table never grows: `buckets`
//! slots of 16 bytes, indexed by a keyed hash (SipHash, keys drawn from the gate's CSPRNG) of
//! the source, so a flood from any number of addresses costs no memory, and an attacker who does
//! not know the keys cannot aim at the bucket of a given victim.

use crate::config::SourceLimitConfig;
use std::{
	hash::{Hash, Hasher},
	net::IpAddr,
};

/// A connection's source: an IPv4 address, or the /64 prefix of an IPv6 address
/// (IPv4-mapped IPv6 addresses are folded to IPv4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKey {
	/// An IPv4 address.
	V4([u8; 4]),
	/// The first 64 bits of an IPv6 address.
	V6([u8; 8]),
}

impl SourceKey {
	/// The source of a connection from `ip`.
	pub fn of(ip: IpAddr) -> SourceKey {
		match ip {
			IpAddr::V4(v4) => SourceKey::V4(v4.octets()),
			IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
				Some(v4) => SourceKey::V4(v4.octets()),
				None => {
					let mut prefix = [0u8; 8];
					prefix.copy_from_slice(&v6.octets()[..8]);
					SourceKey::V6(prefix)
				},
			},
		}
	}
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
	tokens: f64,
	/// Unix ms of the last refill; 0 = never used (full).
	last: u64,
}

/// Token buckets for `CONN_INIT(request)`s, one per source (modulo hash collisions).
#[derive(Clone, Debug)]
pub struct SourceLimiter {
	per_ms: f64,
	burst: f64,
	keys: (u64, u64),
	mask: usize,
	buckets: Vec<Bucket>,
}

impl SourceLimiter {
	/// A table for `cfg` with hash keys `keys` (secret, random).
	pub fn new(cfg: &SourceLimitConfig, keys: (u64, u64)) -> Self {
		let n = cfg.buckets.max(1).next_power_of_two();
		SourceLimiter {
			per_ms: cfg.init_rate / 1000.0,
			burst: cfg.init_burst,
			keys,
			mask: n - 1,
			buckets: vec![Bucket { tokens: cfg.init_burst, last: 0 }; n],
		}
	}

	fn slot(&self, source: &SourceKey) -> usize {
		// `SipHasher` is deprecated only in favour of `DefaultHasher`, which cannot be keyed.
		#[allow(deprecated)]
		let mut h = std::hash::SipHasher::new_with_keys(self.keys.0, self.keys.1);
		source.hash(&mut h);
		h.finish() as usize & self.mask
	}

	/// Takes a token from `source`'s bucket at `now` (unix ms): `true` if there was one.
	pub fn allow(&mut self, now: u64, source: &SourceKey) -> bool {
		let (per_ms, burst) = (self.per_ms, self.burst);
		if per_ms == f64::INFINITY {
			return true;
		}
		let slot = self.slot(source);
		let b = &mut self.buckets[slot];
		if b.last != 0 && now > b.last {
			let refill = (now - b.last) as f64 * per_ms;
			b.tokens = (b.tokens + refill).min(burst);
		}
		// A clock stepping back neither refills nor drains.
		b.last = b.last.max(now).max(1);
		if b.tokens >= 1.0 {
			b.tokens -= 1.0;
			true
		} else {
			false
		}
	}

	/// Whole tokens left in `source`'s bucket, as of its last use.
	pub fn tokens(&self, source: &SourceKey) -> u32 {
		self.buckets[self.slot(source)].tokens as u32
	}

	/// Heap bytes of the table (constant).
	pub fn approx_bytes(&self) -> usize {
		self.buckets.capacity() * std::mem::size_of::<Bucket>()
	}
}
