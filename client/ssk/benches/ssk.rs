//! `cargo bench -p gpow-client-ssk`: plain `std::time` loops, no framework.
//!
//! Every figure is measured in several batches; the table shows the best batch (closest to an
//! idle machine) and the median one (what a busy machine gives).

use std::{hint::black_box, time::Instant};

use aes_gcm::{
	aead::{AeadInPlace, KeyInit},
	Aes256Gcm,
};
use chacha20poly1305::ChaCha20Poly1305;
use gpow_client_ssk::{
	open, seal, Binding, EncryptionKeyPair, EnvelopeHeader, EnvelopeHeaderExt, Party, Role, Session,
};
use hpke::{
	aead::ChaCha20Poly1305 as HpkeChaCha, kdf::HkdfSha256, kem::X25519HkdfSha256, Deserializable,
	Kem, OpModeR,
};
use x25519_dalek::{PublicKey, StaticSecret};

const BATCHES: usize = 15;
const MESSAGE: usize = 64 * 1024;

/// Runs `batch` (which performs `per_batch` operations) `BATCHES` times; returns (best, median)
/// seconds per operation.
fn measure(per_batch: usize, mut batch: impl FnMut()) -> (f64, f64) {
	batch(); // warm-up
	let mut times: Vec<f64> = (0..BATCHES)
		.map(|_| {
			let start = Instant::now();
			batch();
			start.elapsed().as_secs_f64() / per_batch as f64
		})
		.collect();
	times.sort_by(f64::total_cmp);
	(times[0], times[BATCHES / 2])
}

fn row_time(name: &str, (best, median): (f64, f64)) {
	println!("{name:<62} {:>10.1} µs {:>10.1} µs", best * 1e6, median * 1e6);
}

fn row_rate(name: &str, bytes: usize, (best, median): (f64, f64)) {
	let gbps = |secs: f64| bytes as f64 / secs / 1e9;
	println!("{name:<62} {:>9.2} GB/s {:>8.2} GB/s", gbps(best), gbps(median));
}

fn main() {
	#[cfg(any(target_arch = "x86_64", target_arch = "x86"))]
	println!(
		"CPU features detected at run time: avx2={} aes={} pclmulqdq={} sha={}",
		std::arch::is_x86_feature_detected!("avx2"),
		std::arch::is_x86_feature_detected!("aes"),
		std::arch::is_x86_feature_detected!("pclmulqdq"),
		std::arch::is_x86_feature_detected!("sha"),
	);
	println!("{:<62} {:>13} {:>13}", "", "best", "median");

	let alice = EncryptionKeyPair::generate().expect("keys");
	let bob = EncryptionKeyPair::generate().expect("keys");
	let binding =
		Binding { genesis: [0x11; 32], sender: [0xaa; 32], receiver: [0xbb; 32], epoch: 1 };
	let header = EnvelopeHeader::new(1, 0, None);

	// One X25519 Diffie-Hellman operation.
	let secret = StaticSecret::from(*bob.secret_bytes());
	let public = PublicKey::from(alice.public());
	row_time(
		"X25519 DH (one operation)",
		measure(200, || {
			for _ in 0..200 {
				black_box(secret.diffie_hellman(black_box(&public)));
			}
		}),
	);

	// Cold open: two DH + key schedule + AEAD.
	let (envelope, _) = seal(&alice, &bob.public(), &binding, header).expect("seal");
	row_time(
		"HPKE open, cold (no cache; 2 DH)",
		measure(100, || {
			for _ in 0..100 {
				black_box(
					open(&bob, &alice.public(), &binding, black_box(&envelope)).expect("open"),
				);
			}
		}),
	);

	// Reference: the `hpke` crate's single-shot Auth open of the same envelope.
	let their_sk =
		<X25519HkdfSha256 as Kem>::PrivateKey::from_bytes(bob.secret_bytes().as_ref()).expect("sk");
	let their_pk_s = <X25519HkdfSha256 as Kem>::PublicKey::from_bytes(&alice.public()).expect("pk");
	let their_enc = <X25519HkdfSha256 as Kem>::EncappedKey::from_bytes(&envelope.enc).expect("enc");
	let info = binding.info();
	let aad = header.aad();
	row_time(
		"  (reference: hpke crate single_shot_open, Auth mode)",
		measure(100, || {
			for _ in 0..100 {
				black_box(
					hpke::single_shot_open::<HpkeChaCha, HkdfSha256, X25519HkdfSha256>(
						&OpModeR::Auth(their_pk_s.clone()),
						&their_sk,
						&their_enc,
						&info,
						&envelope.ciphertext,
						&aad,
					)
					.expect("hpke open"),
				);
			}
		}),
	);

	// Warm open (cached static-static DH) + session setup + first traffic message (64 bytes).
	let mut bob_party = Party::new(bob.clone());
	bob_party.open(&alice.public(), &binding, &envelope).expect("prime cache");
	let mut alice_session = {
		let ssk = open(&bob, &alice.public(), &binding, &envelope).expect("open");
		Session::new(&ssk, &binding, Role::Initiator).expect("session")
	};
	let first_frame = alice_session.encrypt(&[0x42; 64]).expect("encrypt");
	row_time(
		"open, warm cache (1 DH)",
		measure(100, || {
			for _ in 0..100 {
				black_box(bob_party.open(&alice.public(), &binding, &envelope).expect("open"));
			}
		}),
	);
	row_time(
		"open, warm cache + Session::new + decrypt 1st message (64 B)",
		measure(100, || {
			for _ in 0..100 {
				let ssk = bob_party.open(&alice.public(), &binding, &envelope).expect("open");
				let mut session = Session::new(&ssk, &binding, Role::Responder).expect("session");
				black_box(session.decrypt(black_box(&first_frame)).expect("decrypt"));
			}
		}),
	);

	// Traffic throughput, 64 KiB messages.
	let ssk = open(&bob, &alice.public(), &binding, &envelope).expect("open");
	let message = vec![0x5a; MESSAGE];
	const FRAMES: usize = 128;
	let mut sender = Session::new(&ssk, &binding, Role::Initiator).expect("session");
	let mut frame = Vec::with_capacity(MESSAGE + 64);
	row_rate(
		"traffic encrypt (Session, AES-256-GCM + ratchet), 64 KiB",
		MESSAGE,
		measure(FRAMES, || {
			for _ in 0..FRAMES {
				sender.encrypt_into(&message, &mut frame).expect("encrypt");
				black_box(&frame);
			}
		}),
	);
	let mut sender = Session::new(&ssk, &binding, Role::Initiator).expect("session");
	let mut receiver = Session::new(&ssk, &binding, Role::Responder).expect("session");
	let frames: Vec<Vec<u8>> = (0..FRAMES * (BATCHES + 1))
		.map(|_| sender.encrypt(&message).expect("encrypt"))
		.collect();
	let mut next = frames.iter();
	let mut plain = Vec::with_capacity(MESSAGE);
	row_rate(
		"traffic decrypt (Session, checks + ratchet), 64 KiB",
		MESSAGE,
		measure(FRAMES, || {
			for frame in next.by_ref().take(FRAMES) {
				receiver.decrypt_into(frame, &mut plain).expect("decrypt");
				black_box(&plain);
			}
		}),
	);
	drop(frames);

	// Raw AEAD, 64 KiB, one key.
	let mut buffer = vec![0x5a; MESSAGE];
	let aes = Aes256Gcm::new(&[7u8; 32].into());
	row_rate(
		"raw AES-256-GCM encrypt (chosen traffic AEAD), 64 KiB",
		MESSAGE,
		measure(FRAMES, || {
			for i in 0..FRAMES as u64 {
				let mut nonce = [0u8; 12];
				nonce[..8].copy_from_slice(&i.to_le_bytes());
				black_box(
					aes.encrypt_in_place_detached(&nonce.into(), b"header", &mut buffer)
						.expect("aes"),
				);
			}
		}),
	);
	let nonce = [9u8; 12];
	let tag = aes.encrypt_in_place_detached(&nonce.into(), b"h", &mut buffer).expect("aes");
	let mut copy = buffer.clone();
	row_rate(
		"raw AES-256-GCM decrypt (incl. a 64 KiB memcpy), 64 KiB",
		MESSAGE,
		measure(FRAMES, || {
			for _ in 0..FRAMES {
				// Decrypt the same valid ciphertext each time, from a fresh copy.
				copy.copy_from_slice(&buffer);
				aes.decrypt_in_place_detached(&nonce.into(), b"h", &mut copy, &tag)
					.expect("aes");
				black_box(&copy);
			}
		}),
	);
	let chacha = ChaCha20Poly1305::new(&[7u8; 32].into());
	row_rate(
		"raw ChaCha20-Poly1305 encrypt (not chosen), 64 KiB",
		MESSAGE,
		measure(FRAMES, || {
			for i in 0..FRAMES as u64 {
				let mut nonce = [0u8; 12];
				nonce[..8].copy_from_slice(&i.to_le_bytes());
				black_box(
					chacha
						.encrypt_in_place_detached(&nonce.into(), b"header", &mut buffer)
						.expect("chacha"),
				);
			}
		}),
	);
}
