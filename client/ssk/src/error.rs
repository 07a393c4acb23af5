//! The crate's single error type.

use core::fmt;

/// Convenience alias used by every fallible function of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong when sealing, opening or decoding an envelope, or when
/// protecting traffic with a [`Session`](crate::Session).
///
/// No function of this crate panics on untrusted input: malformed or hostile bytes always come
/// back as one of these variants.
///
/// # What can and cannot be told apart
///
/// HPKE's AEAD reports a failure as a single bit. Wrong recipient key, wrong sender key, a
/// [`Binding`](crate::Binding) naming another genesis hash, other parties or another epoch, and a
/// tampered header, `enc` or `ciphertext` all change the key or the authenticated data in the
/// same way, so they all surface as [`Error::EnvelopeDoesNotOpen`]. That is a property of the
/// cryptography, not a shortcut of this crate. What *can* be checked without cryptography is
/// checked first and reported precisely: an unknown suite ([`Error::UnsupportedSuite`]), a clear
/// header epoch that differs from the binding's ([`Error::EnvelopeEpochMismatch`]), an envelope
/// for another version of the recipient's key ([`Error::RecipientKeyVersionMismatch`], when the
/// [`Party`](crate::Party) knows its key version), a low-order
/// public key ([`Error::InvalidPublicKey`]) and byte-level damage ([`Error::Truncated`],
/// [`Error::Malformed`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
	/// The envelope header names a suite id other than
	/// [`SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305`] (1).
	///
	/// [`SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305`]:
	/// crate::SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305
	UnsupportedSuite(u16),
	/// The envelope's clear header epoch is not the epoch of the [`Binding`](crate::Binding) it is
	/// sealed or opened under (the header epoch must equal the epoch bound into HPKE `info`).
	EnvelopeEpochMismatch {
		/// Epoch written in the envelope header.
		header: u64,
		/// Epoch of the binding passed by the caller.
		binding: u64,
	},
	/// The envelope names another version of the recipient's encryption key than the one this
	/// [`Party`](crate::Party) holds (only checked when the party knows its key version, see
	/// [`Party::with_key_version`](crate::Party::with_key_version)): it is not for this key.
	RecipientKeyVersionMismatch {
		/// `recipient_key_version` written in the envelope header.
		envelope: u32,
		/// Version of the key this party holds.
		ours: u32,
	},
	/// HPKE open failed (the AEAD tag does not verify). The envelope was sealed for another
	/// recipient key, or by another sender key, or it is bound to another genesis hash, other
	/// parties or another epoch, or its header, `enc` or ciphertext were tampered with. These
	/// cases are cryptographically indistinguishable.
	EnvelopeDoesNotOpen,
	/// A public key (ours, the peer's or the envelope's `enc`) is a low-order X25519 point: the
	/// Diffie-Hellman result is all zeros, which RFC 9180 §7.1.4 requires to reject.
	InvalidPublicKey,
	/// The input ends before a complete envelope or traffic frame.
	Truncated {
		/// Minimum number of bytes required.
		needed: usize,
		/// Number of bytes received.
		got: usize,
	},
	/// The input is structurally invalid (bad `Option` tag, trailing bytes, unknown frame
	/// version, reserved counter 0, …).
	Malformed(&'static str),
	/// A traffic frame belongs to another on-chain epoch (another SSK) than this session.
	OtherEpoch {
		/// Epoch of this session.
		expected: u64,
		/// Epoch written in the frame header.
		found: u64,
	},
	/// A traffic frame carries a counter that this session already accepted.
	Replayed {
		/// Counter of the refused frame.
		counter: u64,
	},
	/// A traffic frame carries a counter lower than the last accepted one that was not seen
	/// (it arrived late, after a newer frame), or is too old to tell whether it was seen. Its key
	/// has been erased by the ratchet: it can never be decrypted.
	Reordered {
		/// Counter of the refused frame.
		counter: u64,
		/// Highest counter accepted so far.
		last: u64,
	},
	/// A traffic frame does not authenticate: it was modified (header, ciphertext or tag), cut
	/// short, or was encrypted for another session or direction.
	TamperedFrame,
	/// The sending counter reached `u64::MAX`; post a new envelope (a new epoch) to continue.
	CounterExhausted,
	/// The operating system's random number generator failed.
	Randomness,
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Error::UnsupportedSuite(id) => write!(f, "unsupported SSK suite id {id} (only 1 is known)"),
			Error::EnvelopeEpochMismatch { header, binding } => write!(
				f,
				"envelope header epoch {header} differs from the expected binding epoch {binding}"
			),
			Error::RecipientKeyVersionMismatch { envelope, ours } => write!(
				f,
				"envelope is not for this key: sealed to recipient key version {envelope}, this \
				 key is version {ours}"
			),
			Error::EnvelopeDoesNotOpen => f.write_str(
				"envelope does not open: wrong recipient key, wrong sender key, it is bound to \
				 another genesis/parties/epoch, or it was tampered with",
			),
			Error::InvalidPublicKey => {
				f.write_str("invalid X25519 public key (low-order point, all-zero shared secret)")
			},
			Error::Truncated { needed, got } => {
				write!(f, "truncated input: need at least {needed} bytes, got {got}")
			},
			Error::Malformed(why) => write!(f, "malformed input: {why}"),
			Error::OtherEpoch { expected, found } => {
				write!(f, "message from epoch {found}, but this session is for epoch {expected}")
			},
			Error::Replayed { counter } => write!(f, "replayed message (counter {counter})"),
			Error::Reordered { counter, last } => write!(
				f,
				"reordered message: counter {counter} is not above the last accepted counter {last}"
			),
			Error::TamperedFrame => f.write_str(
				"message does not authenticate: tampered, truncated, or from another session/direction",
			),
			Error::CounterExhausted => {
				f.write_str("message counter exhausted: rotate the SSK (post a higher epoch)")
			},
			Error::Randomness => f.write_str("the operating system random number generator failed"),
		}
	}
}

impl std::error::Error for Error {}
