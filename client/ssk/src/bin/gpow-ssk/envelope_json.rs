//! The envelope as JSON, in the shape `ssk_latest` returns it.

use gpow_client_ssk::{
	Envelope, EnvelopeHeader, CIPHERTEXT_LEN, SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305,
};
use serde::{Deserialize, Serialize};

use crate::encoding::{parse_hex, to_hex};

/// `{ suite, epoch, recipientKeyVersion, expiry, enc, ciphertext }`, byte strings as `0x` hex,
/// plus `postedAt` (a block number) when it comes from the chain. Unknown fields are ignored.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvelopeJson {
	/// Cipher suite id.
	pub suite: u16,
	/// The pair's epoch.
	pub epoch: u64,
	/// Version of the recipient's key the envelope is sealed to.
	pub recipient_key_version: u32,
	/// Last block the SSK may be used at.
	pub expiry: Option<u32>,
	/// HPKE encapsulated key.
	pub enc: String,
	/// HPKE ciphertext.
	pub ciphertext: String,
	/// Block the envelope was posted in (only in `ssk_latest` answers).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub posted_at: Option<u64>,
}

impl EnvelopeJson {
	/// The JSON form of an envelope (without `postedAt`).
	pub fn from_envelope(envelope: &Envelope) -> Self {
		Self {
			suite: envelope.header.suite,
			epoch: envelope.header.epoch,
			recipient_key_version: envelope.header.recipient_key_version,
			expiry: envelope.header.expiry,
			enc: to_hex(&envelope.enc),
			ciphertext: to_hex(&envelope.ciphertext),
			posted_at: None,
		}
	}

	/// The envelope, checking the suite and the sizes of `enc` and `ciphertext`.
	pub fn to_envelope(&self) -> Result<Envelope, String> {
		if self.suite != SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305 {
			return Err(format!(
				"unsupported SSK suite id {} in the envelope (only {} is known)",
				self.suite, SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305
			));
		}
		let enc = parse_hex(&self.enc).map_err(|e| format!("envelope enc: {e}"))?;
		let enc = <[u8; 32]>::try_from(enc.as_slice()).map_err(|_| {
			format!("envelope enc is {} bytes; an X25519 key has 32 (truncated?)", enc.len())
		})?;
		let ciphertext =
			parse_hex(&self.ciphertext).map_err(|e| format!("envelope ciphertext: {e}"))?;
		let ciphertext = <[u8; CIPHERTEXT_LEN]>::try_from(ciphertext.as_slice()).map_err(|_| {
			format!(
				"envelope ciphertext is {} bytes; suite 1 has {CIPHERTEXT_LEN} (truncated?)",
				ciphertext.len()
			)
		})?;
		let header = EnvelopeHeader {
			suite: self.suite,
			epoch: self.epoch,
			recipient_key_version: self.recipient_key_version,
			expiry: self.expiry,
		};
		Ok(Envelope { header, enc, ciphertext })
	}
}
