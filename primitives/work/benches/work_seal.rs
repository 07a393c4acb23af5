//! Verification throughput of a work-paid transaction's seal beside the raw throughput of the
//! hash it uses (issue 12's target: at least 50 %, as for the block seal).
//!
//! Run: `cargo bench -p gpow-primitives-work` (or `bash scripts/bench.sh`). Prints hashes/s of
//! `blake2_256` over the 40-byte work input; seals/s of the check `WorkOrFee` makes once it has
//! the pre-image (the work hash, the multiplication that decides against the required effort, and
//! the approximate effort the priority uses); and seals/s of the whole
//! check including the pre-image of a typical call (a 27-byte `Reputation.stake`), with their
//! ratios to the raw hash rate.

use gpow_primitives_pow::{approximate_effort, meets_difficulty, work_hash, work_input, U256};
use gpow_primitives_work::pre_image;
use std::{hint::black_box, time::Instant};

const ROUNDS: u64 = 2_000_000;

/// Runs `f` for every nonce in `0..ROUNDS` and returns operations per second.
fn per_second(mut f: impl FnMut(u64)) -> f64 {
	let start = Instant::now();
	for nonce in 0..ROUNDS {
		f(nonce);
	}
	ROUNDS as f64 / start.elapsed().as_secs_f64()
}

fn main() {
	let genesis = [1u8; 32];
	let anchor_hash = [2u8; 32];
	let signer = [3u8; 32];
	let call = [9u8; 27];
	let pre = pre_image(&genesis, 7u32, &anchor_hash, &signer, 0u32, &call);
	// Required effort 1: every seal passes, so verification always runs to its end.
	let required = U256::one();

	// Warm up caches and CPU frequency.
	per_second(|n| {
		black_box(sp_crypto_hashing::blake2_256(&work_input(&pre, n)));
	});

	let hash = per_second(|n| {
		black_box(sp_crypto_hashing::blake2_256(black_box(&work_input(&pre, n))));
	});
	let check = |p: &[u8; 32], n: u64| {
		let work = work_hash(p, n);
		meets_difficulty(&work, required) && approximate_effort(&work) >= required
	};
	let seal = per_second(|n| {
		black_box(check(black_box(&pre), n));
	});
	let whole = per_second(|n| {
		let p = pre_image(
			black_box(&genesis),
			7u32,
			black_box(&anchor_hash),
			black_box(&signer),
			0u32,
			black_box(&call),
		);
		black_box(check(&p, n));
	});

	println!("raw blake2_256 (40-byte input)        : {:>12.0} hashes/s", hash);
	println!(
		"seal check, pre-image known           : {:>12.0} seals/s ({:.1} %)",
		seal,
		100.0 * seal / hash
	);
	println!(
		"seal check with the pre-image (27-byte call): {:>6.0} seals/s ({:.1} %)",
		whole,
		100.0 * whole / hash
	);
}
