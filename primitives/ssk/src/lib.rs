//! # GPoW SSK primitives
//!
//! The formats of the Sustainable Symmetric Key (SSK) registry that the chain (`pallet-ssk`), its
//! runtime API and off-chain clients (`gpow-client-ssk`, dapps in JavaScript) must agree on.
//!
//! ## Terms
//!
//! - **Encryption key**: an account's X25519 public key, published on chain with a version that
//!   grows by one at every rotation.
//! - **SSK** (`K_S`): a 32-byte symmetric key that A generates and seals to B once; both then use
//!   it for all their traffic until A posts a new one.
//! - **Envelope**: `K_S` sealed by RFC 9180 HPKE in Auth mode to B's current encryption key, plus
//!   the clear metadata header (the seed's lambda): suite, epoch, recipient key version, expiry.
//! - **Binding**: the HPKE `info` ([`binding_info`]) ties an envelope to one chain (genesis hash),
//!   one sender, one receiver and one epoch; the HPKE `aad` is the encoded [`EnvelopeHeader`], so
//!   the clear metadata cannot be altered either.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Suite 1: HPKE Auth mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305.
pub const SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305: u16 = 1;

/// The suites the chain accepts.
pub const SUPPORTED_SUITES: &[u16] = &[SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305];

/// Domain separation prefix of the HPKE `info`.
pub const INFO_DOMAIN: &[u8; 11] = b"gpow-ssk-v1";

/// Length of the HPKE `info`: domain, genesis hash, sender, receiver, epoch.
pub const INFO_LEN: usize = 11 + 32 + 32 + 32 + 8;

/// An X25519 public key.
pub type EncryptionPublicKey = [u8; 32];

/// The HPKE encapsulated key of an envelope (an ephemeral X25519 public key).
pub type EncapsulatedKey = [u8; 32];

/// The clear metadata of an envelope; its SCALE encoding is the HPKE `aad`.
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
pub struct EnvelopeHeader {
	/// The cipher suite; see [`SUPPORTED_SUITES`].
	pub suite: u16,
	/// Strictly increasing per (sender, receiver): a higher epoch replaces the SSK.
	pub epoch: u64,
	/// The version of the receiver's encryption key the envelope is sealed to.
	pub recipient_key_version: u32,
	/// The last block at which the SSK may be used, if any.
	pub expiry: Option<u32>,
}

/// A sealed SSK: clear header, encapsulated key and ciphertext. `C` is the ciphertext container
/// (a bounded vector on chain, a `Vec<u8>` off chain).
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Envelope<C> {
	/// The clear metadata.
	pub header: EnvelopeHeader,
	/// The HPKE encapsulated key.
	pub enc: EncapsulatedKey,
	/// The HPKE ciphertext of the SSK (32 bytes of key and a 16-byte tag for suite 1).
	pub ciphertext: C,
}

/// An account's published encryption key, as the runtime API returns it.
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
pub struct PublishedKey {
	/// 1 for the first key, one more at every rotation.
	pub version: u32,
	/// The X25519 public key.
	pub key: EncryptionPublicKey,
}

/// The latest envelope from one account to another, as the runtime API returns it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct PostedEnvelope<BlockNumber> {
	/// The envelope.
	pub envelope: Envelope<alloc::vec::Vec<u8>>,
	/// The block in which it was posted.
	pub posted_at: BlockNumber,
}

/// The HPKE `info` binding an envelope to a chain, its two parties and its epoch:
/// `"gpow-ssk-v1" || genesis || sender || receiver || epoch (u64 little-endian)`.
pub fn binding_info(
	genesis: &[u8; 32],
	sender: &[u8; 32],
	receiver: &[u8; 32],
	epoch: u64,
) -> [u8; INFO_LEN] {
	let mut info = [0u8; INFO_LEN];
	info[..11].copy_from_slice(INFO_DOMAIN);
	info[11..43].copy_from_slice(genesis);
	info[43..75].copy_from_slice(sender);
	info[75..107].copy_from_slice(receiver);
	info[107..].copy_from_slice(&epoch.to_le_bytes());
	info
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn info_layout() {
		let info = binding_info(&[1; 32], &[2; 32], &[3; 32], 0x0102);
		assert_eq!(&info[..11], b"gpow-ssk-v1");
		assert_eq!(info[11], 1);
		assert_eq!(info[43], 2);
		assert_eq!(info[75], 3);
		assert_eq!(&info[107..], &[2, 1, 0, 0, 0, 0, 0, 0]);
	}

	#[test]
	fn header_encoding_is_stable() {
		// The aad is this encoding; clients in other languages rebuild it byte for byte.
		let with = EnvelopeHeader { suite: 1, epoch: 7, recipient_key_version: 2, expiry: Some(9) };
		assert_eq!(with.encode(), [1, 0, 7, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 9, 0, 0, 0]);
		let without = EnvelopeHeader { expiry: None, ..with };
		assert_eq!(without.encode().len(), 15);
	}
}
