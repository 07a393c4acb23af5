//! The on-chain envelope format: header, binding (`info`) and byte encoding.

use codec::{Compact, Decode, Encode, Input, Output};

use crate::{keys::Hex, Error, Result};

/// The chain's (and `gpow-primitives-ssk`'s) envelope type with a byte-vector ciphertext.
pub type ChainEnvelope = gpow_primitives_ssk::Envelope<Vec<u8>>;

pub use gpow_primitives_ssk::{
	binding_info, EnvelopeHeader, INFO_DOMAIN, INFO_LEN,
	SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305, SUPPORTED_SUITES,
};

/// Length of the HPKE encapsulated key `enc` (an X25519 public key).
pub const ENC_LEN: usize = 32;

/// Length of the envelope ciphertext: the 32-byte SSK plus the 16-byte Poly1305 tag.
pub const CIPHERTEXT_LEN: usize = 48;

/// SCALE compact encoding of the ciphertext length 48 (`48 << 2`), the one-byte prefix of the
/// ciphertext in an encoded envelope.
pub const CIPHERTEXT_LEN_PREFIX: u8 = (CIPHERTEXT_LEN as u8) << 2;

/// Length of an encoded envelope whose `expiry` is `None`: header (15) + `enc` (32) + length
/// prefix (1) + ciphertext (48).
pub const ENVELOPE_LEN_NO_EXPIRY: usize = 2 + 8 + 4 + 1 + ENC_LEN + 1 + CIPHERTEXT_LEN;

/// Length of an encoded envelope whose `expiry` is `Some(_)`.
pub const ENVELOPE_LEN_WITH_EXPIRY: usize = ENVELOPE_LEN_NO_EXPIRY + 4;

/// A 32-byte `AccountId32`.
pub type AccountId = [u8; 32];

/// What an envelope is bound to; it becomes HPKE `info`, so an envelope only opens under the same
/// binding it was sealed under.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Binding {
	/// Genesis hash of the chain the envelope is posted on.
	pub genesis: [u8; 32],
	/// Account of the party that seals and posts the envelope (A, the signer of the extrinsic).
	pub sender: AccountId,
	/// Account of the party the envelope is for (B).
	pub receiver: AccountId,
	/// Epoch of the SSK; a rotation posts a higher epoch.
	pub epoch: u64,
}

impl Binding {
	/// HPKE `info`: `"gpow-ssk-v1" || genesis || sender || receiver || epoch (u64 LE)`,
	/// 115 bytes ([`binding_info`] of `gpow-primitives-ssk`).
	pub fn info(&self) -> [u8; INFO_LEN] {
		binding_info(&self.genesis, &self.sender, &self.receiver, self.epoch)
	}
}

impl core::fmt::Debug for Binding {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("Binding")
			.field("genesis", &Hex(&self.genesis))
			.field("sender", &Hex(&self.sender))
			.field("receiver", &Hex(&self.receiver))
			.field("epoch", &self.epoch)
			.finish()
	}
}

/// What this crate adds to [`EnvelopeHeader`] (defined in `gpow-primitives-ssk`, shared with the
/// chain): a suite-1 constructor, the HPKE `aad`, and the checks that need no cryptography.
///
/// The header's SCALE encoding is the HPKE `aad`, so every field is authenticated:
/// `suite: u16 LE || epoch: u64 LE || recipient_key_version: u32 LE || expiry: Option<u32>`
/// (`0x00`, or `0x01` followed by `u32 LE`).
pub trait EnvelopeHeaderExt: Sized {
	/// A header for suite [`SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305`].
	fn new(epoch: u64, recipient_key_version: u32, expiry: Option<u32>) -> Self;

	/// HPKE `aad`: the SCALE encoding of this header (15 or 19 bytes).
	fn aad(&self) -> Vec<u8>;

	/// Checks the parts of the header that need no cryptography: the suite id, and that the
	/// clear epoch equals the binding's.
	fn check(&self, binding: &Binding) -> Result<()>;
}

impl EnvelopeHeaderExt for EnvelopeHeader {
	fn new(epoch: u64, recipient_key_version: u32, expiry: Option<u32>) -> Self {
		Self {
			suite: SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305,
			epoch,
			recipient_key_version,
			expiry,
		}
	}

	fn aad(&self) -> Vec<u8> {
		self.encode()
	}

	fn check(&self, binding: &Binding) -> Result<()> {
		// Only suite 1 is implemented here, whatever else the chain may accept one day.
		if self.suite != SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305 {
			return Err(Error::UnsupportedSuite(self.suite));
		}
		if self.epoch != binding.epoch {
			return Err(Error::EnvelopeEpochMismatch {
				header: self.epoch,
				binding: binding.epoch,
			});
		}
		Ok(())
	}
}

/// A sealed SSK as stored on chain: the clear header, HPKE `enc`, and the HPKE ciphertext of the
/// 32-byte SSK (48 bytes with the tag).
///
/// Its SCALE encoding is the chain's: the header's encoding, the 32 bytes of `enc`, then the
/// ciphertext as a byte vector (the chain keeps it in a bounded vector), i.e. the compact length
/// prefix `0xc0` (48) and the 48 bytes: 96 bytes, or 100 with an expiry. It is byte-identical to
/// the chain-side `Envelope { header, enc: [u8; 32], ciphertext: Vec<u8> /* or BoundedVec */ }`.
/// The `codec` implementation and [`Envelope::from_bytes`] accept only a 48-byte ciphertext;
/// `from_bytes` also reports precise errors and refuses trailing bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Envelope {
	/// Clear metadata, authenticated as HPKE `aad`.
	pub header: EnvelopeHeader,
	/// HPKE encapsulated key (the sender's ephemeral X25519 public key).
	pub enc: [u8; ENC_LEN],
	/// HPKE ciphertext of the SSK, tag included.
	pub ciphertext: [u8; CIPHERTEXT_LEN],
}

impl Envelope {
	/// SCALE encoding (identical to `codec::Encode::encode`).
	pub fn to_bytes(&self) -> Vec<u8> {
		self.encode()
	}

	/// Decodes an envelope from exactly its SCALE encoding. Returns [`Error::Truncated`] if the
	/// input is too short and [`Error::Malformed`] for a bad `Option` tag, a ciphertext length
	/// other than 48, or trailing bytes.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
		let got = bytes.len();
		let truncated = |needed| Error::Truncated { needed, got };
		let (suite, rest) = take::<2>(bytes).ok_or(truncated(ENVELOPE_LEN_NO_EXPIRY))?;
		let (epoch, rest) = take::<8>(rest).ok_or(truncated(ENVELOPE_LEN_NO_EXPIRY))?;
		let (version, rest) = take::<4>(rest).ok_or(truncated(ENVELOPE_LEN_NO_EXPIRY))?;
		let ([tag], rest) = take::<1>(rest).ok_or(truncated(ENVELOPE_LEN_NO_EXPIRY))?;
		let (expiry, rest, full_len) = match tag {
			0 => (None, rest, ENVELOPE_LEN_NO_EXPIRY),
			1 => {
				let (expiry, rest) = take::<4>(rest).ok_or(truncated(ENVELOPE_LEN_WITH_EXPIRY))?;
				(Some(u32::from_le_bytes(expiry)), rest, ENVELOPE_LEN_WITH_EXPIRY)
			},
			_ => return Err(Error::Malformed("expiry: invalid Option tag (must be 0x00 or 0x01)")),
		};
		let (enc, rest) = take::<ENC_LEN>(rest).ok_or(truncated(full_len))?;
		let ([prefix], rest) = take::<1>(rest).ok_or(truncated(full_len))?;
		if prefix != CIPHERTEXT_LEN_PREFIX {
			return Err(Error::Malformed("ciphertext length prefix must be 0xc0 (48 bytes)"));
		}
		let (ciphertext, rest) = take::<CIPHERTEXT_LEN>(rest).ok_or(truncated(full_len))?;
		if !rest.is_empty() {
			return Err(Error::Malformed("trailing bytes after the envelope"));
		}
		Ok(Envelope {
			header: EnvelopeHeader {
				suite: u16::from_le_bytes(suite),
				epoch: u64::from_le_bytes(epoch),
				recipient_key_version: u32::from_le_bytes(version),
				expiry,
			},
			enc,
			ciphertext,
		})
	}
}

impl core::hash::Hash for Envelope {
	fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
		// `EnvelopeHeader` (shared with the runtime) does not implement `Hash`; its encoding
		// identifies it.
		self.header.encode().hash(state);
		self.enc.hash(state);
		self.ciphertext.hash(state);
	}
}

impl From<Envelope> for ChainEnvelope {
	fn from(envelope: Envelope) -> Self {
		ChainEnvelope {
			header: envelope.header,
			enc: envelope.enc,
			ciphertext: envelope.ciphertext.to_vec(),
		}
	}
}

impl TryFrom<ChainEnvelope> for Envelope {
	type Error = Error;

	/// Accepts only a 48-byte ciphertext (suite 1); any other length is [`Error::Malformed`].
	fn try_from(envelope: ChainEnvelope) -> Result<Self> {
		let ciphertext = <[u8; CIPHERTEXT_LEN]>::try_from(envelope.ciphertext.as_slice())
			.map_err(|_| Error::Malformed("the envelope ciphertext must be 48 bytes"))?;
		Ok(Envelope { header: envelope.header, enc: envelope.enc, ciphertext })
	}
}

impl Encode for Envelope {
	fn size_hint(&self) -> usize {
		self.header.size_hint() + ENC_LEN + 1 + CIPHERTEXT_LEN
	}

	fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
		self.header.encode_to(dest);
		dest.write(&self.enc);
		// A byte slice encodes as a byte vector: compact length prefix, then the bytes.
		self.ciphertext.as_slice().encode_to(dest);
	}
}

impl Decode for Envelope {
	fn decode<I: Input>(input: &mut I) -> core::result::Result<Self, codec::Error> {
		let header = EnvelopeHeader::decode(input)?;
		let enc = <[u8; ENC_LEN]>::decode(input)?;
		let Compact(len) = Compact::<u32>::decode(input)?;
		if len as usize != CIPHERTEXT_LEN {
			return Err("Envelope: the ciphertext must be 48 bytes".into());
		}
		let ciphertext = <[u8; CIPHERTEXT_LEN]>::decode(input)?;
		Ok(Envelope { header, enc, ciphertext })
	}
}

impl core::fmt::Debug for Envelope {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("Envelope")
			.field("header", &self.header)
			.field("enc", &Hex(&self.enc))
			.field("ciphertext", &Hex(&self.ciphertext))
			.finish()
	}
}

/// Splits `N` bytes off the front of `bytes`, or `None` if there are fewer.
pub(crate) fn take<const N: usize>(bytes: &[u8]) -> Option<([u8; N], &[u8])> {
	let (head, rest) = bytes.split_at_checked(N)?;
	Some((head.try_into().ok()?, rest))
}
