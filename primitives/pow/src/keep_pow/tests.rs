//! `KeepPow` construction and verification: every rule, the binding of the work, the verifier.

use super::*;
use ed25519_dalek::{Signer, SigningKey};

/// A gate key pair from a seed byte (the gate's `Identity::from_seed(&[n; 32])`).
struct TestIdentity(SigningKey);

impl TestIdentity {
	fn id(&self) -> GateId {
		GateId(self.0.verifying_key().to_bytes())
	}

	fn sign_keep_chall(&self, chall: KeepChall) -> SignedKeepChall {
		SignedKeepChall { signature: self.0.sign(&chall.signing_message()).to_bytes(), chall }
	}
}

fn identity(n: u8) -> TestIdentity {
	TestIdentity(SigningKey::from_bytes(&[n; 32]))
}

const PARAMS: KeepPowParams = KeepPowParams { effort_per_challenge: 8, max_challenges: 4 };

fn chall(issuer: u8, addressee: &GateId, round: u64) -> SignedKeepChall {
	let id = identity(issuer);
	id.sign_keep_chall(KeepChall {
		round,
		issuer: id.id(),
		addressee: *addressee,
		salt: [issuer; 16],
	})
}

fn proof(issuers: &[u8], round: u64) -> KeepPow {
	let prover = identity(1).id();
	let mut p =
		KeepPow::new(round, prover, issuers.iter().map(|i| chall(*i, &prover, round)).collect());
	assert!(p.solve(PARAMS.effort_per_challenge, 0, 1 << 24));
	p
}

/// Re-solves after a modification so only the tested rule can fail.
fn resolve(mut p: KeepPow) -> KeepPow {
	assert!(p.solve(PARAMS.effort_per_challenge, 0, 1 << 24));
	p
}

#[test]
fn valid_proof_verifies() {
	let p = proof(&[2, 3, 4], 7);
	let v = p.verify(&PARAMS).expect("valid");
	assert_eq!(v.round, 7);
	assert_eq!(v.prover, identity(1).id());
	assert_eq!(v.issuers.len(), 3);
	assert!(v.issuers.windows(2).all(|w| w[0] < w[1]));
	assert_eq!(v.required, U256::from(24));
	// SCALE round trip.
	let bytes = codec::Encode::encode(&p);
	assert_eq!(<KeepPow as codec::Decode>::decode(&mut &bytes[..]).unwrap(), p);
	assert!(p.contains(&p.challenges[1]));
}

#[test]
fn required_effort_scales_with_the_number_of_challenges() {
	assert_eq!(required_difficulty(8, 1), U256::from(8));
	assert_eq!(required_difficulty(8, 100), U256::from(800));
	assert_eq!(proof(&[2, 3, 4, 5], 1).required(8), U256::from(32));
	// A nonce good enough for one challenge is not enough for many: find a proof over four
	// challenges whose work meets 8 but not 32, and see it refused.
	let mut p = proof(&[2, 3, 4, 5], 1);
	let pre = p.pre_image();
	p.nonce = (0u64..)
		.find(|n| {
			let w = work_hash(&pre, *n);
			meets_difficulty(&w, U256::from(8)) && !meets_difficulty(&w, U256::from(32))
		})
		.unwrap();
	assert_eq!(p.verify(&PARAMS), Err(KeepPowError::InsufficientWork));
}

#[test]
fn every_rule_is_enforced() {
	let prover = identity(1).id();
	assert_eq!(KeepPow::new(1, prover, vec![]).verify(&PARAMS), Err(KeepPowError::NoChallenges));
	assert_eq!(
		proof(&[2, 3, 4, 5, 6], 1).verify(&PARAMS),
		Err(KeepPowError::TooManyChallenges { count: 5 })
	);
	// A challenge of another round.
	let mut p = proof(&[2, 3], 1);
	p.challenges[1] = chall(3, &prover, 2);
	assert_eq!(resolve(p).verify(&PARAMS), Err(KeepPowError::WrongRound { index: 1 }));
	// A challenge for someone else.
	let mut p = proof(&[2, 3], 1);
	p.challenges[0] = chall(2, &identity(9).id(), 1);
	assert_eq!(resolve(p).verify(&PARAMS), Err(KeepPowError::WrongAddressee { index: 0 }));
	// Duplicate and unsorted issuers.
	let mut p = proof(&[2, 3], 1);
	p.challenges[1] = p.challenges[0];
	assert_eq!(resolve(p).verify(&PARAMS), Err(KeepPowError::NotSorted { index: 1 }));
	let mut p = proof(&[2, 3], 1);
	p.challenges.swap(0, 1);
	assert_eq!(resolve(p).verify(&PARAMS), Err(KeepPowError::NotSorted { index: 1 }));
	// A forged signature.
	let mut p = proof(&[2, 3], 1);
	p.challenges[1].signature[5] ^= 1;
	assert_eq!(resolve(p).verify(&PARAMS), Err(KeepPowError::BadSignature { index: 1 }));
	// Altered salt (signature no longer matches).
	let mut p = proof(&[2, 3], 1);
	p.challenges[0].chall.salt[0] ^= 1;
	assert_eq!(resolve(p).verify(&PARAMS), Err(KeepPowError::BadSignature { index: 0 }));
	// Zero effort.
	let zero = KeepPowParams { effort_per_challenge: 0, max_challenges: 4 };
	assert_eq!(proof(&[2], 1).verify(&zero), Err(KeepPowError::ZeroEffort));
}

#[test]
fn work_is_bound_to_round_prover_and_challenges() {
	let p = proof(&[2, 3], 1);
	let base = p.pre_image();
	let mut q = p.clone();
	q.round = 2;
	assert_ne!(q.pre_image(), base);
	let mut q = p.clone();
	q.prover = identity(9).id();
	assert_ne!(q.pre_image(), base);
	let mut q = p.clone();
	q.challenges.pop();
	assert_ne!(q.pre_image(), base);
	let mut q = p.clone();
	q.challenges[0].signature[0] ^= 1;
	assert_ne!(q.pre_image(), base);
}

#[test]
fn custom_signature_verifier_is_used() {
	struct Reject;
	impl SignatureVerifier for Reject {
		fn verify(&self, _: &GateId, _: &[u8], _: &[u8; 64]) -> bool {
			false
		}
	}
	let p = proof(&[2], 1);
	assert_eq!(p.verify_with(&PARAMS, &Reject), Err(KeepPowError::BadSignature { index: 0 }));
	assert!(p.verify_with(&PARAMS, &Ed25519Dalek).is_ok());
}

/// The bytes of a `KEEP_POW` on the wire and on chain (the `powAttest.attest` argument), and its
/// pre-image, field by field: a change here breaks every gate and every stored attestation.
#[test]
fn the_encoding_and_pre_image_are_fixed() {
	let chall =
		KeepChall { round: 7, issuer: GateId([2; 32]), addressee: GateId([1; 32]), salt: [3; 16] };
	let signed = SignedKeepChall { chall, signature: [4; 64] };
	let p = KeepPow { round: 7, prover: GateId([1; 32]), challenges: vec![signed], nonce: 5 };

	let mut chall_bytes = Vec::new();
	chall_bytes.extend_from_slice(&7u64.to_le_bytes());
	chall_bytes.extend_from_slice(&[2; 32]);
	chall_bytes.extend_from_slice(&[1; 32]);
	chall_bytes.extend_from_slice(&[3; 16]);
	assert_eq!(chall.encode(), chall_bytes);
	assert_eq!(
		chall.signing_message(),
		[b"gpow-gate/keep-chall/v1".as_slice(), &chall_bytes].concat()
	);

	let mut expected = Vec::new();
	expected.extend_from_slice(&7u64.to_le_bytes());
	expected.extend_from_slice(&[1; 32]);
	expected.push(4); // compact length 1
	expected.extend_from_slice(&chall_bytes);
	expected.extend_from_slice(&[4; 64]);
	expected.extend_from_slice(&5u64.to_le_bytes());
	assert_eq!(p.encode(), expected);
	assert_eq!(KeepPow::decode(&mut &expected[..]), Ok(p.clone()));

	let digest = sp_crypto_hashing::blake2_256(&[&[4u8][..], &chall_bytes, &[4; 64]].concat());
	assert_eq!(challenges_digest(&p.challenges), digest);
	let pre_image = sp_crypto_hashing::blake2_256(
		&[b"gpow-gate/keep-pow/v1".as_slice(), &7u64.to_le_bytes(), &[1; 32], &digest].concat(),
	);
	assert_eq!(p.pre_image(), pre_image);
}
