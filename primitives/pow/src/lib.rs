//! # GPoW proof-of-work primitives
//!
//! The proof-of-work math that every part of GPoW shares: block sealing in the node and the
//! runtime, connection puzzles in the PoW gate and work receipts on chain. `no_std` so the runtime
//! can use it; `std` (the default) for the node and off-chain clients. [`keep_pow`] is the PoW
//! gate's keep-alive proof (`KEEP_POW`): its format and check, shared by the gate and the chain.
//!
//! ## Terms
//!
//! - **Pre-image**: the 32 bytes the work commits to. For a block it is the pre-hash, the hash of
//!   the header before the seal is added.
//! - **Nonce**: the 64-bit counter a miner varies.
//! - **Work**: `blake2_256(pre_image ++ nonce_le)`, read as a big-endian 256-bit number.
//! - **Difficulty**: the expected number of hashes needed to find a valid nonce. The effort is
//!   linear: a work value `w` meets difficulty `d` iff `w * d <= U256::MAX`, computed without
//!   overflow. Difficulty 0 is never valid; difficulty 1 accepts every work value.
//! - **Effort** of a work value: the largest difficulty it meets, `U256::MAX / w` (and `U256::MAX`
//!   for `w = 0`). Summing efforts measures how much hashing a set of proofs represents.
//! - **Seal**: what a block carries in its seal digest: the claimed difficulty and the nonce,
//!   SCALE-encoded ([`Seal`]).
//!
//! ## Example
//!
//! ```
//! use gpow_primitives_pow::{Seal, U256};
//!
//! let pre_image = [7u8; 32];
//! let difficulty = U256::from(16);
//! // Mine: try nonces until one meets the difficulty.
//! let nonce = (0u64..).find(|n| gpow_primitives_pow::nonce_meets(&pre_image, *n, difficulty)).unwrap();
//! let seal = Seal { difficulty, nonce };
//! let bytes = codec::Encode::encode(&seal);
//! // Verify: decode, compare the difficulty, recompute the work.
//! assert_eq!(gpow_primitives_pow::check_seal(&pre_image, &bytes, difficulty), Ok(seal));
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub mod keep_pow;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
pub use primitive_types::{H256, U256};

/// Confirmation depths: a block this many blocks below the best block is final (the node
/// finalizes it; a deeper reorganisation is refused). The runtime's genesis presets size
/// governance's enactment delays by them.
pub mod confirmation_depth {
	/// The development chain (`--dev`).
	pub const DEVELOPMENT: u32 = 10;
	/// The local testnet.
	pub const LOCAL: u32 = 30;
	/// Live chains.
	pub const LIVE: u32 = 100;
}
use scale_info::TypeInfo;

/// Consensus engine id of GPoW's proof of work (the same id sc-consensus-pow uses).
pub const POW_ENGINE_ID: [u8; 4] = *b"pow_";

/// Length of the message the work hash covers: a 32-byte pre-image and an 8-byte nonce.
pub const WORK_INPUT_LEN: usize = 40;

/// The seal a mined block carries: the difficulty the miner claims and the winning nonce.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Seal {
	/// The difficulty the work was done at. Must equal what the chain requires.
	pub difficulty: U256,
	/// The nonce that makes the work meet `difficulty`.
	pub nonce: u64,
}

impl Seal {
	/// Decodes a seal from exactly its encoded bytes; trailing or missing bytes are an error.
	pub fn decode_exact(mut bytes: &[u8]) -> Result<Self, SealError> {
		let seal = Seal::decode(&mut bytes).map_err(|_| SealError::Malformed)?;
		if bytes.is_empty() {
			Ok(seal)
		} else {
			Err(SealError::Malformed)
		}
	}
}

/// Why a seal is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealError {
	/// The seal bytes do not decode to exactly one [`Seal`].
	Malformed,
	/// The seal claims a difficulty other than the one required.
	WrongDifficulty {
		/// What the seal claims.
		claimed: U256,
		/// What the chain requires.
		expected: U256,
	},
	/// The required difficulty is zero, which no work can meet.
	ZeroDifficulty,
	/// The work of the nonce does not meet the difficulty.
	InsufficientWork,
}

impl core::fmt::Display for SealError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			SealError::Malformed => write!(f, "malformed seal bytes"),
			SealError::WrongDifficulty { claimed, expected } => {
				write!(f, "seal claims difficulty {claimed}, the runtime requires {expected}")
			},
			SealError::ZeroDifficulty => write!(f, "required difficulty is zero"),
			SealError::InsufficientWork => write!(f, "the work does not meet the difficulty"),
		}
	}
}

/// The bytes the work hash covers: `pre_image ++ nonce` (nonce little-endian).
pub fn work_input(pre_image: &[u8; 32], nonce: u64) -> [u8; WORK_INPUT_LEN] {
	let mut input = [0u8; WORK_INPUT_LEN];
	input[..32].copy_from_slice(pre_image);
	input[32..].copy_from_slice(&nonce.to_le_bytes());
	input
}

/// The work of `nonce` over `pre_image`: `blake2_256(pre_image ++ nonce_le)`.
pub fn work_hash(pre_image: &[u8; 32], nonce: u64) -> H256 {
	H256(sp_crypto_hashing::blake2_256(&work_input(pre_image, nonce)))
}

/// Whether `work` meets `difficulty`: `U256(work) * difficulty <= U256::MAX`, with no overflow.
///
/// Difficulty 0 is met by nothing; difficulty 1 by everything.
pub fn meets_difficulty(work: &H256, difficulty: U256) -> bool {
	if difficulty.is_zero() {
		return false;
	}
	let work = U256::from_big_endian(work.as_bytes());
	// `checked_mul` fails exactly when the product exceeds U256::MAX.
	work.checked_mul(difficulty).is_some()
}

/// Whether `nonce` over `pre_image` meets `difficulty`.
pub fn nonce_meets(pre_image: &[u8; 32], nonce: u64, difficulty: U256) -> bool {
	meets_difficulty(&work_hash(pre_image, nonce), difficulty)
}

/// The effort a work value proves: the largest difficulty it meets (`U256::MAX / work`).
pub fn effort(work: &H256) -> U256 {
	let work = U256::from_big_endian(work.as_bytes());
	if work.is_zero() {
		U256::MAX
	} else {
		U256::MAX / work
	}
}

/// The effort of a work value from its top 64 bits: a 128-bit division instead of a 256-bit
/// one, within a relative error of 2^-62 of [`effort`]. For ranking (a transaction's priority),
/// where the exact value does not matter; acceptance is decided by [`meets_difficulty`].
pub fn approximate_effort(work: &H256) -> U256 {
	let work = U256::from_big_endian(work.as_bytes());
	let bits = work.bits();
	if bits <= 64 {
		return if work.is_zero() { U256::MAX } else { U256::MAX / work };
	}
	// work = top * 2^shift (+ lower bits), 2^63 <= top < 2^64.
	let shift = bits - 64;
	let top = (work >> shift).low_u64();
	// 2^256 / work ~ (2^128 / top) * 2^(128 - shift), with 2^128 / top in (2^64, 2^65].
	let quotient = U256::from(u128::MAX / u128::from(top));
	if shift <= 128 {
		// At most 2^65 * 2^128: no overflow.
		quotient << (128 - shift)
	} else {
		quotient >> (shift - 128)
	}
}

/// The effort a nonce over a pre-image proves.
pub fn nonce_effort(pre_image: &[u8; 32], nonce: u64) -> U256 {
	effort(&work_hash(pre_image, nonce))
}

/// Checks encoded seal bytes for a pre-image against the difficulty the chain requires.
///
/// This is the whole verification of a block's proof of work: decode exactly, compare the
/// claimed difficulty, recompute the work and check it.
pub fn check_seal(pre_image: &[u8; 32], seal: &[u8], expected: U256) -> Result<Seal, SealError> {
	let seal = Seal::decode_exact(seal)?;
	if expected.is_zero() {
		return Err(SealError::ZeroDifficulty);
	}
	if seal.difficulty != expected {
		return Err(SealError::WrongDifficulty { claimed: seal.difficulty, expected });
	}
	if !nonce_meets(pre_image, seal.nonce, expected) {
		return Err(SealError::InsufficientWork);
	}
	Ok(seal)
}

#[cfg(test)]
mod tests;
