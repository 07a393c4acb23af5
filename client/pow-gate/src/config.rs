//! Gate configuration and its defaults.

use crate::attest::KeepPowParams;

/// Default minimum connection effort: 2^19 = 524,288 expected hashes (about 0.1 to 0.2 s of one
/// core), so that solving costs at least 100,000 times what checking costs (see the benchmark).
pub const DEFAULT_MIN_EFFORT: u64 = 1 << 19;

/// How the connection effort follows load (see [`crate::effort`]).
///
/// Only load that costs the gate raises the effort: proofs it had to verify (their cookie and
/// work were valid, so the ed25519 signature was checked) and occupied connection slots.
/// Workless `CONN_INIT`s, forged cookies and half-open connections do not: the cookie makes them
/// cost one MAC and no state, and raising the effort would only tax honest clients for load an
/// attacker produces for free (per-source limits and the half-open cap handle those instead).
#[derive(Clone, Debug, PartialEq)]
pub struct EffortConfig {
	/// Effort demanded when unloaded (expected hashes). At least 1.
	pub min_effort: u64,
	/// Effort never exceeds this.
	pub max_effort: u64,
	/// Verified proofs per second (cookie and work valid, signature checked) above which the
	/// effort rises proportionally.
	pub proof_rate_knee: f64,
	/// Fraction of [`GateConfig::max_peers`] established above which the effort rises
	/// proportionally (`0 < slot_knee <= 1`; with 0.5 a full peer table doubles the effort).
	pub slot_knee: f64,
	/// Half-life of the rate averages, milliseconds: how fast the effort decays back.
	pub load_half_life_ms: u64,
}

impl Default for EffortConfig {
	fn default() -> Self {
		EffortConfig {
			min_effort: DEFAULT_MIN_EFFORT,
			max_effort: DEFAULT_MIN_EFFORT << 6,
			proof_rate_knee: 20.0,
			slot_knee: 0.5,
			load_half_life_ms: 5_000,
		}
	}
}

/// Per-source fairness for strangers (before any work is proven). A source is an IPv4 address
/// or an IPv6 /64 (IPv4-mapped addresses count as IPv4).
///
/// `CONN_INIT(request)`s are metered by a token bucket per source; a request finding its bucket
/// empty is closed without a cookie (no random draw, no MAC). The buckets live in a fixed table
/// of `buckets` slots indexed by a keyed hash of the source, so memory is constant whatever the
/// number of sources (sources that collide share a bucket). `CONN_INIT(proof)` is never
/// metered: a proof with a valid cookie carries work, and a forged one costs one MAC to refuse.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceLimitConfig {
	/// Tokens added per second to each bucket (sustained `CONN_INIT(request)`s per second per
	/// source). `f64::INFINITY` turns request metering off.
	pub init_rate: f64,
	/// Bucket size: the burst a source may send at once.
	pub init_burst: f64,
	/// Slots in the bucket table (rounded up to a power of two).
	pub buckets: usize,
	/// Most half-open inbound connections one source may hold; its oldest is dropped to make
	/// room. When the global [`GateConfig::max_half_open`] is reached, the oldest connection of
	/// the source holding the most half-open connections is dropped, so a flood from a few
	/// sources evicts its own connections, not an honest client's that is busy solving.
	pub max_half_open_per_source: usize,
}

impl Default for SourceLimitConfig {
	fn default() -> Self {
		SourceLimitConfig {
			init_rate: 32.0,
			init_burst: 64.0,
			buckets: 4096,
			max_half_open_per_source: 256,
		}
	}
}

/// The keep-alive schedule and effort.
///
/// Round `r` starts at unix time `r * period_ms`. Challenges of round `r` are sent at its start
/// and collected until `r * period_ms + window_ms`; the proof must arrive by
/// `r * period_ms + deadline_ms`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeepAliveConfig {
	/// Round length, milliseconds.
	pub period_ms: u64,
	/// Collection window after the round start, milliseconds. Also the clock skew tolerated
	/// between peers (a challenge of the next round is accepted this early).
	pub window_ms: u64,
	/// Proof deadline after the round start, milliseconds (`window_ms < deadline_ms <=
	/// period_ms`).
	pub deadline_ms: u64,
	/// Expected hashes per challenge in a proof.
	pub effort_per_challenge: u64,
	/// Most challenges accepted in one proof.
	pub max_challenges: u32,
}

impl Default for KeepAliveConfig {
	fn default() -> Self {
		KeepAliveConfig {
			period_ms: 30_000,
			window_ms: 5_000,
			deadline_ms: 25_000,
			effort_per_challenge: 1 << 16,
			max_challenges: 1024,
		}
	}
}

impl KeepAliveConfig {
	/// A schedule with the given period: window a quarter of it, deadline at 90 %.
	pub fn with_period(period_ms: u64) -> Self {
		KeepAliveConfig {
			period_ms,
			window_ms: period_ms / 4,
			deadline_ms: period_ms * 9 / 10,
			..Default::default()
		}
	}

	/// The verification parameters of a [`crate::attest::KeepPow`] under this schedule.
	pub fn params(&self) -> KeepPowParams {
		KeepPowParams {
			effort_per_challenge: self.effort_per_challenge,
			max_challenges: self.max_challenges,
		}
	}
}

/// Everything a gate needs to know.
#[derive(Clone, Debug, PartialEq)]
pub struct GateConfig {
	/// Effort bounds and load response.
	pub effort: EffortConfig,
	/// As an initiator, the most effort it agrees to spend on one challenge.
	pub max_solve_effort: u64,
	/// Most inbound half-open connections (not yet established); one is dropped to make room
	/// for a new one (see [`SourceLimitConfig::max_half_open_per_source`] for which).
	pub max_half_open: usize,
	/// Per-source request metering and half-open shares.
	pub source_limit: SourceLimitConfig,
	/// Most established connections.
	pub max_peers: usize,
	/// Time an inbound connection has to send its first `CONN_INIT`, and an outbound one to
	/// receive `CONN_CHALL`, milliseconds.
	pub init_timeout_ms: u64,
	/// Lifetime of a cookie, and so the time an initiator has to answer, milliseconds.
	pub cookie_lifetime_ms: u64,
	/// How far in the future a cookie's timestamp may be (own clock stepping back).
	pub clock_tolerance_ms: u64,
	/// Secret rotation period, milliseconds; at least `cookie_lifetime_ms`.
	pub secret_rotation_ms: u64,
	/// Replay cache capacity (tags).
	pub replay_capacity: usize,
	/// Replay cache bucket width, milliseconds.
	pub replay_bucket_ms: u64,
	/// Frame limit once established (the handshake uses [`crate::wire::HANDSHAKE_MAX_FRAME`]).
	pub max_frame_len: u32,
	/// Keep-alive schedule.
	pub keepalive: KeepAliveConfig,
}

impl Default for GateConfig {
	fn default() -> Self {
		GateConfig {
			effort: EffortConfig::default(),
			max_solve_effort: DEFAULT_MIN_EFFORT << 6,
			max_half_open: 4096,
			source_limit: SourceLimitConfig::default(),
			max_peers: 256,
			init_timeout_ms: 5_000,
			cookie_lifetime_ms: 30_000,
			clock_tolerance_ms: 2_000,
			secret_rotation_ms: 60_000,
			replay_capacity: 1 << 16,
			replay_bucket_ms: 1_000,
			max_frame_len: 1 << 20,
			keepalive: KeepAliveConfig::default(),
		}
	}
}

/// A configuration that cannot work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigError(pub &'static str);

impl std::fmt::Display for ConfigError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "invalid gate configuration: {}", self.0)
	}
}

impl std::error::Error for ConfigError {}

/// Encoded size of a `KEEP_POW` frame with `n` challenges (upper bound).
pub fn keep_pow_frame_len(n: u32) -> u64 {
	// version + message index + round + prover + compact length (<= 5) + n * 152 + nonce
	1 + 1 + 8 + 32 + 5 + n as u64 * 152 + 8
}

impl GateConfig {
	/// Checks that the settings are consistent.
	pub fn validate(&self) -> Result<(), ConfigError> {
		let e = &self.effort;
		let k = &self.keepalive;
		if e.min_effort == 0 || e.max_effort < e.min_effort {
			return Err(ConfigError("need 1 <= min_effort <= max_effort"));
		}
		if !(e.slot_knee > 0.0 && e.slot_knee <= 1.0) {
			return Err(ConfigError("need 0 < effort.slot_knee <= 1"));
		}
		let s = &self.source_limit;
		if !(s.init_rate >= 0.0 && s.init_burst >= 1.0) {
			return Err(ConfigError("need source_limit.init_rate >= 0 and init_burst >= 1"));
		}
		if s.buckets == 0 || s.buckets > 1 << 24 || s.max_half_open_per_source == 0 {
			return Err(ConfigError(
				"need 0 < source_limit.buckets <= 2^24 and max_half_open_per_source > 0",
			));
		}
		if self.max_solve_effort == 0 {
			return Err(ConfigError("max_solve_effort must be positive"));
		}
		if self.cookie_lifetime_ms == 0 || self.cookie_lifetime_ms > self.secret_rotation_ms {
			return Err(ConfigError("need 0 < cookie_lifetime_ms <= secret_rotation_ms"));
		}
		if self.max_half_open == 0 || self.max_peers == 0 || self.replay_capacity == 0 {
			return Err(ConfigError("limits must be positive"));
		}
		if k.period_ms == 0 || k.window_ms == 0 || k.window_ms >= k.deadline_ms {
			return Err(ConfigError("need 0 < window_ms < deadline_ms"));
		}
		if k.deadline_ms > k.period_ms {
			return Err(ConfigError("need deadline_ms <= period_ms"));
		}
		if k.effort_per_challenge == 0 {
			return Err(ConfigError("effort_per_challenge must be positive"));
		}
		if self.max_peers as u64 > k.max_challenges as u64 {
			return Err(ConfigError("max_peers must not exceed keepalive.max_challenges"));
		}
		if (self.max_frame_len as u64) < keep_pow_frame_len(k.max_challenges) {
			return Err(ConfigError("max_frame_len too small for max_challenges"));
		}
		Ok(())
	}
}
