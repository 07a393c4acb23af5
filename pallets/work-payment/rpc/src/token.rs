//! Work tokens: an assignment sealed with the node's secret, so the node keeps nothing until
//! shares arrive (like the PoW gate's cookies) and can tell its own tokens from forged ones.

use codec::{Decode, Encode};

/// The token format's version (first byte).
const VERSION: u8 = 1;
/// Bytes of the tag that closes a token.
const TAG_LEN: usize = 16;

/// What a token assigns: the pre-image to work on, what counts as done and as a share, the
/// nonces to try and how long the work is good for.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Assignment {
	/// The transaction's pre-image (`gpow-primitives-work::pre_image`).
	pub pre_image: [u8; 32],
	/// The anchor block the seal names.
	pub anchor: u64,
	/// The last block the transaction can be included in.
	pub expires: u64,
	/// The effort that pays for the transaction.
	pub required: u128,
	/// The effort of one share.
	pub share: u128,
	/// The first nonce of the range.
	pub nonce_start: u64,
	/// How many nonces the range holds.
	pub nonce_count: u64,
}

impl Assignment {
	/// Whether `nonce` is in the assigned range.
	pub fn in_range(&self, nonce: u64) -> bool {
		nonce
			.checked_sub(self.nonce_start)
			.is_some_and(|offset| offset < self.nonce_count)
	}
}

/// Seals and opens tokens with a secret the node draws at start (tokens end with the process).
pub struct Sealer {
	secret: [u8; 32],
}

impl Sealer {
	/// A sealer with a fresh random secret.
	pub fn random() -> Self {
		Self { secret: rand::random() }
	}

	/// A sealer with `secret` (tests).
	#[cfg(test)]
	pub fn with_secret(secret: [u8; 32]) -> Self {
		Self { secret }
	}

	fn tag(&self, body: &[u8]) -> [u8; TAG_LEN] {
		let mut keyed = Vec::with_capacity(32 + body.len());
		keyed.extend_from_slice(&self.secret);
		keyed.extend_from_slice(body);
		let hash = sp_crypto_hashing::blake2_256(&keyed);
		let mut tag = [0u8; TAG_LEN];
		tag.copy_from_slice(&hash[..TAG_LEN]);
		tag
	}

	/// The token of `assignment`: `version ++ SCALE(assignment) ++ tag`.
	pub fn seal(&self, assignment: &Assignment) -> Vec<u8> {
		let mut token = (VERSION, assignment).encode();
		let tag = self.tag(&token);
		token.extend_from_slice(&tag);
		token
	}

	/// The assignment of a token this node issued, or `None` for anything else (altered,
	/// truncated, another node's or another run's).
	pub fn open(&self, token: &[u8]) -> Option<Assignment> {
		let split = token.len().checked_sub(TAG_LEN)?;
		let (body, tag) = token.split_at(split);
		if self.tag(body) != tag {
			return None;
		}
		let (version, assignment) = <(u8, Assignment)>::decode(&mut &body[..]).ok()?;
		(version == VERSION).then_some(assignment)
	}
}

/// The key progress is kept under: the token's hash.
pub fn token_key(token: &[u8]) -> [u8; 32] {
	sp_crypto_hashing::blake2_256(token)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn assignment() -> Assignment {
		Assignment {
			pre_image: [9; 32],
			anchor: 10,
			expires: 74,
			required: 1 << 20,
			share: 1 << 14,
			nonce_start: 1000,
			nonce_count: 50,
		}
	}

	#[test]
	fn a_sealed_token_opens_to_its_assignment() {
		let sealer = Sealer::with_secret([1; 32]);
		let token = sealer.seal(&assignment());
		assert_eq!(sealer.open(&token), Some(assignment()));
	}

	#[test]
	fn altered_truncated_and_foreign_tokens_do_not_open() {
		let sealer = Sealer::with_secret([1; 32]);
		let token = sealer.seal(&assignment());
		for i in 0..token.len() {
			let mut altered = token.clone();
			altered[i] ^= 1;
			assert_eq!(sealer.open(&altered), None, "byte {i} altered");
		}
		assert_eq!(sealer.open(&token[..token.len() - 1]), None);
		assert_eq!(sealer.open(&[]), None);
		assert_eq!(Sealer::with_secret([2; 32]).open(&token), None);
	}

	#[test]
	fn the_range_is_half_open() {
		let a = assignment();
		assert!(!a.in_range(999));
		assert!(a.in_range(1000));
		assert!(a.in_range(1049));
		assert!(!a.in_range(1050));
	}
}
