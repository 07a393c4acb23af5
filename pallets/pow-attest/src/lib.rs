//! # PoW attestation pallet
//!
//! Keep-alive work of the PoW gate (`gpow-pow-gate`, seed 004), attested on chain. Every round
//! each gate sends its peers signed challenges (`KEEP_CHALL`) and proves **one** piece of work
//! over all the challenges it received (`KEEP_POW`). This pallet accepts that proof as a
//! **transaction without signer paid for by its own work**: no account, no fee; the proof of work
//! is the price of the block space, and it also orders the pool. The proof's format and check are
//! `gpow_primitives_pow::keep_pow` (the gate uses the same definitions), so the runtime depends
//! on no client crate.
//!
//! ## Overview
//!
//! - **Gate registry.** An account registers a gate identity (an ed25519 public key, [`GateId`])
//!   with [`Pallet::register_gate`], proving it holds the gate key by a signature over
//!   [`registration_payload`]: [`REGISTRATION_DOMAIN`], the chain's genesis hash
//!   (`frame_system::block_hash(0)`, so a registration cannot be replayed on another chain) and
//!   the registering account (so nobody else can submit it). A deposit
//!   ([`Config::GateConsideration`]) is held while the gate is registered;
//!   [`Pallet::unregister_gate`] (by the owner) removes it and releases the deposit.
//! - **Attestations.** [`Pallet::attest`] takes an [`Attestation`] (the gate's `KEEP_POW`: round,
//!   prover, signed challenges, nonce) as a *general* transaction (extrinsic v5, no signature)
//!   authorized by the call itself: `#[pallet::authorize]` ([`Pallet::authorize_attest`]), run by
//!   the runtime's `frame_system::AuthorizeCall` transaction extension, which must come first in
//!   its `TxExtension`. A bare (v4-style unsigned) extrinsic is not authorized: the pallet has no
//!   `ValidateUnsigned`, so the pool refuses it and, in a block, it fails with `BadOrigin`. It is
//!   accepted when:
//!   1. its round is fresh: `current - RoundWindow <= round <= current + MaxFutureRounds`, where
//!      `current = floor(pallet_timestamp::now() / RoundPeriod)` ([`Pallet::current_round`]);
//!   2. it carries at least one challenge (at most [`Config::MaxChallenges`]: more do not even
//!      decode);
//!   3. the prover has not attested this round yet, the round has room
//!      ([`Config::MaxAttestationsPerRound`]) and the round index has room
//!      ([`Config::MaxTrackedRounds`]);
//!   4. the prover is a registered gate;
//!   5. no challenge is issued by the prover itself;
//!   6. every challenge is of the proof's round, addressed to the prover, sorted strictly by
//!      issuer (so at most one per issuer), the work meets `EffortPerChallenge * n` for its `n`
//!      challenges, and every challenge is signed by its issuer (`KeepPow::verify_with`, ed25519
//!      through the `sp_io::crypto::ed25519_verify` host function);
//!   7. every issuer is a registered gate.
//!
//!   The checks run in this order, cheapest first: the work (one hash) is checked before the `n`
//!   signatures and the `n` registry reads, so making the chain do `n` signature checks costs `n`
//!   times the effort per challenge in hashing. The authorization (in the pool, and again when a
//!   block includes the transaction) and the dispatchable run the same checks: the authorization
//!   refuses with `InvalidTransaction::Custom(code)` (table below), the dispatchable, which only
//!   the `frame_system::Origin::Authorized` origin may call, re-checks and returns the named
//!   [`Error`]. The authorization's weight ([`WeightInfo::authorize_attest`], per challenge) is
//!   charged as the extension weight of the transaction, the call's ([`WeightInfo::attest`]) as
//!   its call weight.
//! - **Pool.** A valid attestation provides the tag `("PowAttest", (prover, round))`, so the
//!   pool keeps one per gate and round (the higher priority wins). Its priority is
//!   `UnsignedPriority + min(effort, u64::MAX)` where `effort` is the effort of its work hash
//!   (`gpow_primitives_pow::effort`, at least the required `EffortPerChallenge * n`): priority is
//!   bought with work as a tip is bought with money, since reaching effort `x` costs `x` hashes in
//!   expectation. Its longevity lasts until the round leaves the window: the blocks that can
//!   still come before then, at most one per `pallet_timestamp::MinimumPeriod` (an upper bound;
//!   the pool's revalidation drops it as stale as soon as it is).
//! - **Scores.** An accepted attestation stores, for (round, prover), its [`AttestedWork`]:
//!   `challenges = n` and `score = n * EffortPerChallenge`, the difficulty the proof provably
//!   met, i.e. the number of distinct registered challengers times the effort each demands (the
//!   sum of the verified per-challenge efforts). The lucky surplus of the work hash is **not**
//!   scored: it has unbounded variance and is no evidence of more work. The gate's lifetime sum
//!   accumulates in [`GateRecord::total_score`]. Read them with [`Pallet::work_score`],
//!   [`Pallet::scores`] (the `PowAttestApi` runtime API, `powAttest_*` JSON-RPC).
//! - **Pruning.** Only rounds in the window can gain attestations. [`ActiveRounds`] lists the
//!   rounds that hold attestations (at most [`Config::MaxTrackedRounds`]); `on_initialize` removes
//!   the attestations of rounds that left the window, at most [`Config::MaxPrunePerBlock`] keys
//!   per block, oldest round first, and drops a round from the list once it is empty. Storage
//!   therefore stays below `MaxTrackedRounds * MaxAttestationsPerRound` attestations whatever
//!   happens; if pruning ever falls behind, new rounds are refused ([`Error::PruningBacklog`])
//!   until it catches up.
//!
//! ## Terms
//!
//! - **Round** (epoch): `floor(unix_ms / RoundPeriod)`, the gate's keep-alive round. On chain
//!   "now" is `pallet_timestamp::now()`: the current block's timestamp during block execution,
//!   the parent block's during pool validation and in `on_initialize`.
//! - **Window**: the rounds accepted now, `[current - RoundWindow, current + MaxFutureRounds]`.
//!   Past rounds are accepted because an attestation needs blocks to get in; future rounds
//!   because the chain's clock (the last block's timestamp) lags the wall clock by up to a block
//!   time.
//! - **Effort**: expected hashes (GPoW's linear difficulty, `gpow-primitives-pow`).
//!
//! ## Refusal codes
//!
//! The authorization refuses an attestation with `InvalidTransaction::Custom(code)`, where
//! `code` is the index of the [`Error`] variant the dispatchable would return (the first byte of
//! `DispatchError::Module { error, .. }`), see [`Error::code`]:
//!
//! | code | error | refusal |
//! | --- | --- | --- |
//! | 0 | [`Error::StaleRound`] | round older than `current - RoundWindow` |
//! | 1 | [`Error::FutureRound`] | round newer than `current + MaxFutureRounds` |
//! | 2 | [`Error::NoChallenges`] | no challenge |
//! | 3 | [`Error::TooManyChallenges`] | more than `MaxChallenges` |
//! | 4 | [`Error::WrongChallengeRound`] | a challenge of another round |
//! | 5 | [`Error::WrongAddressee`] | a challenge addressed to another gate |
//! | 6 | [`Error::ChallengesNotSorted`] | issuers not strictly increasing |
//! | 7 | [`Error::SelfChallenge`] | a challenge issued by the prover |
//! | 8 | [`Error::UnregisteredProver`] | prover not registered |
//! | 9 | [`Error::UnregisteredIssuer`] | an issuer not registered |
//! | 10 | [`Error::BadSignature`] | a challenge not signed by its issuer |
//! | 11 | [`Error::InsufficientEffort`] | work below `EffortPerChallenge * n` |
//! | 12 | [`Error::AlreadyAttested`] | prover already attested this round |
//! | 13 | [`Error::RoundFull`] | `MaxAttestationsPerRound` reached |
//! | 14 | [`Error::PruningBacklog`] | `MaxTrackedRounds` rounds await pruning |
//! | 15 | [`Error::Overflow`] | arithmetic overflow (not reachable with sane constants) |
//!
//! Codes 16 to 19 are the registry's errors (signed calls, never in the authorization).
//!
//! ## Example
//!
//! ```ignore
//! // Once: the operator's account registers the node's gate key.
//! let message = pallet_pow_attest::registration_payload(&genesis_hash, &operator_account);
//! PowAttest::register_gate(RuntimeOrigin::signed(operator), gate_id, identity.sign(&message))?;
//!
//! // Every round: the gate produced a KEEP_POW; the node submits it as a general transaction,
//! // no signature, with the runtime's extensions at neutral values (AuthorizeCall first).
//! let attestation = pallet_pow_attest::Attestation::try_from(keep_pow)?; // bounds the challenges
//! let call = RuntimeCall::PowAttest(pallet_pow_attest::Call::attest { attestation });
//! let xt = UncheckedExtrinsic::new_transaction(call, gpow_runtime::authorized_tx_extension());
//! pool.submit_one(best_hash, TransactionSource::Local, xt.into()).await?;
//!
//! // Anyone: read the scores.
//! let work = PowAttest::work_score(&gate_id, round); // Some(AttestedWork { challenges, score })
//! ```

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use gpow_primitives_pow::keep_pow::{
	GateId, KeepChall, KeepPow, KeepPowParams, SignedKeepChall,
};
pub use pallet::*;
pub use types::{Attestation, AttestedWork, GateRecord, RoundInfo, RoundScore, WorkScore};
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod try_state;
mod types;
pub mod weights;

use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::{Consideration, Footprint, Time},
};
use frame_system::pallet_prelude::*;
use gpow_primitives_pow::keep_pow::{
	challenges_digest, keep_pow_pre_image, KeepPowError, SignatureVerifier,
};
use sp_runtime::traits::{SaturatedConversion, Zero};

/// Domain separator of the message a gate key signs to register: see [`registration_payload`].
pub const REGISTRATION_DOMAIN: &[u8] = b"gpow-pow-attest/register/v1";

/// Prefix of the tags attestations provide in the transaction pool.
pub const TAG_PREFIX: &str = "PowAttest";

/// The message a gate key signs to be registered by `account` on the chain with
/// `genesis_hash`: `REGISTRATION_DOMAIN ++ SCALE(genesis_hash) ++ SCALE(account)`.
///
/// Off-chain code builds the same bytes with the chain's genesis hash (an `H256`, SCALE-encoded as
/// its 32 bytes) and the account id (32 bytes for GPoW's `AccountId32`).
pub fn registration_payload<H: Encode, A: Encode>(genesis_hash: &H, account: &A) -> Vec<u8> {
	let mut message = Vec::with_capacity(REGISTRATION_DOMAIN.len() + 64);
	message.extend_from_slice(REGISTRATION_DOMAIN);
	genesis_hash.encode_to(&mut message);
	account.encode_to(&mut message);
	message
}

/// Checks ed25519 signatures with the `sp_io::crypto::ed25519_verify` host function (native speed
/// in the Wasm runtime).
#[derive(Clone, Copy, Debug, Default)]
pub struct HostEd25519;

impl SignatureVerifier for HostEd25519 {
	fn verify(&self, signer: &GateId, message: &[u8], signature: &[u8; 64]) -> bool {
		sp_io::crypto::ed25519_verify(
			&sp_core::ed25519::Signature::from_raw(*signature),
			message,
			&sp_core::ed25519::Public::from_raw(signer.0),
		)
	}
}

/// The attestation a runtime's call takes.
pub type AttestationOf<T> = Attestation<<T as Config>::MaxChallenges>;
/// The stored record of a registered gate.
pub type GateRecordOf<T> =
	GateRecord<<T as frame_system::Config>::AccountId, <T as Config>::GateConsideration>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the PoW attestation pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config + pallet_timestamp::Config {
		/// The deposit held for a registered gate.
		type GateConsideration: Consideration<Self::AccountId, Footprint>;

		/// Length of a round, milliseconds. Must equal the gates' keep-alive period
		/// (`KeepAliveConfig::period_ms`), so on-chain rounds are the gates' rounds.
		#[pallet::constant]
		type RoundPeriod: Get<u64>;

		/// How many rounds back an attestation is still accepted (and kept before pruning).
		#[pallet::constant]
		type RoundWindow: Get<u64>;

		/// How many rounds ahead of the chain's clock an attestation is accepted.
		#[pallet::constant]
		type MaxFutureRounds: Get<u64>;

		/// Expected hashes required per challenge: a proof over `n` challenges must meet
		/// `EffortPerChallenge * n`. At most the gates' `KeepAliveConfig::effort_per_challenge`,
		/// or their proofs are refused. Not zero.
		///
		/// Not a metadata constant: a runtime may govern it (read it through the runtime's API).
		type EffortPerChallenge: Get<u64>;

		/// Most challenges in one attestation (the bound of the call argument).
		#[pallet::constant]
		type MaxChallenges: Get<u32>;

		/// Most attestations accepted per round; also bounds `scores(round)`.
		#[pallet::constant]
		type MaxAttestationsPerRound: Get<u32>;

		/// Most rounds holding attestations at once, pruning backlog included. Must exceed the
		/// window, `RoundWindow + MaxFutureRounds + 1` rounds.
		#[pallet::constant]
		type MaxTrackedRounds: Get<u32>;

		/// Most attestation keys `on_initialize` removes per block.
		#[pallet::constant]
		type MaxPrunePerBlock: Get<u32>;

		/// The base priority of an attestation in the pool; its effort is added.
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;

		/// Weights of the calls and of pruning.
		type WeightInfo: WeightInfo;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a registered gate identity.
		GateRegistration,
	}

	/// Registered gate identities, with their owner, lifetime score and deposit.
	#[pallet::storage]
	pub type Gates<T: Config> = StorageMap<_, Blake2_128Concat, GateId, GateRecordOf<T>>;

	/// The work each gate (second key) attested in each round (first key). Rounds that left the
	/// window are pruned by `on_initialize`.
	#[pallet::storage]
	pub type Attestations<T: Config> =
		StorageDoubleMap<_, Twox64Concat, u64, Blake2_128Concat, GateId, AttestedWork>;

	/// The rounds that hold attestations, ascending, with how many each holds.
	#[pallet::storage]
	pub type ActiveRounds<T: Config> =
		StorageValue<_, BoundedVec<RoundInfo, T::MaxTrackedRounds>, ValueQuery>;

	/// Events of the PoW attestation pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A gate identity was registered.
		GateRegistered {
			/// The gate.
			gate: GateId,
			/// The account that registered it and holds its deposit.
			owner: T::AccountId,
		},
		/// A gate identity was unregistered; its deposit is released.
		GateUnregistered {
			/// The gate.
			gate: GateId,
			/// Its former owner.
			owner: T::AccountId,
		},
		/// A gate's keep-alive work for a round was attested.
		Attested {
			/// The prover.
			gate: GateId,
			/// The round.
			round: u64,
			/// How many challenges (distinct registered challengers) the work covers.
			challenges: u32,
			/// The work score: `challenges * EffortPerChallenge`.
			score: WorkScore,
		},
	}

	/// Errors of the PoW attestation pallet. The index of each variant is its refusal code (see
	/// the crate doc); do not reorder.
	#[pallet::error]
	pub enum Error<T> {
		/// The round is older than `current - RoundWindow`.
		StaleRound,
		/// The round is newer than `current + MaxFutureRounds`.
		FutureRound,
		/// The attestation carries no challenge.
		NoChallenges,
		/// The attestation carries more than `MaxChallenges` challenges.
		TooManyChallenges,
		/// A challenge is for another round than the attestation.
		WrongChallengeRound,
		/// A challenge is addressed to another gate than the prover.
		WrongAddressee,
		/// The challenges are not sorted strictly by issuer (or an issuer appears twice).
		ChallengesNotSorted,
		/// A challenge is issued by the prover itself.
		SelfChallenge,
		/// The prover is not a registered gate.
		UnregisteredProver,
		/// A challenge's issuer is not a registered gate.
		UnregisteredIssuer,
		/// A challenge's signature is not its issuer's.
		BadSignature,
		/// The work does not meet `EffortPerChallenge * n`.
		InsufficientEffort,
		/// The prover already attested this round.
		AlreadyAttested,
		/// The round already holds `MaxAttestationsPerRound` attestations.
		RoundFull,
		/// `MaxTrackedRounds` rounds hold attestations (pruning is behind); retry later.
		PruningBacklog,
		/// An arithmetic overflow.
		Overflow,
		/// The gate identity is already registered.
		GateAlreadyRegistered,
		/// The registration signature is not the gate key's over the registration message.
		BadRegistrationSignature,
		/// The gate identity is not registered.
		UnknownGate,
		/// The caller does not own the gate.
		NotGateOwner,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Prunes rounds that left the window, at most `MaxPrunePerBlock` keys.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			let used = Self::prune_expired(Self::current_round(), T::MaxPrunePerBlock::get());
			<T as Config>::WeightInfo::prune(used)
		}

		fn integrity_test() {
			assert!(T::RoundPeriod::get() > 0, "RoundPeriod must be positive");
			assert!(T::EffortPerChallenge::get() > 0, "EffortPerChallenge must be positive");
			assert!(T::MaxChallenges::get() > 0, "MaxChallenges must be positive");
			assert!(
				T::MaxAttestationsPerRound::get() > 0,
				"MaxAttestationsPerRound must be positive"
			);
			assert!(T::MaxPrunePerBlock::get() > 0, "MaxPrunePerBlock must be positive");
			let window = T::RoundWindow::get()
				.saturating_add(T::MaxFutureRounds::get())
				.saturating_add(1);
			assert!(
				u64::from(T::MaxTrackedRounds::get()) > window,
				"MaxTrackedRounds must exceed RoundWindow + MaxFutureRounds + 1"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the gate identity `gate` to the caller. `signature` is the gate key's ed25519
		/// signature over [`Pallet::registration_message`] of the caller. Holds the gate deposit.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::register_gate())]
		pub fn register_gate(
			origin: OriginFor<T>,
			gate: GateId,
			signature: [u8; 64],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Gates::<T>::contains_key(gate), Error::<T>::GateAlreadyRegistered);
			let message = Self::registration_message(&who);
			ensure!(
				HostEd25519.verify(&gate, &message, &signature),
				Error::<T>::BadRegistrationSignature
			);
			let ticket = T::GateConsideration::new(&who, Self::gate_footprint())?;
			Gates::<T>::insert(gate, GateRecord { owner: who.clone(), total_score: 0, ticket });
			Self::deposit_event(Event::GateRegistered { gate, owner: who });
			Ok(())
		}

		/// Unregisters the caller's gate `gate` and releases its deposit. Its stored attestations
		/// stay until their rounds are pruned.
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::unregister_gate())]
		pub fn unregister_gate(origin: OriginFor<T>, gate: GateId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Gates::<T>::get(gate).ok_or(Error::<T>::UnknownGate)?;
			ensure!(record.owner == who, Error::<T>::NotGateOwner);
			record.ticket.drop(&who)?;
			Gates::<T>::remove(gate);
			Self::deposit_event(Event::GateUnregistered { gate, owner: who });
			Ok(())
		}

		/// Attests a gate's keep-alive work for a round. No signer, no fee: the work pays for it.
		///
		/// Submitted as a general transaction (extrinsic v5, no signature) and let in by its own
		/// authorization ([`Pallet::authorize_attest`], run by `frame_system::AuthorizeCall` in
		/// the pool and again at block inclusion), which dispatches it with the
		/// `frame_system::Origin::Authorized` origin. Runs every check of the crate doc again
		/// (so no other way to that origin can record an unchecked attestation), then stores the
		/// [`AttestedWork`] for (round, prover), adds the score to the gate's total and emits
		/// [`Event::Attested`].
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::attest(attestation.challenges.len().saturated_into()))]
		#[pallet::authorize(Pallet::<T>::authorize_attest)]
		#[pallet::weight_of_authorize(<T as Config>::WeightInfo::authorize_attest(attestation.challenges.len().saturated_into()))]
		pub fn attest(origin: OriginFor<T>, attestation: AttestationOf<T>) -> DispatchResult {
			ensure_authorized(origin)?;
			Self::do_attest(&attestation, &Self::keep_pow_params())
		}
	}
}

impl<T: Config> Error<T> {
	/// The refusal code of this error: its variant index, as in `InvalidTransaction::Custom`
	/// and in the first byte of `DispatchError::Module { error, .. }`.
	pub fn code(&self) -> u8 {
		self.encode().first().copied().unwrap_or(u8::MAX)
	}

	/// The pool's form of this refusal: `InvalidTransaction::Custom(code)`.
	pub fn invalid(self) -> TransactionValidityError {
		InvalidTransaction::Custom(self.code()).into()
	}
}

impl<T> From<KeepPowError> for Error<T> {
	fn from(e: KeepPowError) -> Self {
		match e {
			KeepPowError::NoChallenges => Error::NoChallenges,
			KeepPowError::TooManyChallenges { .. } => Error::TooManyChallenges,
			KeepPowError::WrongRound { .. } => Error::WrongChallengeRound,
			KeepPowError::WrongAddressee { .. } => Error::WrongAddressee,
			KeepPowError::NotSorted { .. } => Error::ChallengesNotSorted,
			KeepPowError::BadSignature { .. } => Error::BadSignature,
			// A zero effort is excluded by `integrity_test`; no work can meet it anyway.
			KeepPowError::ZeroEffort | KeepPowError::InsufficientWork => Error::InsufficientEffort,
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The current round: `floor(pallet_timestamp::now() / RoundPeriod)`.
	pub fn current_round() -> u64 {
		let now: u64 = pallet_timestamp::Pallet::<T>::now().saturated_into();
		now.checked_div(T::RoundPeriod::get()).unwrap_or(0)
	}

	/// What the chain requires of a proof: `EffortPerChallenge` and `MaxChallenges`.
	pub fn keep_pow_params() -> KeepPowParams {
		KeepPowParams {
			effort_per_challenge: T::EffortPerChallenge::get(),
			max_challenges: T::MaxChallenges::get(),
		}
	}

	/// The message `who`'s gate key must sign to register: [`registration_payload`] with this
	/// chain's genesis hash.
	pub fn registration_message(who: &T::AccountId) -> Vec<u8> {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		registration_payload(&genesis, who)
	}

	/// Bounds a gate's proof for [`Call::attest`]; [`Error::TooManyChallenges`] if it carries
	/// more than `MaxChallenges` challenges.
	pub fn attestation_from(keep_pow: KeepPow) -> Result<AttestationOf<T>, Error<T>> {
		AttestationOf::<T>::try_from(keep_pow).map_err(Error::<T>::from)
	}

	/// The work `gate` attested in `round`, if any (and not pruned yet).
	pub fn work_score(gate: &GateId, round: u64) -> Option<AttestedWork> {
		Attestations::<T>::get(round, gate)
	}

	/// Every gate's attested work in `round` (at most `MaxAttestationsPerRound`, in storage
	/// order). Empty once the round is pruned; partial while it is being pruned.
	pub fn scores(round: u64) -> Vec<RoundScore> {
		Attestations::<T>::iter_prefix(round)
			.take(T::MaxAttestationsPerRound::get().saturated_into())
			.map(|(gate, work)| RoundScore { gate, work })
			.collect()
	}

	/// Whether `gate` is a registered gate identity.
	pub fn is_registered(gate: &GateId) -> bool {
		Gates::<T>::contains_key(gate)
	}

	/// The storage footprint a gate deposit pays for.
	pub fn gate_footprint() -> Footprint {
		Footprint::from_parts(1, GateRecord::<T::AccountId, ()>::max_encoded_len())
	}

	/// Whether `round` is in the window around `current`.
	fn check_round(round: u64, current: u64) -> Result<(), Error<T>> {
		ensure!(round.saturating_add(T::RoundWindow::get()) >= current, Error::<T>::StaleRound);
		ensure!(
			round <= current.saturating_add(T::MaxFutureRounds::get()),
			Error::<T>::FutureRound
		);
		Ok(())
	}

	/// Whether `round` can take one more attestation.
	fn check_capacity(round: u64) -> Result<(), Error<T>> {
		let rounds = ActiveRounds::<T>::get();
		match rounds.binary_search_by_key(&round, |r| r.round) {
			Ok(i) => {
				let count = rounds.get(i).map_or(0, |r| r.attestations);
				ensure!(count < T::MaxAttestationsPerRound::get(), Error::<T>::RoundFull);
			},
			Err(_) => {
				ensure!(
					rounds.len() < T::MaxTrackedRounds::get().saturated_into::<usize>(),
					Error::<T>::PruningBacklog
				);
			},
		}
		Ok(())
	}

	/// Every check of an attestation against `params`, in the order of the crate doc. Returns
	/// the work it attests. Changes nothing.
	pub fn check_attestation(
		attestation: &AttestationOf<T>,
		params: &KeepPowParams,
	) -> Result<AttestedWork, Error<T>> {
		let Attestation { round, prover, challenges, .. } = attestation;
		Self::check_round(*round, Self::current_round())?;
		ensure!(!challenges.is_empty(), Error::<T>::NoChallenges);
		ensure!(!Attestations::<T>::contains_key(round, prover), Error::<T>::AlreadyAttested);
		Self::check_capacity(*round)?;
		ensure!(Gates::<T>::contains_key(prover), Error::<T>::UnregisteredProver);
		ensure!(challenges.iter().all(|c| c.chall.issuer != *prover), Error::<T>::SelfChallenge);
		let verified = attestation.to_keep_pow().verify_with(params, &HostEd25519)?;
		for issuer in &verified.issuers {
			ensure!(Gates::<T>::contains_key(issuer), Error::<T>::UnregisteredIssuer);
		}
		let count =
			u32::try_from(verified.issuers.len()).map_err(|_| Error::<T>::TooManyChallenges)?;
		let score = WorkScore::from(params.effort_per_challenge)
			.checked_mul(WorkScore::from(count))
			.ok_or(Error::<T>::Overflow)?;
		Ok(AttestedWork { challenges: count, score })
	}

	/// The authorization of [`Call::attest`] (`#[pallet::authorize]`): every check of the crate
	/// doc against the chain's [`Pallet::keep_pow_params`], then the pool's terms of
	/// [`Pallet::attestation_validity`]. A refusal is `InvalidTransaction::Custom(code)` (the
	/// table in the crate doc). Nothing is refunded: the authorization weight already counts the
	/// attestation's challenges.
	pub fn authorize_attest(
		_source: TransactionSource,
		attestation: &AttestationOf<T>,
	) -> TransactionValidityWithRefund {
		Self::attestation_validity(attestation, &Self::keep_pow_params())
			.map(|validity| (validity, Weight::zero()))
	}

	/// Checks an attestation against `params` ([`Pallet::check_attestation`]) and, if it holds,
	/// its terms in the pool: priority [`Pallet::priority`], provides `(prover, round)` under
	/// [`TAG_PREFIX`], longevity [`Pallet::longevity`], propagated. Changes nothing.
	pub fn attestation_validity(
		attestation: &AttestationOf<T>,
		params: &KeepPowParams,
	) -> TransactionValidity {
		Self::check_attestation(attestation, params).map_err(Error::<T>::invalid)?;
		ValidTransaction::with_tag_prefix(TAG_PREFIX)
			.priority(Self::priority(attestation))
			.and_provides((attestation.prover, attestation.round))
			.longevity(Self::longevity(attestation.round))
			.propagate(true)
			.build()
	}

	/// Checks an attestation against `params` and records it: what [`Call::attest`] does.
	pub(crate) fn do_attest(
		attestation: &AttestationOf<T>,
		params: &KeepPowParams,
	) -> DispatchResult {
		let work = Self::check_attestation(attestation, params)?;
		let (round, gate) = (attestation.round, attestation.prover);
		ActiveRounds::<T>::try_mutate(|rounds| -> Result<(), Error<T>> {
			match rounds.binary_search_by_key(&round, |r| r.round) {
				Ok(i) => {
					if let Some(info) = rounds.get_mut(i) {
						info.attestations =
							info.attestations.checked_add(1).ok_or(Error::<T>::Overflow)?;
					}
				},
				Err(i) => rounds
					.try_insert(i, RoundInfo { round, attestations: 1 })
					.map_err(|_| Error::<T>::PruningBacklog)?,
			}
			Ok(())
		})?;
		Attestations::<T>::insert(round, gate, work);
		Gates::<T>::mutate(gate, |record| {
			if let Some(record) = record {
				record.total_score = record.total_score.saturating_add(work.score);
			}
		});
		Self::deposit_event(Event::Attested {
			gate,
			round,
			challenges: work.challenges,
			score: work.score,
		});
		Ok(())
	}

	/// The pool priority of a (valid) attestation: `UnsignedPriority + min(effort, u64::MAX)`,
	/// `effort` being the effort of its work hash.
	pub fn priority(attestation: &AttestationOf<T>) -> TransactionPriority {
		let digest = challenges_digest(&attestation.challenges);
		let pre_image = keep_pow_pre_image(attestation.round, &attestation.prover, &digest);
		let effort = gpow_primitives_pow::nonce_effort(&pre_image, attestation.nonce);
		T::UnsignedPriority::get().saturating_add(u64::try_from(effort).unwrap_or(u64::MAX))
	}

	/// The pool longevity of an attestation of `round`: the most blocks that can come before the
	/// round leaves the window, i.e. before `(round + RoundWindow + 1) * RoundPeriod`, at one
	/// block per `MinimumPeriod` at most. At least 1.
	pub fn longevity(round: u64) -> TransactionLongevity {
		let now: u64 = pallet_timestamp::Pallet::<T>::now().saturated_into();
		let end = round
			.saturating_add(T::RoundWindow::get())
			.saturating_add(1)
			.saturating_mul(T::RoundPeriod::get());
		let min_block_time: u64 = T::MinimumPeriod::get().saturated_into::<u64>().max(1);
		end.saturating_sub(now).div_ceil(min_block_time).max(1)
	}

	/// Removes the attestations of rounds before `current - RoundWindow`, oldest first, touching
	/// at most `limit` keys, and drops the emptied rounds from [`ActiveRounds`]. Returns the keys
	/// touched (the weight's component).
	pub fn prune_expired(current: u64, limit: u32) -> u32 {
		let Some(first_live) = current.checked_sub(T::RoundWindow::get()) else {
			return 0;
		};
		let mut rounds = ActiveRounds::<T>::get();
		let mut budget = limit;
		let mut last_emptied = None;
		for info in rounds.iter() {
			if info.round >= first_live || budget == 0 {
				break;
			}
			// No cursor: frame-support's `clear_prefix` ignores it (it uses the `kill_prefix` host
			// function), and none is needed, since each round is cleared at most once per block
			// and what an earlier block removed is gone from the state the next call iterates.
			// The limit counts keys removed from the committed state, where expired rounds live.
			let result = Attestations::<T>::clear_prefix(info.round, budget, None);
			budget = budget.saturating_sub(result.loops.max(result.unique).max(1));
			if result.maybe_cursor.is_some() {
				break;
			}
			last_emptied = Some(info.round);
		}
		if let Some(last) = last_emptied {
			rounds.retain(|r| r.round > last);
			ActiveRounds::<T>::put(rounds);
		}
		limit.saturating_sub(budget)
	}
}
