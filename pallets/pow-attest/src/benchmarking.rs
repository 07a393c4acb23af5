//! Benchmarks of the PoW attestation pallet (frame-benchmarking v2): every call in its worst case,
//! the authorization of `attest`, and the pruning `on_initialize` does.
//!
//! Gate keys are real ed25519 keys from seeds and every signature is real (signed with
//! `ed25519-dalek`, enabled by the `runtime-benchmarks` feature, so no keystore is needed).

use super::*;
use alloc::vec;
use ed25519_dalek::{Signer, SigningKey};
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;

/// The round the benchmarks attest (far from 0, so older rounds exist).
const ROUND: u64 = 1_000_000;

/// Sets the chain's clock inside `round`.
fn set_round<T: Config>(round: u64) {
	let now = round.saturating_mul(T::RoundPeriod::get()).saturating_add(1);
	pallet_timestamp::Now::<T>::put(now.saturated_into::<T::Moment>());
}

/// A gate key from a seed number.
fn gate_pair(seed: u32) -> SigningKey {
	let mut bytes = [0x5au8; 32];
	bytes[..4].copy_from_slice(&seed.to_le_bytes());
	SigningKey::from_bytes(&bytes)
}

fn gate_id(key: &SigningKey) -> GateId {
	GateId(key.verifying_key().to_bytes())
}

fn sign(key: &SigningKey, message: &[u8]) -> [u8; 64] {
	key.sign(message).to_bytes()
}

/// Registers `pair`'s gate to a funded account `(name, index)`.
fn register<T: Config>(
	name: &'static str,
	index: u32,
	pair: &SigningKey,
) -> Result<T::AccountId, BenchmarkError> {
	let who: T::AccountId = account(name, index, 0);
	T::GateConsideration::ensure_successful(&who, Pallet::<T>::gate_footprint());
	let signature = sign(pair, &Pallet::<T>::registration_message(&who));
	Pallet::<T>::register_gate(RawOrigin::Signed(who.clone()).into(), gate_id(pair), signature)?;
	Ok(who)
}

/// The costliest attestation with `n` challenges: `n` registered issuers, into a new round while
/// the round index is one short of full. Returns it, the parameters it meets and its prover.
///
/// The proof is solved at effort 1 per challenge rather than `EffortPerChallenge`: checking the
/// work is one hash whatever the difficulty, while finding it would cost `n * EffortPerChallenge`
/// hashes per sample of setup. This is why the benchmarks call the check with explicit
/// parameters rather than the call (or `Authorize::authorize`, which take the chain's).
fn worst_case_attestation<T: Config>(
	n: u32,
) -> Result<(AttestationOf<T>, KeepPowParams, GateId), BenchmarkError> {
	set_round::<T>(ROUND);
	let prover = gate_pair(0);
	register::<T>("prover", 0, &prover)?;
	let mut challenges = Vec::new();
	for i in 1..=n {
		let issuer = gate_pair(i);
		register::<T>("issuer", i, &issuer)?;
		let mut salt = [0u8; 16];
		salt[..4].copy_from_slice(&i.to_le_bytes());
		let chall =
			KeepChall { round: ROUND, issuer: gate_id(&issuer), addressee: gate_id(&prover), salt };
		let signature = sign(&issuer, &chall.signing_message());
		challenges.push(SignedKeepChall { chall, signature });
	}
	let params = KeepPowParams { effort_per_challenge: 1, max_challenges: T::MaxChallenges::get() };
	let mut keep_pow = KeepPow::new(ROUND, gate_id(&prover), challenges);
	if !keep_pow.solve(params.effort_per_challenge, 0, u64::MAX) {
		return Err(BenchmarkError::Stop("no nonce found"));
	}
	let attestation = Pallet::<T>::attestation_from(keep_pow).map_err(DispatchError::from)?;
	let older = (1..T::MaxTrackedRounds::get())
		.rev()
		.map(|k| RoundInfo { round: ROUND - u64::from(k), attestations: 1 })
		.collect::<Vec<_>>();
	ActiveRounds::<T>::put(BoundedVec::truncate_from(older));
	Ok((attestation, params, gate_id(&prover)))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_gate() -> Result<(), BenchmarkError> {
		let pair = gate_pair(1);
		let who: T::AccountId = account("owner", 0, 0);
		T::GateConsideration::ensure_successful(&who, Pallet::<T>::gate_footprint());
		let signature = sign(&pair, &Pallet::<T>::registration_message(&who));

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), gate_id(&pair), signature);

		assert_eq!(Gates::<T>::get(gate_id(&pair)).map(|g| g.owner), Some(who));
		Ok(())
	}

	#[benchmark]
	fn unregister_gate() -> Result<(), BenchmarkError> {
		let pair = gate_pair(1);
		let who = register::<T>("owner", 0, &pair)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who), gate_id(&pair));

		assert!(!Gates::<T>::contains_key(gate_id(&pair)));
		Ok(())
	}

	/// An attestation with `n` challenges from `n` registered issuers, into a new round while the
	/// round index is one short of full. Measures the call at block inclusion: its re-check and
	/// writes (the authorization before it is [`authorize_attest`]).
	#[benchmark]
	fn attest(n: Linear<1, { T::MaxChallenges::get() }>) -> Result<(), BenchmarkError> {
		let (attestation, params, prover) = worst_case_attestation::<T>(n)?;

		#[block]
		{
			Pallet::<T>::do_attest(&attestation, &params)?;
		}

		assert_eq!(Pallet::<T>::work_score(&prover, ROUND).map(|w| w.challenges), Some(n));
		Ok(())
	}

	/// The authorization of the same attestation (`#[pallet::authorize]`, run by
	/// `frame_system::AuthorizeCall` in the pool and at block inclusion): every check, the
	/// priority (one more work hash) and the longevity. Changes nothing.
	#[benchmark]
	fn authorize_attest(n: Linear<1, { T::MaxChallenges::get() }>) -> Result<(), BenchmarkError> {
		let (attestation, params, prover) = worst_case_attestation::<T>(n)?;
		let validity;

		#[block]
		{
			validity = Pallet::<T>::attestation_validity(&attestation, &params);
		}

		let validity = validity.map_err(|_| BenchmarkError::Stop("attestation refused"))?;
		assert_eq!(validity.provides, vec![(TAG_PREFIX, (prover, ROUND)).encode()]);
		assert_eq!(Pallet::<T>::work_score(&prover, ROUND), None);
		Ok(())
	}

	/// Pruning `k` attestation keys spread over as many expired rounds as the index holds (one
	/// `clear_prefix` per round is the costly shape).
	#[benchmark]
	fn prune(k: Linear<0, { T::MaxPrunePerBlock::get() }>) -> Result<(), BenchmarkError> {
		let rounds = k.clamp(1, T::MaxTrackedRounds::get());
		let mut infos = Vec::new();
		for r in 0..rounds {
			let round = ROUND + u64::from(r);
			let keys = (r..k).step_by(rounds as usize).count() as u32;
			for i in (r..k).step_by(rounds as usize) {
				let mut id = [0u8; 32];
				id[..4].copy_from_slice(&i.to_le_bytes());
				Attestations::<T>::insert(
					round,
					GateId(id),
					AttestedWork { challenges: 1, score: 1 },
				);
			}
			infos.push(RoundInfo { round, attestations: keys });
		}
		ActiveRounds::<T>::put(BoundedVec::truncate_from(infos));
		let current = ROUND + u64::from(rounds) + T::RoundWindow::get();
		set_round::<T>(current);

		#[block]
		{
			Pallet::<T>::prune_expired(current, T::MaxPrunePerBlock::get());
		}

		for r in 0..rounds {
			assert_eq!(Attestations::<T>::iter_prefix(ROUND + u64::from(r)).count(), 0);
		}
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
