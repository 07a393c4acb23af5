//! Envelope format, sealing/opening, and every envelope error.

mod common;

use codec::{Decode, Encode};
use common::{fixed_binding, random, random_binding, random_header};
use gpow_client_ssk::{
	open, seal, Binding, EncryptionKeyPair, Envelope, EnvelopeHeader, EnvelopeHeaderExt, Error,
	Party, ENVELOPE_LEN_NO_EXPIRY, ENVELOPE_LEN_WITH_EXPIRY, INFO_LEN,
};

fn keys() -> (EncryptionKeyPair, EncryptionKeyPair) {
	(EncryptionKeyPair::generate().unwrap(), EncryptionKeyPair::generate().unwrap())
}

/// Low-order X25519 points (u = 0, u = 1, and a point of order 8).
const LOW_ORDER: [[u8; 32]; 3] = [
	[0u8; 32],
	[
		1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0,
	],
	[
		0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4,
		0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49,
		0xb8, 0x00,
	],
];

#[test]
fn info_layout() {
	let binding = Binding { genesis: [1; 32], sender: [2; 32], receiver: [3; 32], epoch: 0x0102 };
	let info = binding.info();
	assert_eq!(info.len(), INFO_LEN);
	assert_eq!(&info[..11], b"gpow-ssk-v1");
	assert_eq!(&info[11..43], &[1; 32]);
	assert_eq!(&info[43..75], &[2; 32]);
	assert_eq!(&info[75..107], &[3; 32]);
	assert_eq!(&info[107..], &[0x02, 0x01, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn header_aad_is_scale() {
	let header = EnvelopeHeader {
		suite: 1,
		epoch: 0x0807060504030201,
		recipient_key_version: 0x0c0b0a09,
		expiry: None,
	};
	assert_eq!(header.aad(), [1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0]);
	let header = EnvelopeHeader { expiry: Some(0x100f0e0d), ..header };
	assert_eq!(header.aad(), [1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 13, 14, 15, 16]);
	assert_eq!(header.aad(), header.encode());
}

/// The chain's shape of an envelope: the ciphertext is a byte vector (a `BoundedVec` on chain,
/// which encodes the same).
#[derive(Encode, Decode, PartialEq, Debug)]
struct ChainEnvelope {
	header: EnvelopeHeader,
	enc: [u8; 32],
	ciphertext: Vec<u8>,
}

#[test]
fn envelope_encoding_roundtrip_and_matches_the_chain_format() {
	let (a, b) = keys();
	for expiry in [None, Some(42)] {
		let binding = random_binding();
		let header = EnvelopeHeader::new(binding.epoch, 3, expiry);
		let (envelope, _) = seal(&a, &b.public(), &binding, header).unwrap();
		let bytes = envelope.to_bytes();
		let expected_len =
			if expiry.is_some() { ENVELOPE_LEN_WITH_EXPIRY } else { ENVELOPE_LEN_NO_EXPIRY };
		assert_eq!(bytes.len(), expected_len);
		assert_eq!(bytes, envelope.encode());
		assert_eq!(&bytes[..bytes.len() - 81], &header.encode()[..]);
		assert_eq!(&bytes[bytes.len() - 81..bytes.len() - 49], &envelope.enc);
		assert_eq!(bytes[bytes.len() - 49], 0xc0, "compact(48)");
		assert_eq!(&bytes[bytes.len() - 48..], &envelope.ciphertext);
		assert_eq!(Envelope::from_bytes(&bytes).unwrap(), envelope);
		assert_eq!(Envelope::decode(&mut &bytes[..]).unwrap(), envelope);

		let chain =
			ChainEnvelope { header, enc: envelope.enc, ciphertext: envelope.ciphertext.to_vec() };
		assert_eq!(chain.encode(), bytes);
		assert_eq!(ChainEnvelope::decode(&mut &bytes[..]).unwrap(), chain);
	}
}

#[test]
fn envelope_with_another_ciphertext_length_is_refused() {
	let (a, b) = keys();
	let binding = fixed_binding();
	let (envelope, _) = seal(&a, &b.public(), &binding, EnvelopeHeader::new(7, 1, None)).unwrap();
	for len in [0usize, 47, 49, 64] {
		let chain =
			ChainEnvelope { header: envelope.header, enc: envelope.enc, ciphertext: vec![0; len] };
		let bytes = chain.encode();
		assert!(matches!(Envelope::from_bytes(&bytes), Err(Error::Malformed(_))), "len {len}");
		assert!(Envelope::decode(&mut &bytes[..]).is_err(), "len {len}");
	}
}

#[test]
fn seal_then_open_with_and_without_cache() {
	let (a, b) = keys();
	let binding = random_binding();
	let header = random_header(&binding);
	let (envelope, ssk) = seal(&a, &b.public(), &binding, header).unwrap();
	assert_eq!(open(&b, &a.public(), &binding, &envelope).unwrap().as_bytes(), ssk.as_bytes());
	let mut bob = Party::with_cache_capacity(b, 4);
	assert_eq!(bob.open(&a.public(), &binding, &envelope).unwrap().as_bytes(), ssk.as_bytes());
	assert_eq!(bob.cached_peers(), 1);
	assert_eq!(bob.open(&a.public(), &binding, &envelope).unwrap().as_bytes(), ssk.as_bytes());
	let mut alice = Party::new(a.clone());
	let (envelope2, ssk2) = alice.seal(&bob.keys().public(), &binding, header).unwrap();
	assert_ne!(ssk.as_bytes(), ssk2.as_bytes(), "every seal draws a fresh SSK");
	assert_ne!(envelope.enc, envelope2.enc, "every seal draws a fresh ephemeral key");
	assert_eq!(bob.open(&a.public(), &binding, &envelope2).unwrap().as_bytes(), ssk2.as_bytes());
}

#[test]
fn rotation_each_epoch_has_its_own_key() {
	let (a, b) = keys();
	let mut binding = fixed_binding();
	let (e1, k1) = seal(&a, &b.public(), &binding, EnvelopeHeader::new(7, 0, None)).unwrap();
	binding.epoch = 8;
	let (e2, k2) = seal(&a, &b.public(), &binding, EnvelopeHeader::new(8, 0, None)).unwrap();
	assert_ne!(k1.as_bytes(), k2.as_bytes());
	assert_eq!(open(&b, &a.public(), &binding, &e2).unwrap().as_bytes(), k2.as_bytes());
	// The old envelope does not pass for the new epoch, even with its clear epoch rewritten.
	let mut replayed = e1.clone();
	replayed.header.epoch = 8;
	assert_eq!(open(&b, &a.public(), &binding, &replayed).unwrap_err(), Error::EnvelopeDoesNotOpen);
}

#[test]
fn keypair_bytes_roundtrip_and_debug_redacts() {
	let a = EncryptionKeyPair::generate().unwrap();
	let again = EncryptionKeyPair::from_secret_bytes(*a.secret_bytes());
	assert_eq!(a.public(), again.public());
	let debug = format!("{a:?}");
	assert!(debug.contains("redacted"));
	let secret_hex: String = a.secret_bytes().iter().map(|b| format!("{b:02x}")).collect();
	assert!(!debug.contains(&secret_hex));
	let (_, ssk) =
		seal(&a, &a.public(), &fixed_binding(), EnvelopeHeader::new(7, 0, None)).unwrap();
	assert_eq!(format!("{ssk:?}"), "Ssk(<redacted>)");
}

// ---- errors -----------------------------------------------------------------------------------

#[test]
fn error_unsupported_suite() {
	let (a, b) = keys();
	let binding = fixed_binding();
	let mut header = EnvelopeHeader::new(7, 0, None);
	header.suite = 2;
	assert_eq!(seal(&a, &b.public(), &binding, header).unwrap_err(), Error::UnsupportedSuite(2));
	let (mut envelope, _) =
		seal(&a, &b.public(), &binding, EnvelopeHeader::new(7, 0, None)).unwrap();
	envelope.header.suite = 0x0020;
	assert_eq!(
		open(&b, &a.public(), &binding, &envelope).unwrap_err(),
		Error::UnsupportedSuite(0x20)
	);
	assert_eq!(
		Party::new(b).open(&a.public(), &binding, &envelope).unwrap_err(),
		Error::UnsupportedSuite(0x20)
	);
}

#[test]
fn error_epoch_mismatch_between_header_and_binding() {
	let (a, b) = keys();
	let binding = fixed_binding();
	assert_eq!(
		seal(&a, &b.public(), &binding, EnvelopeHeader::new(6, 0, None)).unwrap_err(),
		Error::EnvelopeEpochMismatch { header: 6, binding: 7 }
	);
	let (envelope, _) = seal(&a, &b.public(), &binding, EnvelopeHeader::new(7, 0, None)).unwrap();
	let later = Binding { epoch: 9, ..binding };
	assert_eq!(
		open(&b, &a.public(), &later, &envelope).unwrap_err(),
		Error::EnvelopeEpochMismatch { header: 7, binding: 9 }
	);
}

#[test]
fn error_wrong_recipient_key() {
	let (a, b) = keys();
	let c = EncryptionKeyPair::generate().unwrap();
	let binding = fixed_binding();
	let (envelope, _) = seal(&a, &b.public(), &binding, EnvelopeHeader::new(7, 0, None)).unwrap();
	assert_eq!(open(&c, &a.public(), &binding, &envelope).unwrap_err(), Error::EnvelopeDoesNotOpen);
	assert_eq!(
		Party::new(c).open(&a.public(), &binding, &envelope).unwrap_err(),
		Error::EnvelopeDoesNotOpen
	);
}

#[test]
fn error_recipient_key_version_mismatch() {
	let (a, b) = keys();
	let binding = fixed_binding();
	let (envelope, ssk) = seal(&a, &b.public(), &binding, EnvelopeHeader::new(7, 2, None)).unwrap();
	let mut bob = Party::new(b.clone()).with_key_version(3);
	assert_eq!(bob.key_version(), Some(3));
	assert_eq!(
		bob.open(&a.public(), &binding, &envelope).unwrap_err(),
		Error::RecipientKeyVersionMismatch { envelope: 2, ours: 3 }
	);
	let mut bob = Party::new(b).with_key_version(2);
	assert_eq!(bob.open(&a.public(), &binding, &envelope).unwrap().as_bytes(), ssk.as_bytes());
}

#[test]
fn error_wrong_sender_key() {
	let (a, b) = keys();
	let c = EncryptionKeyPair::generate().unwrap();
	let binding = fixed_binding();
	let (envelope, _) = seal(&a, &b.public(), &binding, EnvelopeHeader::new(7, 0, None)).unwrap();
	assert_eq!(open(&b, &c.public(), &binding, &envelope).unwrap_err(), Error::EnvelopeDoesNotOpen);
}

#[test]
fn error_wrong_genesis_parties_or_epoch_binding() {
	let (a, b) = keys();
	let binding = fixed_binding();
	let (envelope, _) = seal(&a, &b.public(), &binding, EnvelopeHeader::new(7, 0, None)).unwrap();
	let wrong = [
		Binding { genesis: [0x12; 32], ..binding },
		Binding { sender: [0xab; 32], ..binding },
		Binding { receiver: [0xbc; 32], ..binding },
		Binding { sender: binding.receiver, receiver: binding.sender, ..binding },
	];
	for other in wrong {
		assert_eq!(
			open(&b, &a.public(), &other, &envelope).unwrap_err(),
			Error::EnvelopeDoesNotOpen
		);
	}
	// Another epoch, with the clear header epoch rewritten to match: caught by HPKE.
	let mut rewritten = envelope.clone();
	rewritten.header.epoch = 8;
	let other = Binding { epoch: 8, ..binding };
	assert_eq!(open(&b, &a.public(), &other, &rewritten).unwrap_err(), Error::EnvelopeDoesNotOpen);
}

#[test]
fn error_tampered_envelope() {
	let (a, b) = keys();
	let binding = fixed_binding();
	let (envelope, _) =
		seal(&a, &b.public(), &binding, EnvelopeHeader::new(7, 3, Some(1000))).unwrap();
	let mut bob = Party::new(b.clone());

	let mut tampered = Vec::new();
	for i in 0..envelope.ciphertext.len() {
		let mut e = envelope.clone();
		e.ciphertext[i] ^= 0x01;
		tampered.push(e);
	}
	for i in 0..envelope.enc.len() {
		let mut e = envelope.clone();
		e.enc[i] ^= 0x80;
		tampered.push(e);
	}
	let mut e = envelope.clone();
	e.header.recipient_key_version = 4;
	tampered.push(e);
	let mut e = envelope.clone();
	e.header.expiry = Some(1001);
	tampered.push(e);
	let mut e = envelope.clone();
	e.header.expiry = None;
	tampered.push(e);

	for e in &tampered {
		assert_eq!(open(&b, &a.public(), &binding, e).unwrap_err(), Error::EnvelopeDoesNotOpen);
		assert_eq!(bob.open(&a.public(), &binding, e).unwrap_err(), Error::EnvelopeDoesNotOpen);
	}
	// The genuine envelope still opens.
	assert!(bob.open(&a.public(), &binding, &envelope).is_ok());
}

#[test]
fn error_invalid_public_key() {
	let (a, b) = keys();
	let binding = fixed_binding();
	let header = EnvelopeHeader::new(7, 0, None);
	let (envelope, _) = seal(&a, &b.public(), &binding, header).unwrap();
	for point in LOW_ORDER {
		assert_eq!(seal(&a, &point, &binding, header).unwrap_err(), Error::InvalidPublicKey);
		assert_eq!(open(&b, &point, &binding, &envelope).unwrap_err(), Error::InvalidPublicKey);
		assert_eq!(
			Party::new(b.clone()).open(&point, &binding, &envelope).unwrap_err(),
			Error::InvalidPublicKey
		);
		let mut bad_enc = envelope.clone();
		bad_enc.enc = point;
		assert_eq!(open(&b, &a.public(), &binding, &bad_enc).unwrap_err(), Error::InvalidPublicKey);
	}
}

#[test]
fn error_truncated_envelope() {
	let (a, b) = keys();
	let binding = fixed_binding();
	for (expiry, full) in [(None, ENVELOPE_LEN_NO_EXPIRY), (Some(5), ENVELOPE_LEN_WITH_EXPIRY)] {
		let (envelope, _) =
			seal(&a, &b.public(), &binding, EnvelopeHeader::new(7, 0, expiry)).unwrap();
		let bytes = envelope.to_bytes();
		for len in 0..bytes.len() {
			let needed = if len < 15 { ENVELOPE_LEN_NO_EXPIRY } else { full };
			assert_eq!(
				Envelope::from_bytes(&bytes[..len]).unwrap_err(),
				Error::Truncated { needed, got: len },
				"prefix of {len} bytes"
			);
		}
	}
}

#[test]
fn error_malformed_envelope() {
	let (a, b) = keys();
	let (envelope, _) =
		seal(&a, &b.public(), &fixed_binding(), EnvelopeHeader::new(7, 0, None)).unwrap();
	let mut bytes = envelope.to_bytes();
	bytes.push(0);
	assert!(matches!(Envelope::from_bytes(&bytes), Err(Error::Malformed(_))));
	bytes.pop();
	bytes[14] = 2; // Option tag
	assert!(matches!(Envelope::from_bytes(&bytes), Err(Error::Malformed(_))));
	bytes[14] = 0;
	bytes[15 + 32] = 0xc1; // non-canonical compact length
	assert!(matches!(Envelope::from_bytes(&bytes), Err(Error::Malformed(_))));
}

#[test]
fn error_messages_are_clear() {
	let text = Error::EnvelopeDoesNotOpen.to_string();
	for part in ["wrong recipient key", "wrong sender key", "genesis/parties/epoch", "tampered"] {
		assert!(text.contains(part), "{text}");
	}
	assert!(Error::UnsupportedSuite(9).to_string().contains("suite id 9"));
}

#[test]
fn arbitrary_bytes_never_panic() {
	let (a, b) = keys();
	let binding = fixed_binding();
	let mut bob = Party::new(b.clone());
	let (envelope, _) = seal(&a, &b.public(), &binding, EnvelopeHeader::new(7, 0, None)).unwrap();
	let genuine = envelope.to_bytes();
	for round in 0..2000u32 {
		let [len_byte, pos, val] = random::<3>();
		let mut bytes = if round % 2 == 0 {
			let noise: [u8; 110] = random();
			noise[..usize::from(len_byte) % 110].to_vec()
		} else {
			genuine.clone()
		};
		let len = bytes.len().max(1);
		if let Some(byte) = bytes.get_mut(usize::from(pos) % len) {
			*byte ^= val | 1;
		}
		if let Ok(envelope) = Envelope::from_bytes(&bytes) {
			let _ = open(&b, &a.public(), &binding, &envelope);
			let _ = bob.open(&a.public(), &binding, &envelope);
		}
	}
}

#[test]
fn shares_the_primitives_formats() {
	use gpow_client_ssk::{binding_info, primitives, ChainEnvelope, INFO_DOMAIN};
	// The client's binding is the chain's `info`, and its header is the chain's type.
	let binding = random_binding();
	assert_eq!(
		binding.info(),
		binding_info(&binding.genesis, &binding.sender, &binding.receiver, binding.epoch)
	);
	assert_eq!(&binding.info()[..INFO_DOMAIN.len()], INFO_DOMAIN);
	assert_eq!(EnvelopeHeader::new(1, 2, None).suite, primitives::SUPPORTED_SUITES[0]);

	let (a, b) = keys();
	let (envelope, ssk) = seal(&a, &b.public(), &binding, random_header(&binding)).unwrap();
	let chain: ChainEnvelope = envelope.clone().into();
	assert_eq!(chain.encode(), envelope.to_bytes(), "same bytes as the pallet's Envelope<Vec<u8>>");
	assert_eq!(ChainEnvelope::decode(&mut &envelope.to_bytes()[..]).unwrap(), chain);
	let back = Envelope::try_from(chain.clone()).unwrap();
	assert_eq!(open(&b, &a.public(), &binding, &back).unwrap().as_bytes(), ssk.as_bytes());
	let short = ChainEnvelope { ciphertext: chain.ciphertext[..47].to_vec(), ..chain };
	assert!(matches!(Envelope::try_from(short), Err(Error::Malformed(_))));
}
