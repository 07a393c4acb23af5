//! The encryption of a file the consumer has stored: the provider (and the panel that
//! challenges it) only ever sees ciphertext.
//!
//! The store keeps one 32-byte secret (`storage/secret`, mode 0600). Each blob draws a random
//! 32-byte salt; its key is `blake2_256("gpow-service/blob/v1" ++ secret ++ salt)`, used once,
//! with ChaCha20-Poly1305 and a zero nonce. Blob = `salt ++ ciphertext ++ tag` (48 bytes more
//! than the file), so a blob decrypts with the store's secret alone.

use chacha20poly1305::{
	aead::{Aead, KeyInit},
	ChaCha20Poly1305, Key, Nonce,
};
use sp_crypto_hashing::blake2_256;

use super::{ConsumerError, ConsumerResult};
use crate::store::Store;

/// The store file of the blob secret.
const SECRET_FILE: &str = "storage/secret";
/// The key derivation's domain.
const DOMAIN: &[u8] = b"gpow-service/blob/v1";
/// The salt's length.
const SALT_LEN: usize = 32;
/// What a blob adds to its file: the salt and the tag.
pub const OVERHEAD: usize = SALT_LEN + 16;

/// 32 bytes from the operating system.
pub fn random_bytes() -> ConsumerResult<[u8; 32]> {
	let mut bytes = [0u8; 32];
	getrandom::getrandom(&mut bytes).map_err(|e| ConsumerError::Io {
		path: "the operating system's random number generator".into(),
		error: std::io::Error::other(e.to_string()),
	})?;
	Ok(bytes)
}

/// The store's blob secret, made on first use.
fn secret(store: &Store) -> ConsumerResult<[u8; 32]> {
	store.secret(SECRET_FILE, random_bytes)
}

/// The cipher of the blob with `salt`.
fn cipher(store: &Store, salt: &[u8]) -> ConsumerResult<ChaCha20Poly1305> {
	let mut material = DOMAIN.to_vec();
	material.extend_from_slice(&secret(store)?);
	material.extend_from_slice(salt);
	Ok(ChaCha20Poly1305::new(Key::from_slice(&blake2_256(&material))))
}

/// `file` encrypted with the store's secret.
pub fn encrypt(store: &Store, file: &[u8]) -> ConsumerResult<Vec<u8>> {
	let salt = random_bytes()?;
	let sealed = cipher(store, &salt)?
		.encrypt(Nonce::from_slice(&[0; 12]), file)
		.map_err(|_| ConsumerError::BadDefinition("the file is too large to encrypt".into()))?;
	let mut blob = salt.to_vec();
	blob.extend_from_slice(&sealed);
	Ok(blob)
}

/// The file in `blob` (without the chunks' padding), if it decrypts with the store's secret.
pub fn decrypt(store: &Store, blob: &[u8]) -> ConsumerResult<Vec<u8>> {
	if blob.len() < OVERHEAD {
		return Err(ConsumerError::BlobDoesNotDecrypt);
	}
	let (salt, sealed) = blob.split_at(SALT_LEN);
	cipher(store, salt)?
		.decrypt(Nonce::from_slice(&[0; 12]), sealed)
		.map_err(|_| ConsumerError::BlobDoesNotDecrypt)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_blob_decrypts_with_its_store_only() {
		let dir =
			|n: &str| std::env::temp_dir().join(format!("gpow-blob-{n}-{}", std::process::id()));
		let (a, b) = (dir("a"), dir("b"));
		let _ = (std::fs::remove_dir_all(&a), std::fs::remove_dir_all(&b));
		let (store, other) = (Store::open(&a).unwrap(), Store::open(&b).unwrap());
		let file = b"the consumer's file".to_vec();
		let blob = encrypt(&store, &file).unwrap();
		assert_eq!(blob.len(), file.len() + OVERHEAD);
		assert_ne!(encrypt(&store, &file).unwrap(), blob, "a fresh salt every time");
		assert_eq!(decrypt(&store, &blob).unwrap(), file);
		assert!(matches!(decrypt(&other, &blob), Err(ConsumerError::BlobDoesNotDecrypt)));
		let mut tampered = blob.clone();
		tampered[40] ^= 1;
		assert!(matches!(decrypt(&store, &tampered), Err(ConsumerError::BlobDoesNotDecrypt)));
		assert!(matches!(decrypt(&store, &blob[..20]), Err(ConsumerError::BlobDoesNotDecrypt)));
		drop(store);
		assert_eq!(decrypt(&Store::open(&a).unwrap(), &blob).unwrap(), file, "the secret is kept");
		let _ = (std::fs::remove_dir_all(a), std::fs::remove_dir_all(b));
	}
}
