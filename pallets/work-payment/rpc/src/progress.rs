//! The shares credited to each token: the only state the work API keeps, bounded in tokens and
//! in shares per token, forgotten least recently used first.

use std::collections::BTreeSet;

use gpow_primitives_pow::{nonce_effort, U256};
use schnellru::{ByLength, LruMap};

use crate::token::Assignment;

/// How many tokens' progress is kept.
pub const MAX_TOKENS: u32 = 4096;
/// How many shares one token may be credited with (64 are expected before the work is done).
pub const MAX_SHARES: usize = 4096;

/// What one submission did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Credit {
	/// Shares credited now.
	pub new_shares: u32,
	/// Nonces already credited to this token.
	pub duplicates: u32,
	/// Nonces whose work is below the share effort.
	pub low_work: u32,
	/// Nonces outside the token's range.
	pub out_of_range: u32,
}

/// A token's progress.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
	/// The credited shares' nonces.
	pub shares: BTreeSet<u64>,
	/// The nonce that meets the required effort, once one was submitted.
	pub seal: Option<u64>,
}

/// Why a submission was refused as a whole (nothing credited).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
	/// The token holds [`MAX_SHARES`] shares already.
	TooManyShares,
}

/// Progress by token key.
pub struct Book {
	tokens: LruMap<[u8; 32], Progress, ByLength>,
}

impl Default for Book {
	fn default() -> Self {
		Self { tokens: LruMap::new(ByLength::new(MAX_TOKENS)) }
	}
}

impl Book {
	/// The progress of token `key` (empty if none was credited, or it was forgotten).
	pub fn progress(&mut self, key: &[u8; 32]) -> Progress {
		self.tokens.get(key).cloned().unwrap_or_default()
	}

	/// Checks `nonces` against `assignment` and credits the shares: each nonce in range, not yet
	/// credited, whose work meets the share effort. A nonce that meets the required effort
	/// completes the work.
	pub fn submit(
		&mut self,
		key: [u8; 32],
		assignment: &Assignment,
		nonces: &[u64],
	) -> Result<(Credit, Progress), Refusal> {
		let progress = self
			.tokens
			.get_or_insert(key, Progress::default)
			.ok_or(Refusal::TooManyShares)?;
		if progress.shares.len() >= MAX_SHARES && progress.seal.is_none() {
			return Err(Refusal::TooManyShares);
		}
		let mut credit = Credit::default();
		let (share, required) = (U256::from(assignment.share), U256::from(assignment.required));
		for &nonce in nonces {
			if !assignment.in_range(nonce) {
				credit.out_of_range += 1;
				continue;
			}
			if progress.shares.contains(&nonce) {
				credit.duplicates += 1;
				continue;
			}
			let effort = nonce_effort(&assignment.pre_image, nonce);
			if effort < share {
				credit.low_work += 1;
				continue;
			}
			if progress.shares.len() >= MAX_SHARES {
				break;
			}
			progress.shares.insert(nonce);
			credit.new_shares += 1;
			if effort >= required && progress.seal.is_none() {
				progress.seal = Some(nonce);
			}
		}
		Ok((credit, progress.clone()))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn assignment() -> Assignment {
		Assignment {
			pre_image: [3; 32],
			anchor: 1,
			expires: 65,
			required: 4096,
			share: 64,
			nonce_start: 0,
			nonce_count: 1 << 20,
		}
	}

	fn nonces_with(a: &Assignment, min: u128, below: u128, n: usize) -> Vec<u64> {
		(a.nonce_start..)
			.filter(|x| {
				let e = nonce_effort(&a.pre_image, *x);
				e >= U256::from(min) && e < U256::from(below)
			})
			.take(n)
			.collect()
	}

	#[test]
	fn shares_are_credited_once_and_low_work_and_foreign_nonces_not_at_all() {
		let a = assignment();
		let mut book = Book::default();
		let shares = nonces_with(&a, a.share, a.required, 3);
		let low = nonces_with(&a, 0, a.share, 2);
		let mut submitted = shares.clone();
		submitted.extend(&low);
		submitted.push(a.nonce_start + a.nonce_count);
		let (credit, progress) = book.submit([1; 32], &a, &submitted).unwrap();
		assert_eq!(credit, Credit { new_shares: 3, duplicates: 0, low_work: 2, out_of_range: 1 });
		assert_eq!(progress.shares.len(), 3);
		assert_eq!(progress.seal, None);
		let (again, _) = book.submit([1; 32], &a, &shares).unwrap();
		assert_eq!(again, Credit { duplicates: 3, ..Credit::default() });
		assert_eq!(book.progress(&[1; 32]).shares.len(), 3);
		assert_eq!(book.progress(&[2; 32]), Progress::default());
	}

	#[test]
	fn a_nonce_meeting_the_required_effort_completes_the_work() {
		let a = assignment();
		let mut book = Book::default();
		let full = nonces_with(&a, a.required, u128::MAX, 1)[0];
		let (credit, progress) = book.submit([1; 32], &a, &[full]).unwrap();
		assert_eq!(credit.new_shares, 1);
		assert_eq!(progress.seal, Some(full));
		assert!(nonce_effort(&a.pre_image, full) >= U256::from(a.required));
	}
}
