//! The hashing backends. A backend tries ranges of nonces over a pre-image and reports those
//! whose work meets a difficulty; the work function is `gpow_primitives_pow`'s, the one the node
//! verifies. [`Cpu`] is the only backend so far; a GPU one implements [`Hasher`] the same way
//! (with larger batches).

use gpow_primitives_pow::{nonce_meets, U256};

/// Nonces one [`Hasher::scan`] call tries: small enough that a thread notices a new job within
/// a few milliseconds.
pub const BATCH: u64 = 16 * 1024;

/// A hashing backend; each mining thread owns one.
pub trait Hasher: Send {
	/// Tries the `count` nonces from `start` (wrapping) over `pre_image` and appends to `found`
	/// those whose work meets `difficulty`.
	fn scan(
		&mut self,
		pre_image: &[u8; 32],
		start: u64,
		count: u64,
		difficulty: U256,
		found: &mut Vec<u64>,
	);
}

/// The backends `--backend` can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
	/// One CPU core per thread, blake2-256 from `sp-crypto-hashing`.
	Cpu,
}

impl Backend {
	/// A hasher of this backend for one thread.
	pub fn hasher(self) -> Box<dyn Hasher> {
		match self {
			Backend::Cpu => Box::new(Cpu),
		}
	}
}

/// Hashes on the CPU, exactly as the node's in-process miner does.
pub struct Cpu;

impl Hasher for Cpu {
	fn scan(
		&mut self,
		pre_image: &[u8; 32],
		start: u64,
		count: u64,
		difficulty: U256,
		found: &mut Vec<u64>,
	) {
		let mut nonce = start;
		for _ in 0..count {
			if nonce_meets(pre_image, nonce, difficulty) {
				found.push(nonce);
			}
			nonce = nonce.wrapping_add(1);
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_cpu_finds_exactly_the_nonces_that_meet_the_difficulty() {
		let pre = [9u8; 32];
		let difficulty = U256::from(16);
		let mut found = Vec::new();
		Backend::Cpu.hasher().scan(&pre, 100, 1_000, difficulty, &mut found);
		let expected: Vec<u64> =
			(100..1_100).filter(|n| nonce_meets(&pre, *n, difficulty)).collect();
		assert!(!expected.is_empty());
		assert_eq!(found, expected);
	}

	#[test]
	fn a_scan_wraps_at_the_top_of_the_nonce_space() {
		let mut found = Vec::new();
		Cpu.scan(&[0u8; 32], u64::MAX, 2, U256::one(), &mut found);
		assert_eq!(found, [u64::MAX, 0]);
	}
}
