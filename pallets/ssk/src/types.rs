//! What the pallet stores.

use codec::{Decode, Encode, MaxEncodedLen};
use gpow_primitives_ssk::{EncryptionPublicKey, Envelope};
use scale_info::TypeInfo;

/// An account's current encryption key, with the deposit ticket held for it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct KeyRecord<Ticket> {
	/// 1 for the first key, one more at every rotation.
	pub version: u32,
	/// The X25519 public key.
	pub key: EncryptionPublicKey,
	/// The deposit held for this record.
	pub ticket: Ticket,
}

/// The latest envelope from one account to another, with its deposit ticket.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct EnvelopeRecord<Ciphertext, BlockNumber, Ticket> {
	/// The envelope as posted.
	pub envelope: Envelope<Ciphertext>,
	/// The block it was posted in.
	pub posted_at: BlockNumber,
	/// The deposit held for this record.
	pub ticket: Ticket,
}
