//! Key material: the long-term X25519 encryption key pair and the SSK itself.

use core::fmt;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::{Error, Result};

/// Length in bytes of an X25519 public or secret key.
pub const KEY_LEN: usize = 32;

/// Fills `buf` from the operating system's random number generator.
pub(crate) fn os_random(buf: &mut [u8]) -> Result<()> {
	getrandom::getrandom(buf).map_err(|_| Error::Randomness)
}

/// A long-term X25519 encryption key pair (the one whose public half is registered on chain,
/// with a version number, for an account).
///
/// The secret scalar is erased from memory when the value is dropped. `Debug` never prints it.
#[derive(Clone)]
pub struct EncryptionKeyPair {
	secret: StaticSecret,
	public: [u8; KEY_LEN],
}

impl EncryptionKeyPair {
	/// Generates a fresh key pair from the operating system's randomness.
	pub fn generate() -> Result<Self> {
		let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
		os_random(bytes.as_mut())?;
		Ok(Self::from_secret_bytes(*bytes))
	}

	/// Rebuilds a key pair from its 32 secret bytes (as returned by
	/// [`secret_bytes`](Self::secret_bytes)). Any 32 bytes are a valid X25519 secret key (they
	/// are clamped when used).
	pub fn from_secret_bytes(secret: [u8; KEY_LEN]) -> Self {
		let secret = StaticSecret::from(secret);
		let public = PublicKey::from(&secret).to_bytes();
		Self { secret, public }
	}

	/// The 32 secret bytes, for storage in a keystore. Wrapped in [`Zeroizing`] so that the copy
	/// is erased when dropped.
	pub fn secret_bytes(&self) -> Zeroizing<[u8; KEY_LEN]> {
		Zeroizing::new(self.secret.to_bytes())
	}

	/// The 32-byte public key (RFC 7748 encoding), the value registered on chain.
	pub fn public(&self) -> [u8; KEY_LEN] {
		self.public
	}

	pub(crate) fn secret(&self) -> &StaticSecret {
		&self.secret
	}
}

impl fmt::Debug for EncryptionKeyPair {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.debug_struct("EncryptionKeyPair")
			.field("public", &Hex(&self.public))
			.field("secret", &"<redacted>")
			.finish()
	}
}

/// Length in bytes of an SSK.
pub const SSK_LEN: usize = 32;

/// The Sustainable Symmetric Key `K_S`: 32 random bytes shared by the two parties of an envelope
/// for one epoch. Erased from memory on drop; `Debug` never prints it.
///
/// Feed it to [`Session::new`](crate::Session::new) to protect traffic.
#[derive(Clone)]
pub struct Ssk([u8; SSK_LEN]);

impl Drop for Ssk {
	fn drop(&mut self) {
		self.0.zeroize();
	}
}

impl ZeroizeOnDrop for Ssk {}

impl Ssk {
	/// Generates a fresh SSK from the operating system's randomness.
	/// ([`seal`](crate::seal) does this for you.)
	pub fn generate() -> Result<Self> {
		let mut key = Ssk([0u8; SSK_LEN]);
		os_random(&mut key.0)?;
		Ok(key)
	}

	/// Wraps existing key bytes (for example restored from local storage).
	pub fn from_bytes(bytes: [u8; SSK_LEN]) -> Self {
		Ssk(bytes)
	}

	/// The raw key bytes.
	pub fn as_bytes(&self) -> &[u8; SSK_LEN] {
		&self.0
	}
}

impl fmt::Debug for Ssk {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("Ssk(<redacted>)")
	}
}

/// Lower-case hex for `Debug` output of public values.
pub(crate) struct Hex<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Hex<'_> {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("0x")?;
		for b in self.0 {
			write!(f, "{b:02x}")?;
		}
		Ok(())
	}
}
