//! A validator's verdict on a piece of work, and the named reasons it fails.

use crate::{merkle::MerkleError, Hash};
use std::fmt;

/// The most reasons a verdict lists; past it, they are only counted in
/// [`Verdict::omitted`] (a result with a million false hits gives a short log).
pub const MAX_REASONS: usize = 64;

/// Why a piece of work fails evaluation. `index` is a sample's position in the work (a value's
/// offset from the range's start, a chunk's number); `value` is a value of a range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
	/// The result the provider delivered is not the one it committed to on chain.
	CommitmentMismatch {
		/// The hash committed on chain.
		on_chain: Hash,
		/// The hash of the result delivered.
		delivered: Hash,
	},
	/// The provider gave no answer for a sample (unreachable, refused, malformed).
	Unanswered {
		/// The sample's index.
		index: u64,
		/// What went wrong, as the fetcher reported it.
		why: String,
	},
	/// The answer's Merkle proof does not lead to the committed root.
	BadProof {
		/// The sample's index.
		index: u64,
		/// How the proof failed.
		why: MerkleError,
	},
	/// The committed hash of a value is not the hash of that value.
	WrongHash {
		/// The sample's index.
		index: u64,
	},
	/// A sampled value's hash is below the target, but the value is not among the hits.
	MissingHit {
		/// The value left out.
		value: u64,
	},
	/// A claimed hit's hash is not below the target.
	FalseHit {
		/// The value claimed.
		value: u64,
	},
	/// A claimed hit lies outside the range.
	HitOutOfRange {
		/// The value claimed.
		value: u64,
	},
	/// The hits are not in strictly ascending order (a duplicate or a step back).
	HitsNotAscending {
		/// The first value that is not above the one before it.
		value: u64,
	},
	/// A storage answer carries another challenge's nonce.
	WrongNonce {
		/// The challenged chunk.
		index: u64,
	},
	/// A storage answer's chunk does not have the definition's chunk size.
	WrongChunkLength {
		/// The challenged chunk.
		index: u64,
		/// The length of the chunk answered.
		len: u64,
		/// The definition's chunk size.
		expected: u64,
	},
}

/// A hash as lowercase hex with a `0x` prefix.
fn hex(hash: &Hash) -> String {
	let mut out = String::with_capacity(66);
	out.push_str("0x");
	for byte in hash {
		out.push_str(&format!("{byte:02x}"));
	}
	out
}

impl fmt::Display for Reason {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::CommitmentMismatch { on_chain, delivered } => write!(
				f,
				"CommitmentMismatch: the delivered result hashes to {}, the chain holds {}",
				hex(delivered),
				hex(on_chain)
			),
			Self::Unanswered { index, why } => {
				write!(f, "Unanswered {{ index: {index} }}: no answer for the sample: {why}")
			},
			Self::BadProof { index, why } => {
				write!(f, "BadProof {{ index: {index} }}: the answer's Merkle proof fails: {why}")
			},
			Self::WrongHash { index } => write!(
				f,
				"WrongHash {{ index: {index} }}: the committed hash is not the hash of the value"
			),
			Self::MissingHit { value } => write!(
				f,
				"MissingHit {{ value: {value} }}: its hash is below the target but it is not a hit"
			),
			Self::FalseHit { value } => write!(
				f,
				"FalseHit {{ value: {value} }}: claimed as a hit, its hash is not below the target"
			),
			Self::HitOutOfRange { value } => {
				write!(f, "HitOutOfRange {{ value: {value} }}: claimed as a hit, outside the range")
			},
			Self::HitsNotAscending { value } => {
				write!(f, "HitsNotAscending {{ value: {value} }}: not above the hit before it")
			},
			Self::WrongNonce { index } => {
				write!(f, "WrongNonce {{ index: {index} }}: the answer is to another challenge")
			},
			Self::WrongChunkLength { index, len, expected } => write!(
				f,
				"WrongChunkLength {{ index: {index} }}: the chunk has {len} bytes, not {expected}"
			),
		}
	}
}

/// What a validator concluded, and why: the samples it drew (reproducible from the seed), what
/// they cost in answer bytes, and every reason the work failed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
	/// Whether the work passed: no reason to fail it was found.
	pub pass: bool,
	/// The indices sampled, in the order drawn.
	pub samples: Vec<u64>,
	/// The bytes of the provider's answers the evaluation read (their SCALE encodings).
	pub answer_bytes: u64,
	/// Why the work fails, at most [`MAX_REASONS`] of them; empty when it passes.
	pub failures: Vec<Reason>,
	/// The reasons found beyond [`MAX_REASONS`].
	pub omitted: u64,
}

impl Verdict {
	/// A passing verdict on no samples yet.
	pub(crate) fn new() -> Self {
		Self { pass: true, ..Default::default() }
	}

	/// Records a reason to fail the work.
	pub(crate) fn fail(&mut self, reason: Reason) {
		self.pass = false;
		if self.failures.len() < MAX_REASONS {
			self.failures.push(reason);
		} else {
			self.omitted = self.omitted.saturating_add(1);
		}
	}
}

impl fmt::Display for Verdict {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let outcome = if self.pass { "pass" } else { "fail" };
		write!(
			f,
			"{outcome}: {} samples, {} answer bytes, {} reasons",
			self.samples.len(),
			self.answer_bytes,
			self.failures.len() as u64 + self.omitted
		)?;
		for reason in &self.failures {
			write!(f, "\n  {reason}")?;
		}
		if self.omitted > 0 {
			write!(f, "\n  ... and {} more", self.omitted)?;
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_new_verdict_passes_and_a_reason_fails_it() {
		let mut verdict = Verdict::new();
		assert!(verdict.pass);
		verdict.fail(Reason::FalseHit { value: 3 });
		assert!(!verdict.pass);
		assert_eq!(verdict.failures, vec![Reason::FalseHit { value: 3 }]);
	}

	#[test]
	fn reasons_past_the_cap_are_counted() {
		let mut verdict = Verdict::new();
		for value in 0..(MAX_REASONS as u64 + 10) {
			verdict.fail(Reason::FalseHit { value });
		}
		assert_eq!(verdict.failures.len(), MAX_REASONS);
		assert_eq!(verdict.omitted, 10);
		assert!(verdict.to_string().ends_with("... and 10 more"));
	}

	#[test]
	fn reasons_read_with_their_names() {
		let reasons = [
			(Reason::WrongHash { index: 4 }, "WrongHash { index: 4 }"),
			(Reason::MissingHit { value: 9 }, "MissingHit { value: 9 }"),
			(
				Reason::BadProof { index: 2, why: MerkleError::RootMismatch },
				"BadProof { index: 2 }",
			),
			(Reason::WrongNonce { index: 1 }, "WrongNonce { index: 1 }"),
		];
		for (reason, name) in reasons {
			assert!(reason.to_string().starts_with(name), "{reason}");
		}
		let mismatch = Reason::CommitmentMismatch { on_chain: [0xab; 32], delivered: [1; 32] };
		assert!(mismatch.to_string().contains(&format!("0x{}", "ab".repeat(32))));
	}
}
