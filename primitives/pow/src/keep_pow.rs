//! Keep-alive challenges and proofs: `KEEP_CHALL`, `KEEP_POW` and their verification.
//!
//! The one definition of the keep-alive proof format of the PoW gate (`gpow-pow-gate`, which
//! re-exports this module as `gpow_pow_gate::attest`) and of its check, shared by the gate and
//! the chain (`pallet-pow-attest`). It has no I/O and no clock, and builds without `std` (e.g.
//! for `wasm32v1-none`): signatures are checked through a [`SignatureVerifier`], which a runtime
//! implements with its ed25519 host function. With `std`, [`Ed25519Dalek`] (pure Rust,
//! `ed25519-dalek`) is the off-chain verifier and [`KeepPow::verify`] uses it.
//!
//! ## The proof
//!
//! In round `r` every gate sends each peer a [`SignedKeepChall`]: `(r, issuer, addressee, salt)`
//! signed by the issuer. A prover collects the challenges addressed to it, sorts them by issuer
//! and proves **one** piece of work over all of them:
//!
//! ```text
//! digest    = blake2_256(SCALE(challenges))                        // sorted by issuer, signed
//! pre_image = blake2_256("gpow-gate/keep-pow/v1" ++ r_le ++ prover ++ digest)
//! work      = blake2_256(pre_image ++ nonce_le)                    // gpow_primitives_pow::work_hash
//! valid iff work meets difficulty effort_per_challenge * len(challenges)
//! ```
//!
//! The [`KeepPow`] `{round, prover, challenges, nonce}` is self-contained: anyone holding it can
//! check with [`KeepPow::verify`] that the prover spent the work over exactly these challenges,
//! and that every challenge was issued, for this round and to this prover, by the key it names.
//! A challenge is only valid in its own round and for its own addressee, and the work commits to
//! all of them, so neither the challenges nor the work can be reused.

use crate::{meets_difficulty, work_hash, U256};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Domain separator of the message a [`KeepChall`] signature covers.
pub const KEEP_CHALL_DOMAIN: &[u8] = b"gpow-gate/keep-chall/v1";
/// Domain separator of the [`KeepPow`] pre-image.
pub const KEEP_POW_DOMAIN: &[u8] = b"gpow-gate/keep-pow/v1";

/// A gate identity: an ed25519 public key (32 bytes, compressed Edwards point).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct GateId(pub [u8; 32]);

impl core::fmt::Debug for GateId {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "GateId(")?;
		for b in &self.0[..6] {
			write!(f, "{b:02x}")?;
		}
		write!(f, "..)")
	}
}

impl core::fmt::Display for GateId {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		for b in &self.0 {
			write!(f, "{b:02x}")?;
		}
		Ok(())
	}
}

/// The unsigned body of a `KEEP_CHALL`: a challenge `issuer` sends to `addressee` in `round`.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct KeepChall {
	/// The keep-alive round: `floor(unix_time_ms / period_ms)`.
	pub round: u64,
	/// Who issues the challenge (and signs it).
	pub issuer: GateId,
	/// The peer that must include the challenge in its proof.
	pub addressee: GateId,
	/// Fresh random bytes, so the prover cannot predict the challenge (and precompute work).
	pub salt: [u8; 16],
}

impl KeepChall {
	/// The exact bytes the issuer signs: [`KEEP_CHALL_DOMAIN`] `++ SCALE(self)`.
	pub fn signing_message(&self) -> Vec<u8> {
		let mut msg = Vec::with_capacity(KEEP_CHALL_DOMAIN.len() + 88);
		msg.extend_from_slice(KEEP_CHALL_DOMAIN);
		self.encode_to(&mut msg);
		msg
	}
}

/// A `KEEP_CHALL` as it travels: the challenge and the issuer's ed25519 signature over
/// [`KeepChall::signing_message`].
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct SignedKeepChall {
	/// The challenge.
	pub chall: KeepChall,
	/// The issuer's signature (64 bytes, ed25519).
	pub signature: [u8; 64],
}

impl SignedKeepChall {
	/// Whether the signature is the issuer's over this challenge.
	pub fn verify_signature<V: SignatureVerifier>(&self, verifier: &V) -> bool {
		verifier.verify(&self.chall.issuer, &self.chall.signing_message(), &self.signature)
	}
}

/// A `KEEP_POW`: one proof of work over every challenge a prover received in a round.
///
/// The standalone attestation a pallet can accept: see the [module docs](self) for the
/// construction and [`KeepPow::verify`] for the checks.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct KeepPow {
	/// The round all challenges belong to.
	pub round: u64,
	/// The prover: the addressee of every challenge.
	pub prover: GateId,
	/// The challenges, sorted strictly by issuer (so at most one per issuer).
	pub challenges: Vec<SignedKeepChall>,
	/// The nonce whose work over [`KeepPow::pre_image`] meets the required difficulty.
	pub nonce: u64,
}

/// What a verifier requires of a [`KeepPow`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct KeepPowParams {
	/// Expected hashes per challenge; the proof needs `effort_per_challenge * n` for `n`
	/// challenges. Must not be zero.
	pub effort_per_challenge: u64,
	/// The largest number of challenges accepted in one proof.
	pub max_challenges: u32,
}

/// Why a [`KeepPow`] is refused. `index` is the position of the offending challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum KeepPowError {
	/// The proof carries no challenge.
	NoChallenges,
	/// More challenges than [`KeepPowParams::max_challenges`].
	TooManyChallenges {
		/// How many the proof carries.
		count: u32,
	},
	/// A challenge is for another round than the proof.
	WrongRound {
		/// Offending challenge.
		index: u32,
	},
	/// A challenge is addressed to someone other than the prover.
	WrongAddressee {
		/// Offending challenge.
		index: u32,
	},
	/// Challenges are not sorted strictly by issuer (unsorted, or two from one issuer).
	NotSorted {
		/// Offending challenge (the second of the pair).
		index: u32,
	},
	/// A challenge's signature is not its issuer's.
	BadSignature {
		/// Offending challenge.
		index: u32,
	},
	/// `effort_per_challenge` is zero.
	ZeroEffort,
	/// The nonce's work does not meet `effort_per_challenge * n`.
	InsufficientWork,
}

impl core::fmt::Display for KeepPowError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			KeepPowError::NoChallenges => write!(f, "keep-alive proof carries no challenge"),
			KeepPowError::TooManyChallenges { count } => {
				write!(f, "keep-alive proof carries {count} challenges, more than allowed")
			},
			KeepPowError::WrongRound { index } => {
				write!(f, "challenge {index} is for another round")
			},
			KeepPowError::WrongAddressee { index } => {
				write!(f, "challenge {index} is addressed to someone else")
			},
			KeepPowError::NotSorted { index } => {
				write!(f, "challenge {index} breaks the strict issuer order")
			},
			KeepPowError::BadSignature { index } => {
				write!(f, "challenge {index} has an invalid signature")
			},
			KeepPowError::ZeroEffort => write!(f, "effort per challenge is zero"),
			KeepPowError::InsufficientWork => {
				write!(f, "keep-alive work does not meet the required effort")
			},
		}
	}
}

/// What a valid [`KeepPow`] attests.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct VerifiedKeepPow {
	/// The round.
	pub round: u64,
	/// The prover.
	pub prover: GateId,
	/// The issuers whose challenges the work covers, sorted.
	pub issuers: Vec<GateId>,
	/// The difficulty the proof had to meet (`effort_per_challenge * n`).
	pub required: U256,
}

/// Checks ed25519 signatures. Off chain (with `std`) `Ed25519Dalek` is the default; a runtime
/// plugs in its host function (e.g. `sp_io::crypto::ed25519_verify`) instead.
pub trait SignatureVerifier {
	/// Whether `signature` is `signer`'s ed25519 signature over `message`.
	fn verify(&self, signer: &GateId, message: &[u8], signature: &[u8; 64]) -> bool;
}

/// [`SignatureVerifier`] with `ed25519-dalek`'s `verify_strict` (refuses small-order keys and
/// non-canonical encodings). Only with `std`: a runtime uses its host function.
#[cfg(feature = "std")]
#[derive(Clone, Copy, Debug, Default)]
pub struct Ed25519Dalek;

#[cfg(feature = "std")]
impl SignatureVerifier for Ed25519Dalek {
	fn verify(&self, signer: &GateId, message: &[u8], signature: &[u8; 64]) -> bool {
		let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&signer.0) else {
			return false;
		};
		key.verify_strict(message, &ed25519_dalek::Signature::from_bytes(signature))
			.is_ok()
	}
}

/// `blake2_256(SCALE(challenges))`: the hash the proof commits to (signatures included).
pub fn challenges_digest(challenges: &[SignedKeepChall]) -> [u8; 32] {
	sp_crypto_hashing::blake2_256(&challenges.encode())
}

/// The pre-image of a keep-alive proof:
/// `blake2_256(KEEP_POW_DOMAIN ++ round_le ++ prover ++ digest)`.
pub fn keep_pow_pre_image(round: u64, prover: &GateId, digest: &[u8; 32]) -> [u8; 32] {
	let mut input = Vec::with_capacity(KEEP_POW_DOMAIN.len() + 8 + 32 + 32);
	input.extend_from_slice(KEEP_POW_DOMAIN);
	input.extend_from_slice(&round.to_le_bytes());
	input.extend_from_slice(&prover.0);
	input.extend_from_slice(digest);
	sp_crypto_hashing::blake2_256(&input)
}

/// The difficulty a proof over `count` challenges must meet: `effort_per_challenge * count`.
pub fn required_difficulty(effort_per_challenge: u64, count: usize) -> U256 {
	U256::from(effort_per_challenge).saturating_mul(U256::from(count as u64))
}

impl KeepPow {
	/// An unsolved proof (nonce 0) over `challenges`, which it sorts by issuer.
	pub fn new(round: u64, prover: GateId, mut challenges: Vec<SignedKeepChall>) -> Self {
		challenges.sort_by_key(|c| c.chall.issuer);
		KeepPow { round, prover, challenges, nonce: 0 }
	}

	/// The pre-image the nonce's work is computed over.
	pub fn pre_image(&self) -> [u8; 32] {
		keep_pow_pre_image(self.round, &self.prover, &challenges_digest(&self.challenges))
	}

	/// The difficulty this proof must meet under `effort_per_challenge`.
	pub fn required(&self, effort_per_challenge: u64) -> U256 {
		required_difficulty(effort_per_challenge, self.challenges.len())
	}

	/// Whether the proof carries exactly this signed challenge.
	pub fn contains(&self, chall: &SignedKeepChall) -> bool {
		self.challenges
			.binary_search_by(|c| c.chall.issuer.cmp(&chall.chall.issuer))
			.map(|i| self.challenges[i] == *chall)
			.unwrap_or(false)
	}

	/// Finds a nonce (from `start`, at most `max_tries` of them) that meets the required
	/// difficulty, and stores it. Returns whether one was found.
	pub fn solve(&mut self, effort_per_challenge: u64, start: u64, max_tries: u64) -> bool {
		let pre_image = self.pre_image();
		let difficulty = self.required(effort_per_challenge);
		let mut nonce = start;
		for _ in 0..max_tries {
			if meets_difficulty(&work_hash(&pre_image, nonce), difficulty) {
				self.nonce = nonce;
				return true;
			}
			nonce = nonce.wrapping_add(1);
		}
		false
	}

	/// Verifies the proof with `ed25519-dalek` signatures (only with `std`): see
	/// [`KeepPow::verify_with`].
	#[cfg(feature = "std")]
	pub fn verify(&self, params: &KeepPowParams) -> Result<VerifiedKeepPow, KeepPowError> {
		self.verify_with(params, &Ed25519Dalek)
	}

	/// Verifies the proof: 1 to `max_challenges` challenges, all of `round`, all addressed to
	/// `prover`, strictly sorted by issuer, each signed by its issuer, and the nonce's work over
	/// [`KeepPow::pre_image`] meets `effort_per_challenge * n`.
	///
	/// Cheap checks come first; the work (one hash) is checked before the `n` signatures.
	/// Freshness (is `round` recent?) and membership (are the issuers known gates?) are the
	/// caller's policy.
	pub fn verify_with<V: SignatureVerifier>(
		&self,
		params: &KeepPowParams,
		verifier: &V,
	) -> Result<VerifiedKeepPow, KeepPowError> {
		if params.effort_per_challenge == 0 {
			return Err(KeepPowError::ZeroEffort);
		}
		let count = self.challenges.len();
		if count == 0 {
			return Err(KeepPowError::NoChallenges);
		}
		if count > params.max_challenges as usize {
			return Err(KeepPowError::TooManyChallenges {
				count: u32::try_from(count).unwrap_or(u32::MAX),
			});
		}
		for (i, c) in self.challenges.iter().enumerate() {
			let index = i as u32;
			if c.chall.round != self.round {
				return Err(KeepPowError::WrongRound { index });
			}
			if c.chall.addressee != self.prover {
				return Err(KeepPowError::WrongAddressee { index });
			}
			if i > 0 && self.challenges[i - 1].chall.issuer >= c.chall.issuer {
				return Err(KeepPowError::NotSorted { index });
			}
		}
		let required = self.required(params.effort_per_challenge);
		if !meets_difficulty(&work_hash(&self.pre_image(), self.nonce), required) {
			return Err(KeepPowError::InsufficientWork);
		}
		for (i, c) in self.challenges.iter().enumerate() {
			if !c.verify_signature(verifier) {
				return Err(KeepPowError::BadSignature { index: i as u32 });
			}
		}
		Ok(VerifiedKeepPow {
			round: self.round,
			prover: self.prover,
			issuers: self.challenges.iter().map(|c| c.chall.issuer).collect(),
			required,
		})
	}
}

// The tests sign with `ed25519-dalek` and verify with `Ed25519Dalek` (std).
#[cfg(all(test, feature = "std"))]
mod tests;
