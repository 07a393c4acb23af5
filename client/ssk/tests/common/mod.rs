//! Helpers shared by the integration tests.
#![allow(dead_code)]

use gpow_client_ssk::{Binding, EnvelopeHeader, EnvelopeHeaderExt};

/// `N` bytes from the OS RNG.
pub fn random<const N: usize>() -> [u8; N] {
	let mut out = [0u8; N];
	getrandom::getrandom(&mut out).expect("OS randomness");
	out
}

/// A random `u64`.
pub fn random_u64() -> u64 {
	u64::from_le_bytes(random::<8>())
}

/// A random binding (random genesis, parties and epoch).
pub fn random_binding() -> Binding {
	Binding { genesis: random(), sender: random(), receiver: random(), epoch: random_u64() }
}

/// A random suite-1 header for `binding`'s epoch, with or without expiry.
pub fn random_header(binding: &Binding) -> EnvelopeHeader {
	let [flag] = random::<1>();
	let expiry = (flag & 1 == 1).then(|| u32::from_le_bytes(random::<4>()));
	EnvelopeHeader::new(binding.epoch, u32::from_le_bytes(random::<4>()), expiry)
}

/// A fixed binding for the error tests.
pub fn fixed_binding() -> Binding {
	Binding { genesis: [0x11; 32], sender: [0xaa; 32], receiver: [0xbb; 32], epoch: 7 }
}
