//! The chance a cheater escapes `k` samples, measured over 100 seeded trials of each service
//! type against the formula `(1 - f)^k` (sampling with replacement).
//!
//! The range has 200 values and the blob 1,000 chunks (the size does not matter: the formula
//! is exact for sampling with replacement). Each trial is a new cheater (it skips or drops a
//! different set of exactly `round(f × n)` items) judged with a new validator seed. The trials
//! are seeded, so the test is deterministic; the tolerance is still a statistical one: the
//! number of escapes in 100 trials is Binomial(100, p), and the test accepts anything within
//! 3.5 standard deviations (plus one, for the discreteness) of `100 p`. Run with `--nocapture`
//! to see the table.

use gpow_market::{
	escape_probability,
	range::{self, RangeDefinition},
	storage::{self, StoredBlob},
	Hash, Limits,
};
use std::num::NonZeroU64;

const TRIALS: u32 = 100;

/// Seed `i` of a series: distinct for every trial and every role.
fn seed(role: u8, trial: u32) -> Hash {
	let mut seed = [role; 32];
	seed[..4].copy_from_slice(&trial.to_le_bytes());
	seed
}

/// Checks `escapes` out of [`TRIALS`] against the formula, and prints both.
fn check(service: &str, fraction: f64, k: u32, escapes: u32) {
	let p = escape_probability(fraction, k);
	let trials = f64::from(TRIALS);
	let expected = trials * p;
	let sd = (trials * p * (1.0 - p)).sqrt();
	let measured = f64::from(escapes) / trials;
	println!(
		"{service:>7}  f = {fraction:<4}  k = {k:<2}  formula (1-f)^k = {p:.4}  measured = \
		 {measured:.2} ({escapes}/{TRIALS}), expected {expected:.1} ± {sd:.1}"
	);
	assert!(
		(f64::from(escapes) - expected).abs() <= 3.5 * sd + 1.0,
		"{service}: {escapes} escapes of {TRIALS}, formula expects {expected:.1} ± {sd:.1}"
	);
}

#[test]
fn range_cheaters_escape_at_the_formula_rate() {
	let target = range::target_one_in(NonZeroU64::new(32).expect("non-zero"));
	let definition = RangeDefinition { salt: [42; 32], start: 5_000, end: 5_200, target };
	let limits = Limits::default();
	for (fraction, k) in [(0.05, 20), (0.1, 10), (0.1, 20), (0.25, 10)] {
		let mut escapes = 0;
		for trial in 0..TRIALS {
			let cheat = range::compute_cheating(&definition, &limits, fraction, seed(1, trial))
				.expect("valid");
			let result = cheat.result();
			let verdict = range::evaluate(
				&definition,
				result,
				&result.result_hash(),
				k,
				seed(2, trial),
				|i| cheat.answer(i),
			)
			.expect("well-formed");
			escapes += u32::from(verdict.pass);
		}
		check("range", fraction, k, escapes);
	}
}

#[test]
fn storage_cheaters_escape_at_the_formula_rate() {
	let blob: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
	let limits = Limits::default();
	let honest = StoredBlob::new(&blob, 20, &limits).expect("valid");
	let definition = honest.definition(1_000).expect("non-zero term");
	assert_eq!(definition.chunks, 1_000);
	for (fraction, k) in [(0.05, 20), (0.1, 10), (0.1, 20), (0.25, 10)] {
		let mut escapes = 0;
		for trial in 0..TRIALS {
			let mut cheat = honest.clone();
			cheat.drop_fraction(fraction, seed(3, trial)).expect("valid fraction");
			let verdict = storage::evaluate(&definition, k, seed(4, trial), |c| cheat.answer(c))
				.expect("well-formed");
			escapes += u32::from(verdict.pass);
		}
		check("storage", fraction, k, escapes);
	}
}

#[test]
fn honest_providers_never_fail() {
	let target = range::target_one_in(NonZeroU64::new(32).expect("non-zero"));
	let definition = RangeDefinition { salt: [43; 32], start: 0, end: 1_000, target };
	let work = range::compute(&definition, &Limits::default()).expect("valid");
	let blob = vec![9u8; 5_000];
	let stored = StoredBlob::new(&blob, 50, &Limits::default()).expect("valid");
	let storage_definition = stored.definition(10).expect("non-zero term");
	for trial in 0..TRIALS {
		let result = work.result();
		let verdict =
			range::evaluate(&definition, result, &result.result_hash(), 20, seed(5, trial), |i| {
				work.answer(i)
			})
			.expect("well-formed");
		assert!(verdict.pass, "{verdict}");
		let verdict =
			storage::evaluate(&storage_definition, 20, seed(6, trial), |c| stored.answer(c))
				.expect("well-formed");
		assert!(verdict.pass, "{verdict}");
	}
}
