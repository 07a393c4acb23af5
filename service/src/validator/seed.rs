//! The seed a panel member draws its samples from.
//!
//! ```text
//! seed = blake2_256("gpow/market/validator-seed" ++ pool id as u64 LE ++ account (32 bytes)
//!                   ++ hash of the block the panel was drawn in)
//! ```
//!
//! Everything in it is on chain once the panel is drawn, so anyone can redo a member's
//! evaluation and get the same samples; each member of a panel draws its own (the account is
//! in the seed), and the provider cannot know them before the block that draws the panel. The
//! second round of a storage evaluation uses the same formula with the hash of the block at the
//! middle of the window, which the provider cannot know at the first round.

use gpow_market::Hash;
use gpow_runtime::AccountId;
use pallet_reputation::PoolId;
use sp_crypto_hashing::blake2_256;

/// The domain of the seed.
pub const SEED_DOMAIN: &[u8] = b"gpow/market/validator-seed";

/// The seed of `account`'s evaluation in `pool`, from the hash of block `block`.
pub fn seed(pool: PoolId, account: &AccountId, block: &gpow_runtime::Hash) -> Hash {
	let account: &[u8] = account.as_ref();
	let mut pre_image = Vec::with_capacity(SEED_DOMAIN.len() + 8 + 32 + 32);
	pre_image.extend_from_slice(SEED_DOMAIN);
	pre_image.extend_from_slice(&pool.to_le_bytes());
	pre_image.extend_from_slice(account);
	pre_image.extend_from_slice(block.as_bytes());
	blake2_256(&pre_image)
}

/// `bytes` as lowercase hex with a `0x` prefix (seeds and hashes in logs and records).
pub fn hex(bytes: &[u8]) -> String {
	sp_core::bytes::to_hex(bytes, false)
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::H256;

	fn account(byte: u8) -> AccountId {
		AccountId::new([byte; 32])
	}

	#[test]
	fn the_seed_is_the_documented_hash() {
		let mut pre_image = b"gpow/market/validator-seed".to_vec();
		pre_image.extend_from_slice(&[7, 0, 0, 0, 0, 0, 0, 0]);
		pre_image.extend_from_slice(&[1; 32]);
		pre_image.extend_from_slice(&[2; 32]);
		let seed = seed(7, &account(1), &H256::repeat_byte(2));
		assert_eq!(seed, blake2_256(&pre_image));
		// Pinned, so that a change of the formula is seen (other implementations rely on it).
		assert_eq!(hex(&seed), PINNED);
	}

	/// The seed of pool 7, account `[1; 32]`, block `[2; 32]`, computed with Python's hashlib
	/// (`blake2b(pre_image, digest_size=32)`).
	const PINNED: &str = "0x8f9bf28384ccb4c649f52a5c96269a148951d6c972b64fe7a815fe48668e4593";

	#[test]
	fn every_input_changes_the_seed() {
		let base = seed(1, &account(1), &H256::repeat_byte(1));
		assert_ne!(base, seed(2, &account(1), &H256::repeat_byte(1)));
		assert_ne!(base, seed(1, &account(2), &H256::repeat_byte(1)));
		assert_ne!(base, seed(1, &account(1), &H256::repeat_byte(2)));
		assert_eq!(base, seed(1, &account(1), &H256::repeat_byte(1)));
	}

	#[test]
	fn hex_is_lowercase_with_a_prefix() {
		assert_eq!(hex(&[0xab, 0x01]), "0xab01");
		assert_eq!(hex(&[]), "0x");
	}
}
