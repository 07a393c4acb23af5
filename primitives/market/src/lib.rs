//! # GPoW market: the work of the service market, off chain
//!
//! The chain's service market (`pallet-services`) only sees hashes: the hash of a consumer's
//! definition when it requests an instance, and the hash of the provider's result when the
//! provider submits it; a panel of validators then judges the work in a validation pool. This
//! crate holds what the three off-chain programs must agree on to do and judge that work:
//! the provider (does the work, answers spot checks), the validator (draws spot checks from a
//! seed and judges) and the consumer (defines the work and checks what it gets back).
//!
//! ## Two service types
//!
//! - [`range`]: **range compute** (seed 002). Hash every value of `[start, end)` with a known
//!   function, return the values whose hash is below a target (the *hits*) and a Merkle
//!   commitment to all hashes. A validator checks every hit and recomputes `k` sampled hashes,
//!   each proven against the commitment.
//! - [`storage`]: **storage for a time** (seed 002's backup coop). Keep an encrypted blob for
//!   a number of blocks; a validator challenges random chunks, which the provider answers with
//!   the chunk and its Merkle proof against the root in the definition.
//!
//! ## Concepts
//!
//! - **Definition hash**: `blake2_256` of a definition's SCALE encoding, what the consumer puts
//!   on chain in `request`. The **result hash** (`blake2_256(SCALE(result))`) is what the
//!   provider puts on chain in `submit_result`.
//! - **Commitment**: a [`merkle`] root over every piece of the work, so that one piece can be
//!   checked (a leaf and a proof) without the rest.
//! - **Sampling**: a validator's checks are drawn from a seed ([`sampling`]), so anyone can
//!   redo an evaluation and get the same [`Verdict`]. A provider that skipped a fraction `f`
//!   of the work escapes `k` samples with probability [`escape_probability`]`(f, k) =
//!   (1 - f)^k`.
//! - **Verdict**: pass or fail, the samples, and every failure as a named [`Reason`].
//! - **Framing** ([`wire`]): definitions, results and answers as bytes for the SSK channel,
//!   with size limits, and [`wire::matches_hash`] to check them against the chain.
//!
//! Every bad input (an empty or oversized range, a chunk index out of range, a proof of the
//! wrong length, a malformed frame) is a named error; nothing here panics on input.
//!
//! ## Example
//!
//! ```
//! use gpow_market::{range, wire, Limits};
//! use std::num::NonZeroU64;
//!
//! // The consumer defines the work and puts its hash on chain.
//! let target = range::target_one_in(NonZeroU64::new(64).unwrap());
//! let definition = range::RangeDefinition { salt: [7; 32], start: 0, end: 4096, target };
//! let on_chain_definition = definition.definition_hash();
//!
//! // The provider receives the definition, checks it against the chain, and does the work.
//! let frame = wire::encode(&definition).unwrap();
//! assert!(wire::matches_hash(&frame, wire::Kind::RangeDefinition, &on_chain_definition));
//! let work = range::compute(&wire::decode(&frame).unwrap(), &Limits::default()).unwrap();
//! let on_chain_result = work.result().result_hash();
//!
//! // A validator draws 20 samples from a seed and asks the provider for each.
//! let fetch = |i| work.answer(i);
//! let verdict = range::evaluate(&definition, work.result(), &on_chain_result, 20, [1; 32], fetch);
//! assert!(verdict.unwrap().pass);
//!
//! // A provider that skipped 25 % of the values escapes 20 samples with chance 0.75^20.
//! let cheat = range::compute_cheating(&definition, &Limits::default(), 0.25, [2; 32]).unwrap();
//! let (result, fetch) = (cheat.result(), |i| cheat.answer(i));
//! let verdict = range::evaluate(&definition, result, &result.result_hash(), 20, [1; 32], fetch);
//! let verdict = verdict.unwrap();
//! assert!(!verdict.pass);
//! println!("{verdict}"); // fail: 20 samples, ... reasons, each with its name
//! assert!(gpow_market::escape_probability(0.25, 20) < 0.004);
//! ```

#![deny(missing_docs)]

pub mod kind;
pub mod merkle;
pub mod range;
pub mod sampling;
pub mod storage;
pub mod verdict;
pub mod wire;

pub use kind::ServiceKind;
pub use sampling::{escape_probability, samples_for};
pub use verdict::{Reason, Verdict};

/// A blake2-256 hash.
pub type Hash = [u8; 32];

/// The largest work a program accepts. Providers check definitions against their limits
/// before taking the work on; validators need none (an evaluation costs `k` samples whatever
/// the size of the work).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
	/// The most values in a range (the provider's tree takes about 64 bytes per value).
	pub max_values: u64,
	/// The most chunks in a stored blob.
	pub max_chunks: u32,
	/// The largest chunk, in bytes.
	pub max_chunk_size: u32,
}

impl Default for Limits {
	/// 2^24 values (1 GiB of tree), 2^20 chunks of at most 1 MiB.
	fn default() -> Self {
		Self { max_values: 1 << 24, max_chunks: 1 << 20, max_chunk_size: 1 << 20 }
	}
}
