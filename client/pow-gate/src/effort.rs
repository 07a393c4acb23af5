//! Load-adaptive connection effort.
//!
//! The effort a responder demands is
//!
//! ```text
//! effort = clamp(min_effort * max(1, verified proofs/s / proof_rate_knee,
//!                                    (established / max_peers) / slot_knee),
//!                min_effort, max_effort)
//! ```
//!
//! where the proof rate is an exponentially decaying average (half-life `load_half_life_ms`):
//! after a burst the effort falls back to `min_effort` by itself. The cookie carries the effort
//! it was issued with, so a client that got a challenge just before the effort rose is judged by
//! the effort it was asked for.
//!
//! Only load that costs the gate counts. A *verified* proof is one whose cookie and work were
//! valid, so the gate paid for an ed25519 verification (and, if it passes, a connection slot);
//! an attacker can only push that rate by hashing. Occupied slots are the scarce resource the
//! effort protects. Workless `CONN_INIT`s, forged cookies and half-open connections are
//! deliberately **not** signals: the cookie makes each cost one MAC and no state, so raising the
//! effort would not make them any cheaper to absorb; it would only let a workless flood tax every
//! honest client. They are handled by per-source limits and the half-open cap instead
//! ([`crate::config::SourceLimitConfig`]).

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
	proofs: DecayingRate,
}

impl EffortController {
	/// A controller with the given bounds and knees.
	pub fn new(cfg: EffortConfig) -> Self {
		EffortController { proofs: DecayingRate::new(cfg.load_half_life_ms), cfg }
	}

	/// The configuration.
	pub fn config(&self) -> &EffortConfig {
		&self.cfg
	}

	/// Records, at `now`, a proof the gate verified: its cookie and work were valid, so its
	/// signature was checked (whether or not it was then accepted).
	pub fn record_proof(&mut self, now: u64) {
		self.proofs.record(now);
	}

	/// The load factor (at least 1) at `now`, with `occupancy` the fraction of connection slots
	/// in use (established / max peers).
	pub fn load_factor(&mut self, now: u64, occupancy: f64) -> f64 {
		let c = &self.cfg;
		let by_proofs = self.proofs.per_second(now) / c.proof_rate_knee.max(f64::MIN_POSITIVE);
		let by_slots = occupancy / c.slot_knee.max(f64::MIN_POSITIVE);
		by_proofs.max(by_slots).max(1.0)
	}

	/// The effort (expected hashes) to demand at `now` with slot `occupancy` (see
	/// [`EffortController::load_factor`]).
	pub fn current(&mut self, now: u64, occupancy: f64) -> u64 {
		let factor = self.load_factor(now, occupancy);
		let effort = (self.cfg.min_effort as f64 * factor).min(self.cfg.max_effort as f64);
		(effort as u64).clamp(self.cfg.min_effort, self.cfg.max_effort)
	}
}
