//! Seal verification throughput beside the raw throughput of the hash it uses.
//!
//! Run: `cargo bench -p gpow-primitives-pow` (or `bash scripts/bench.sh`). Prints hashes/s of
//! `blake2_256` over the 40-byte work input and seals/s of `check_seal` on the same inputs, and
//! their ratio. The target is a ratio of at least 50%.

use codec::Encode;
use gpow_primitives_pow::{check_seal, work_input, Seal, U256};
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
	let pre_image = [0x5au8; 32];
	// Difficulty 1: every seal is valid, so verification always runs to its end.
	let difficulty = U256::one();
	let seals: Vec<Vec<u8>> =
		(0..1024u64).map(|nonce| Seal { difficulty, nonce }.encode()).collect();

	// Warm up caches and CPU frequency.
	per_second(|n| {
		black_box(sp_crypto_hashing::blake2_256(&work_input(&pre_image, n)));
	});

	let hash = per_second(|n| {
		black_box(sp_crypto_hashing::blake2_256(black_box(&work_input(&pre_image, n))));
	});
	let verify = per_second(|n| {
		let seal = &seals[(n % 1024) as usize];
		black_box(check_seal(black_box(&pre_image), black_box(seal), difficulty).is_ok());
	});

	println!("raw blake2_256 (40-byte input): {:>12.0} hashes/s", hash);
	println!("seal verification (check_seal): {:>12.0} seals/s", verify);
	println!("verification / raw hash       : {:>11.1} %", 100.0 * verify / hash);
}
