//! Load-adaptive connection effort.
//!
//! The effort a responder demands is
//!
//! ```text
//! effort = clamp(min_effort * max(1, proofs/s / proof_rate_knee,
//!                                    inits/s  / init_rate_knee,
//!                                    half_open / half_open_knee),
//!                min_effort, max_effort)
//! ```
//!
//! where the rates are exponentially decaying averages (half-life `load_half_life_ms`): after a
//! burst the effort falls back to `min_effort` by itself. The cookie carries the effort it was
//! issued with, so a client that got a challenge just before the effort rose is judged by the
//! effort it was asked for.
//!
//! Which signal to weigh how is a policy choice, see [`crate::config::EffortConfig`]: completed
//! proofs are backed by work, so their rate is a signal an attacker can only push by hashing;
//! workless `CONN_INIT`s and half-open connections cost an attacker almost nothing, and raising
//! the effort does not make them any cheaper for the gate to absorb (the cookie makes them cost
//! one MAC), so by default they only count once they approach what the gate can absorb.

use crate::config::EffortConfig;

/// An event rate with exponential decay: `level` counts events, halving every `half_life_ms`.
#[derive(Clone, Debug)]
pub struct DecayingRate {
	half_life_ms: f64,
	level: f64,
	last: u64,
}

impl DecayingRate {
	/// A rate with the given half-life (milliseconds, at least 1).
	pub fn new(half_life_ms: u64) -> Self {
		DecayingRate { half_life_ms: half_life_ms.max(1) as f64, level: 0.0, last: 0 }
	}

	fn decay_to(&mut self, now: u64) {
		if now > self.last {
			let dt = (now - self.last) as f64;
			self.level *= (-dt / self.half_life_ms).exp2();
			self.last = now;
		}
	}

	/// Records one event at `now` (unix ms).
	pub fn record(&mut self, now: u64) {
		self.decay_to(now);
		self.level += 1.0;
	}

	/// Events per second at `now`. A steady rate `r` converges to `r`.
	pub fn per_second(&mut self, now: u64) -> f64 {
		self.decay_to(now);
		// The mean of an exponential window with half-life h is h / ln 2.
		self.level * std::f64::consts::LN_2 * 1000.0 / self.half_life_ms
	}
}

/// Tracks load and turns it into the effort demanded of new challenges.
#[derive(Clone, Debug)]
pub struct EffortController {
	cfg: EffortConfig,
	inits: DecayingRate,
	proofs: DecayingRate,
}

impl EffortController {
	/// A controller with the given bounds and knees.
	pub fn new(cfg: EffortConfig) -> Self {
		EffortController {
			inits: DecayingRate::new(cfg.load_half_life_ms),
			proofs: DecayingRate::new(cfg.load_half_life_ms),
			cfg,
		}
	}

	/// The configuration.
	pub fn config(&self) -> &EffortConfig {
		&self.cfg
	}

	/// Records a `CONN_INIT` (request or proof) at `now`.
	pub fn record_init(&mut self, now: u64) {
		self.inits.record(now);
	}

	/// Records an accepted proof at `now`.
	pub fn record_proof(&mut self, now: u64) {
		self.proofs.record(now);
	}

	/// The load factor (at least 1) at `now` with `half_open` half-open connections.
	pub fn load_factor(&mut self, now: u64, half_open: usize) -> f64 {
		let c = &self.cfg;
		let by_proofs = self.proofs.per_second(now) / c.proof_rate_knee.max(f64::MIN_POSITIVE);
		let by_inits = self.inits.per_second(now) / c.init_rate_knee.max(f64::MIN_POSITIVE);
		let by_half_open = half_open as f64 / c.half_open_knee.max(1) as f64;
		by_proofs.max(by_inits).max(by_half_open).max(1.0)
	}

	/// The effort (expected hashes) to demand at `now`.
	pub fn current(&mut self, now: u64, half_open: usize) -> u64 {
		let factor = self.load_factor(now, half_open);
		let effort = (self.cfg.min_effort as f64 * factor).min(self.cfg.max_effort as f64);
		(effort as u64).clamp(self.cfg.min_effort, self.cfg.max_effort)
	}
}
