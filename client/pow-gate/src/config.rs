//! Gate configuration and its defaults.

use crate::attest::KeepPowParams;

/// Default minimum connection effort: 2^19 = 524,288 expected hashes (about 0.1 to 0.2 s of one
/// core), so that solving costs at least 100,000 times what checking costs (see the benchmark).
pub const DEFAULT_MIN_EFFORT: u64 = 1 << 19;

/// How the connection effort follows load (see [`crate::effort`]).
#[derive(Clone, Debug, PartialEq)]
pub struct EffortConfig {
	/// Effort demanded when unloaded (expected hashes). At least 1.
	pub min_effort: u64,
	/// Effort never exceeds this.
	pub max_effort: u64,
	/// Accepted proofs per second above which the effort rises proportionally.
	pub proof_rate_knee: f64,
	/// `CONN_INIT`s per second (requests and proofs) above which the effort rises.
	pub init_rate_knee: f64,
	/// Half-open connections above which the effort rises.
	pub half_open_knee: usize,
	/// Half-life of the rate averages, milliseconds: how fast the effort decays back.
	pub load_half_life_ms: u64,
}

impl Default for EffortConfig {
	fn default() -> Self {
		EffortConfig {
			min_effort: DEFAULT_MIN_EFFORT,
			max_effort: DEFAULT_MIN_EFFORT << 6,
			proof_rate_knee: 20.0,
			init_rate_knee: 50_000.0,
			half_open_knee: 4096,
			load_half_life_ms: 5_000,
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
	/// Most inbound half-open connections (not yet established); the oldest is dropped to make
	/// room for a new one.
	pub max_half_open: usize,
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
