//! Gate identities: ed25519 key pairs.

use crate::attest::{GateId, KeepChall, SignedKeepChall};
use ed25519_dalek::{Signer, SigningKey};
use rand::RngCore;

/// A gate's long-term key pair. Its public key, the [`GateId`], names the gate in handshakes
/// and keep-alive challenges (and on chain).
#[derive(Clone)]
pub struct Identity {
	key: SigningKey,
}

impl std::fmt::Debug for Identity {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_tuple("Identity").field(&self.id()).finish()
	}
}

impl Identity {
	/// A fresh identity from the operating system's random source.
	pub fn generate() -> Self {
		let mut seed = [0u8; 32];
		rand::rngs::OsRng.fill_bytes(&mut seed);
		Identity::from_seed(&seed)
	}

	/// The identity with this 32-byte ed25519 secret key (seed).
	pub fn from_seed(seed: &[u8; 32]) -> Self {
		Identity { key: SigningKey::from_bytes(seed) }
	}

	/// The public key.
	pub fn id(&self) -> GateId {
		GateId(self.key.verifying_key().to_bytes())
	}

	/// Signs `message`.
	pub fn sign(&self, message: &[u8]) -> [u8; 64] {
		self.key.sign(message).to_bytes()
	}

	/// Signs a keep-alive challenge (whose issuer should be [`Identity::id`]).
	pub fn sign_keep_chall(&self, chall: KeepChall) -> SignedKeepChall {
		SignedKeepChall { signature: self.sign(&chall.signing_message()), chall }
	}
}
