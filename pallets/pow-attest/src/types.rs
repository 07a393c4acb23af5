//! What the pallet takes as input and what it stores.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use gpow_primitives_pow::keep_pow::{GateId, KeepPow, KeepPowError, SignedKeepChall};
use scale_info::TypeInfo;

/// A work score: expected hashes, see [`AttestedWork::score`].
pub type WorkScore = u128;

/// A `KEEP_POW` as the chain takes it: the gate's [`KeepPow`] with its challenges bounded by
/// `MaxChallenges`.
///
/// The SCALE encoding is exactly the [`KeepPow`]'s (a `BoundedVec` encodes like a `Vec`), so the
/// bytes a gate sends its peers decode as an `Attestation` as long as they carry at most
/// `MaxChallenges` challenges; more fail to decode.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxChallenges))]
pub struct Attestation<MaxChallenges: Get<u32>> {
	/// The keep-alive round (epoch): `floor(unix_ms / RoundPeriod)`.
	pub round: u64,
	/// The prover: the gate that did the work, addressee of every challenge.
	pub prover: GateId,
	/// The signed challenges, sorted strictly by issuer.
	pub challenges: BoundedVec<SignedKeepChall, MaxChallenges>,
	/// The nonce whose work over the proof's pre-image meets the required difficulty.
	pub nonce: u64,
}

impl<MaxChallenges: Get<u32>> Attestation<MaxChallenges> {
	/// The gate's form of the proof, for [`KeepPow::verify_with`].
	pub fn to_keep_pow(&self) -> KeepPow {
		KeepPow {
			round: self.round,
			prover: self.prover,
			challenges: self.challenges.to_vec(),
			nonce: self.nonce,
		}
	}
}

impl<MaxChallenges: Get<u32>> TryFrom<KeepPow> for Attestation<MaxChallenges> {
	type Error = KeepPowError;

	/// Bounds a gate's proof; refuses it with [`KeepPowError::TooManyChallenges`] if it carries
	/// more than `MaxChallenges` challenges.
	fn try_from(keep_pow: KeepPow) -> Result<Self, KeepPowError> {
		let count = u32::try_from(keep_pow.challenges.len()).unwrap_or(u32::MAX);
		let challenges: BoundedVec<_, _> = keep_pow
			.challenges
			.try_into()
			.map_err(|_: Vec<SignedKeepChall>| KeepPowError::TooManyChallenges { count })?;
		Ok(Attestation {
			round: keep_pow.round,
			prover: keep_pow.prover,
			challenges,
			nonce: keep_pow.nonce,
		})
	}
}

/// A registered gate identity.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct GateRecord<AccountId, Ticket> {
	/// The account that registered the gate; only it can unregister.
	pub owner: AccountId,
	/// The sum of the scores of every attestation the gate made since it was registered
	/// (saturating).
	pub total_score: WorkScore,
	/// The deposit held for this record.
	pub ticket: Ticket,
}

/// The work a gate attested for one round.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct AttestedWork {
	/// How many distinct registered gates challenged the prover (the proof's challenges).
	pub challenges: u32,
	/// `challenges * EffortPerChallenge`: the difficulty the one proof of work provably met,
	/// i.e. the expected number of hashes it cost.
	pub score: WorkScore,
}

/// One gate's attested work in a round, as the runtime API lists them.
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
pub struct RoundScore {
	/// The prover.
	pub gate: GateId,
	/// Its attested work.
	pub work: AttestedWork,
}

/// A round that holds attestations, with how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct RoundInfo {
	/// The round.
	pub round: u64,
	/// Attestations accepted for it.
	pub attestations: u32,
}
