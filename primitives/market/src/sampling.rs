//! Reproducible random draws from a seed, and the chance a cheater escapes them.
//!
//! A validator's samples must be the same for everyone who knows the seed (another validator,
//! a person re-checking a verdict), so they come from a stream of blake2-256 hashes rather
//! than from an RNG whose algorithm a library may change:
//!
//! ```text
//! block j  = blake2_256(domain ++ seed ++ j as u64 LE)          for j = 0, 1, 2, ...
//! words    = each block read as four u64 LE words, in order
//! draw < n = the next word w with w < 2^64 - (2^64 mod n), reduced to w mod n
//! ```
//!
//! Words at or above `2^64 - (2^64 mod n)` are skipped, so every index is exactly equally
//! likely (a word is skipped with probability below `n / 2^64`).
//!
//! Validators sample **with replacement**: each of the `k` samples is an independent uniform
//! index. A provider that skipped a fraction `f` of the work escapes all `k` samples with
//! probability [`escape_probability`]`(f, k) = (1 - f)^k`, exactly when `f` is the share of
//! skipped indices.

use crate::Hash;
use sp_crypto_hashing::blake2_256;
use std::{fmt, num::NonZeroU64};

/// A stream of uniform draws determined by a domain and a seed.
#[derive(Clone, Debug)]
pub struct Sampler {
	domain: &'static [u8],
	seed: Hash,
	block: u64,
	words: [u64; 4],
	next_word: usize,
}

impl Sampler {
	/// The stream for `seed` in `domain` (each use of sampling has its own domain, so the same
	/// seed gives unrelated draws in each).
	pub fn new(domain: &'static [u8], seed: Hash) -> Self {
		Self { domain, seed, block: 0, words: [0; 4], next_word: 4 }
	}

	fn next_word(&mut self) -> u64 {
		if self.next_word >= self.words.len() {
			let mut pre_image = Vec::with_capacity(self.domain.len() + 40);
			pre_image.extend_from_slice(self.domain);
			pre_image.extend_from_slice(&self.seed);
			pre_image.extend_from_slice(&self.block.to_le_bytes());
			let block = blake2_256(&pre_image);
			for (word, bytes) in self.words.iter_mut().zip(block.chunks_exact(8)) {
				let mut le = [0u8; 8];
				le.copy_from_slice(bytes);
				*word = u64::from_le_bytes(le);
			}
			self.block = self.block.wrapping_add(1);
			self.next_word = 0;
		}
		let word = self.words[self.next_word % 4];
		self.next_word += 1;
		word
	}

	/// The next uniform draw in `0..bound`.
	pub fn next_below(&mut self, bound: NonZeroU64) -> u64 {
		let bound = bound.get();
		// 2^64 mod bound, computed without 2^64; words above `zone_end` would bias the draw.
		let excess = (u64::MAX % bound + 1) % bound;
		let zone_end = u64::MAX - excess;
		loop {
			let word = self.next_word();
			if word <= zone_end {
				return word % bound;
			}
		}
	}
}

/// `k` indices in `0..n`, drawn with replacement from `seed` in `domain`.
pub fn sample_indices(domain: &'static [u8], seed: Hash, n: NonZeroU64, k: u32) -> Vec<u64> {
	let mut sampler = Sampler::new(domain, seed);
	(0..k).map(|_| sampler.next_below(n)).collect()
}

/// A fraction outside `[0, 1]` (or not a number).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InvalidFraction(pub f64);

impl fmt::Display for InvalidFraction {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "fraction {} is not within [0, 1]", self.0)
	}
}

impl std::error::Error for InvalidFraction {}

/// The number of items out of `n` that a fraction `fraction` stands for: `round(fraction × n)`.
pub fn fraction_count(fraction: f64, n: u64) -> Result<u64, InvalidFraction> {
	if !(0.0..=1.0).contains(&fraction) {
		return Err(InvalidFraction(fraction));
	}
	// A float-to-integer `as` saturates; `min` keeps rounding from going past `n`.
	Ok(((fraction * n as f64).round() as u64).min(n))
}

/// Exactly `m` distinct indices of `0..n` (all of them if `m >= n`), drawn from `seed` in
/// `domain` by Floyd's algorithm, as a mask: `mask[i]` is whether `i` was drawn. Used by the
/// cheating providers of the tests to choose what they skip.
pub fn choose_distinct(domain: &'static [u8], seed: Hash, n: u64, m: u64) -> Vec<bool> {
	let mut mask = vec![false; usize::try_from(n).unwrap_or(usize::MAX)];
	let n = mask.len() as u64;
	let mut sampler = Sampler::new(domain, seed);
	for j in n.saturating_sub(m)..n {
		// j < n, so j + 1 >= 1 and fits.
		let bound = NonZeroU64::new(j + 1).unwrap_or(NonZeroU64::MIN);
		let t = sampler.next_below(bound);
		let pick = if mask[t as usize] { j } else { t };
		mask[pick as usize] = true;
	}
	mask
}

/// The chance that a provider who skipped a fraction `fraction` of the work passes `k`
/// independent uniform samples (with replacement): `(1 - fraction)^k`.
///
/// `fraction` is clamped to `[0, 1]`; a NaN gives NaN.
pub fn escape_probability(fraction: f64, k: u32) -> f64 {
	(1.0 - fraction.clamp(0.0, 1.0)).powf(f64::from(k))
}

/// The fewest samples that leave a cheater on `fraction` of the work at most `escape` chance
/// of passing, or `None` when no number does (`fraction` is 0, `escape` is 0, either is out of
/// range, or the number exceeds `u32::MAX`).
pub fn samples_for(fraction: f64, escape: f64) -> Option<u32> {
	if !(0.0..=1.0).contains(&fraction) || !(0.0..=1.0).contains(&escape) {
		return None;
	}
	if escape >= 1.0 {
		return Some(0);
	}
	if fraction == 0.0 || escape == 0.0 {
		return None;
	}
	if fraction >= 1.0 {
		return Some(1);
	}
	let estimate = (escape.ln() / (1.0 - fraction).ln()).ceil();
	if !(0.0..=f64::from(u32::MAX)).contains(&estimate) {
		return None;
	}
	// Correct the float estimate by at most a step either way.
	let mut k = (estimate as u32).saturating_sub(1);
	while escape_probability(fraction, k) > escape {
		k = k.checked_add(1)?;
	}
	Some(k)
}

#[cfg(test)]
mod tests {
	use super::*;

	const DOMAIN: &[u8] = b"gpow/market/test";

	fn nz(n: u64) -> NonZeroU64 {
		NonZeroU64::new(n).expect("non-zero")
	}

	#[test]
	fn same_seed_same_samples_other_seed_or_domain_other_samples() {
		let a = sample_indices(DOMAIN, [1; 32], nz(1_000_000), 50);
		assert_eq!(a, sample_indices(DOMAIN, [1; 32], nz(1_000_000), 50));
		assert_ne!(a, sample_indices(DOMAIN, [2; 32], nz(1_000_000), 50));
		assert_ne!(a, sample_indices(b"gpow/market/other", [1; 32], nz(1_000_000), 50));
		assert!(a.iter().all(|&i| i < 1_000_000));
	}

	#[test]
	fn the_stream_is_the_documented_one() {
		// The first draw below 2^63 is the first word of block 0 (never skipped: 2^64 mod 2^63
		// is 0), reduced mod 2^63.
		let mut pre_image = DOMAIN.to_vec();
		pre_image.extend_from_slice(&[7; 32]);
		pre_image.extend_from_slice(&0u64.to_le_bytes());
		let block = blake2_256(&pre_image);
		let mut le = [0u8; 8];
		le.copy_from_slice(&block[..8]);
		let first = u64::from_le_bytes(le) % (1 << 63);
		assert_eq!(Sampler::new(DOMAIN, [7; 32]).next_below(nz(1 << 63)), first);
	}

	#[test]
	fn a_bound_of_one_always_gives_zero() {
		assert!(sample_indices(DOMAIN, [3; 32], nz(1), 20).iter().all(|&i| i == 0));
	}

	#[test]
	fn draws_are_roughly_uniform() {
		let mut counts = [0u32; 10];
		for i in sample_indices(DOMAIN, [4; 32], nz(10), 10_000) {
			counts[i as usize] += 1;
		}
		// Each bucket expects 1,000 with a standard deviation of 30.
		assert!(counts.iter().all(|&c| (850..=1150).contains(&c)), "{counts:?}");
	}

	#[test]
	fn huge_bounds_do_not_overflow() {
		let mut sampler = Sampler::new(DOMAIN, [5; 32]);
		for _ in 0..100 {
			let _ = sampler.next_below(nz(u64::MAX));
			assert!(sampler.next_below(nz((1 << 63) + 1)) <= 1 << 63);
		}
	}

	#[test]
	fn fraction_counts() {
		assert_eq!(fraction_count(0.1, 1000), Ok(100));
		assert_eq!(fraction_count(0.0, 1000), Ok(0));
		assert_eq!(fraction_count(1.0, 1000), Ok(1000));
		assert_eq!(fraction_count(0.25, 10), Ok(3));
		assert_eq!(fraction_count(1.5, 10), Err(InvalidFraction(1.5)));
		assert_eq!(fraction_count(-0.1, 10), Err(InvalidFraction(-0.1)));
		assert!(fraction_count(f64::NAN, 10).is_err());
	}

	#[test]
	fn choose_distinct_picks_exactly_m() {
		for (n, m) in [(10, 0), (10, 3), (10, 10), (10, 20), (1000, 250), (0, 5)] {
			let mask = choose_distinct(DOMAIN, [6; 32], n, m);
			assert_eq!(mask.len() as u64, n);
			assert_eq!(mask.iter().filter(|&&b| b).count() as u64, m.min(n), "n={n} m={m}");
		}
		assert_eq!(
			choose_distinct(DOMAIN, [6; 32], 100, 10),
			choose_distinct(DOMAIN, [6; 32], 100, 10)
		);
		assert_ne!(
			choose_distinct(DOMAIN, [6; 32], 100, 10),
			choose_distinct(DOMAIN, [8; 32], 100, 10)
		);
	}

	#[test]
	fn escape_probability_formula() {
		assert!((escape_probability(0.1, 20) - 0.9f64.powi(20)).abs() < 1e-12);
		assert_eq!(escape_probability(0.0, 50), 1.0);
		assert_eq!(escape_probability(1.0, 1), 0.0);
		assert_eq!(escape_probability(0.3, 0), 1.0);
		assert_eq!(escape_probability(2.0, 3), 0.0);
		assert!(escape_probability(f64::NAN, 3).is_nan());
	}

	#[test]
	fn samples_for_is_the_smallest_sufficient_k() {
		for (f, p) in [(0.05, 0.01), (0.1, 0.01), (0.25, 0.001), (0.5, 0.5), (0.01, 1e-6)] {
			let k = samples_for(f, p).expect("reachable");
			assert!(escape_probability(f, k) <= p, "f={f} p={p} k={k}");
			assert!(k == 0 || escape_probability(f, k - 1) > p, "f={f} p={p} k={k}");
		}
		assert_eq!(samples_for(0.1, 0.01), Some(44));
		assert_eq!(samples_for(0.0, 0.01), None);
		assert_eq!(samples_for(0.1, 0.0), None);
		assert_eq!(samples_for(0.1, 1.0), Some(0));
		assert_eq!(samples_for(1.0, 0.5), Some(1));
		assert_eq!(samples_for(1e-300, 1e-300), None);
		assert_eq!(samples_for(f64::NAN, 0.5), None);
	}
}
