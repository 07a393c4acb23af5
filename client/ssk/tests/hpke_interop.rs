//! Equivalence with the `hpke` crate (rozbb's RFC 9180 implementation), in both directions, on
//! random keys, bindings and headers: their `SealAuth` opens with our `open`/`Party::open`, and
//! our `seal`/`Party::seal` opens with their `OpenAuth`.

mod common;

use common::{random, random_binding, random_header};
use gpow_client_ssk::{open, seal, EncryptionKeyPair, Envelope, EnvelopeHeaderExt, Error, Party};
use hpke::{
	aead::ChaCha20Poly1305,
	kdf::HkdfSha256,
	kem::X25519HkdfSha256,
	rand_core::{CryptoRng, RngCore},
	Deserializable, Kem, OpModeR, OpModeS, Serializable,
};

type PrivateKey = <X25519HkdfSha256 as Kem>::PrivateKey;
type PublicKey = <X25519HkdfSha256 as Kem>::PublicKey;
type EncappedKey = <X25519HkdfSha256 as Kem>::EncappedKey;

const ROUNDS: usize = 64;

/// The OS RNG behind the `rand_core` 0.9 traits that `hpke` 0.13 wants.
struct OsRng;

impl RngCore for OsRng {
	fn next_u32(&mut self) -> u32 {
		u32::from_le_bytes(random())
	}
	fn next_u64(&mut self) -> u64 {
		u64::from_le_bytes(random())
	}
	fn fill_bytes(&mut self, dest: &mut [u8]) {
		getrandom::getrandom(dest).expect("OS randomness");
	}
}

impl CryptoRng for OsRng {}

fn their_private(keys: &EncryptionKeyPair) -> PrivateKey {
	PrivateKey::from_bytes(keys.secret_bytes().as_ref()).expect("private key")
}

fn their_public(keys: &EncryptionKeyPair) -> PublicKey {
	PublicKey::from_bytes(&keys.public()).expect("public key")
}

/// `hpke`'s single-shot Auth-mode seal of `plaintext` as an [`Envelope`].
fn their_seal(
	sender: &EncryptionKeyPair,
	recipient_pk: &[u8; 32],
	info: &[u8],
	header: gpow_client_ssk::EnvelopeHeader,
	plaintext: &[u8; 32],
) -> Envelope {
	let mode = OpModeS::Auth((their_private(sender), their_public(sender)));
	let pk_r = PublicKey::from_bytes(recipient_pk).expect("public key");
	let (enc, ciphertext) = hpke::single_shot_seal::<
		ChaCha20Poly1305,
		HkdfSha256,
		X25519HkdfSha256,
		_,
	>(&mode, &pk_r, info, plaintext, &header.aad(), &mut OsRng)
	.expect("hpke seal");
	Envelope {
		header,
		enc: enc.to_bytes().as_slice().try_into().expect("enc length"),
		ciphertext: ciphertext.as_slice().try_into().expect("ciphertext length"),
	}
}

/// `hpke`'s single-shot Auth-mode open of an [`Envelope`].
fn their_open(
	recipient: &EncryptionKeyPair,
	sender_pk: &[u8; 32],
	info: &[u8],
	envelope: &Envelope,
) -> Result<Vec<u8>, hpke::HpkeError> {
	let mode = OpModeR::Auth(PublicKey::from_bytes(sender_pk).expect("public key"));
	let enc = EncappedKey::from_bytes(&envelope.enc).expect("enc");
	hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256>(
		&mode,
		&their_private(recipient),
		&enc,
		info,
		&envelope.ciphertext,
		&envelope.header.aad(),
	)
}

#[test]
fn their_seal_opens_with_our_open() {
	for _ in 0..ROUNDS {
		let (a, b) =
			(EncryptionKeyPair::generate().unwrap(), EncryptionKeyPair::generate().unwrap());
		let binding = random_binding();
		let header = random_header(&binding);
		let ssk: [u8; 32] = random();
		let envelope = their_seal(&a, &b.public(), &binding.info(), header, &ssk);

		assert_eq!(open(&b, &a.public(), &binding, &envelope).unwrap().as_bytes(), &ssk);
		let mut party = Party::new(b.clone());
		for _ in 0..2 {
			// cold, then warm cache
			assert_eq!(party.open(&a.public(), &binding, &envelope).unwrap().as_bytes(), &ssk);
		}
	}
}

#[test]
fn our_seal_opens_with_their_open() {
	for _ in 0..ROUNDS {
		let (a, b) =
			(EncryptionKeyPair::generate().unwrap(), EncryptionKeyPair::generate().unwrap());
		let binding = random_binding();
		let header = random_header(&binding);

		let (envelope, ssk) = seal(&a, &b.public(), &binding, header).unwrap();
		let plain = their_open(&b, &a.public(), &binding.info(), &envelope).unwrap();
		assert_eq!(plain.as_slice(), ssk.as_bytes());

		let mut party = Party::new(a.clone());
		for _ in 0..2 {
			let (envelope, ssk) = party.seal(&b.public(), &binding, header).unwrap();
			let plain = their_open(&b, &a.public(), &binding.info(), &envelope).unwrap();
			assert_eq!(plain.as_slice(), ssk.as_bytes());
		}
	}
}

#[test]
fn envelope_bytes_roundtrip_between_implementations() {
	let (a, b) = (EncryptionKeyPair::generate().unwrap(), EncryptionKeyPair::generate().unwrap());
	let binding = random_binding();
	let header = random_header(&binding);
	let ssk: [u8; 32] = random();
	let envelope = their_seal(&a, &b.public(), &binding.info(), header, &ssk);
	let decoded = Envelope::from_bytes(&envelope.to_bytes()).unwrap();
	assert_eq!(open(&b, &a.public(), &binding, &decoded).unwrap().as_bytes(), &ssk);
}

#[test]
fn both_implementations_refuse_the_same_mismatches() {
	let (a, b, c) = (
		EncryptionKeyPair::generate().unwrap(),
		EncryptionKeyPair::generate().unwrap(),
		EncryptionKeyPair::generate().unwrap(),
	);
	let binding = random_binding();
	let header = random_header(&binding);
	let (envelope, _) = seal(&a, &b.public(), &binding, header).unwrap();

	// Wrong recipient key.
	assert!(their_open(&c, &a.public(), &binding.info(), &envelope).is_err());
	assert_eq!(open(&c, &a.public(), &binding, &envelope).unwrap_err(), Error::EnvelopeDoesNotOpen);
	// Wrong sender key.
	assert!(their_open(&b, &c.public(), &binding.info(), &envelope).is_err());
	assert_eq!(open(&b, &c.public(), &binding, &envelope).unwrap_err(), Error::EnvelopeDoesNotOpen);
	// Another genesis in `info`.
	let mut other = binding;
	other.genesis[0] ^= 1;
	assert!(their_open(&b, &a.public(), &other.info(), &envelope).is_err());
	assert_eq!(open(&b, &a.public(), &other, &envelope).unwrap_err(), Error::EnvelopeDoesNotOpen);
}
