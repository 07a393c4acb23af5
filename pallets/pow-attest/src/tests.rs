//! Tests of the PoW attestation pallet: the registry, every refusal (through the transaction
//! extension pipeline, `frame_system::AuthorizeCall` running `#[pallet::authorize]`, at pool
//! validation and at block inclusion, and through the dispatchable), pool priority and tags,
//! scores, and pruning.
//!
//! Gate keys are real ed25519 keys and every proof of work is really solved, at the mock's low
//! effort.

use crate::{
	mock::*, registration_payload, weights::WeightInfo, ActiveRounds, Attestation, AttestationOf,
	Attestations, AttestedWork, Call, Error, Event, GateId, GateRecord, Gates, HoldReason,
	KeepChall, KeepPow, KeepPowParams, RoundInfo, RoundScore, SignedKeepChall, TAG_PREFIX,
};
use codec::{Decode, Encode};
use frame_support::{
	assert_noop, assert_ok, assert_storage_noop,
	dispatch::{DispatchInfo, GetDispatchInfo, PostDispatchInfo},
	pallet_prelude::{Authorize, ValidTransaction},
	traits::{fungible::InspectHold, Hooks},
	BoundedVec,
};
use gpow_primitives_pow::keep_pow::KeepPowError;
use sp_core::{ed25519, Pair, H256};
use sp_runtime::{
	testing::UintAuthorityId,
	traits::{Applyable, Checkable},
	transaction_validity::{
		InvalidTransaction, TransactionSource, TransactionValidity, TransactionValidityError,
		UnknownTransaction,
	},
	ApplyExtrinsicResultWithInfo, DispatchError, DispatchResult, ModuleError,
};

/// The round most tests attest.
const R: u64 = 100;
/// Unregistered gate (and account) number.
const STRANGER: u8 = 10;

fn pair(i: u8) -> ed25519::Pair {
	ed25519::Pair::from_seed(&[i; 32])
}

fn id(i: u8) -> GateId {
	GateId(pair(i).public().into())
}

fn registration_signature(gate: u8, who: AccountId) -> [u8; 64] {
	pair(gate).sign(&PowAttest::registration_message(&who)).into()
}

/// Account `i` registers gate `i`.
fn register(i: u8) {
	let who = AccountId::from(i);
	assert_ok!(PowAttest::register_gate(
		RuntimeOrigin::signed(who),
		id(i),
		registration_signature(i, who)
	));
}

/// Puts the chain's clock `offset` ms into `round`.
fn set_time(round: u64, offset: u64) {
	pallet_timestamp::Now::<Test>::put(round * PERIOD + offset);
}

/// A fresh chain in round `R` with gates 1 to 6 registered; the pallet's invariants are checked
/// after the test.
fn with_gates(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		set_time(R, 1);
		(1..=6).for_each(register);
		test();
		PowAttest::do_try_state().expect("the pallet's invariants hold");
	})
}

/// Gate `issuer`'s signed challenge for `addressee` in `round`.
fn chall(round: u64, issuer: u8, addressee: GateId) -> SignedKeepChall {
	let chall = KeepChall { round, issuer: id(issuer), addressee, salt: [issuer; 16] };
	SignedKeepChall { signature: pair(issuer).sign(&chall.signing_message()).into(), chall }
}

/// Solves `keep_pow` at the mock's effort.
fn solve(mut keep_pow: KeepPow) -> AttestationOf<Test> {
	assert!(keep_pow.solve(EFFORT, 0, 1 << 24), "a nonce within 2^24 tries");
	keep_pow.try_into().expect("at most MAX_CHALLENGES")
}

/// `prover`'s solved attestation for `round` over challenges from `issuers`.
fn attestation(round: u64, prover: u8, issuers: &[u8]) -> AttestationOf<Test> {
	let challenges = issuers.iter().map(|&i| chall(round, i, id(prover))).collect();
	solve(KeepPow::new(round, id(prover), challenges))
}

fn attest_call(attestation: &AttestationOf<Test>) -> RuntimeCall {
	RuntimeCall::PowAttest(Call::attest { attestation: attestation.clone() })
}

/// The attestation as a general transaction (extrinsic v5, no signature): how it is submitted.
fn general(attestation: &AttestationOf<Test>) -> Xt {
	Xt::new_transaction(attest_call(attestation), (frame_system::AuthorizeCall::new(),))
}

/// Validates `xt` as the transaction pool does (`source` external).
fn validate_xt(xt: Xt) -> TransactionValidity {
	let (info, len) = (xt.get_dispatch_info(), xt.encoded_size());
	Checkable::check(xt, &frame_system::ChainContext::<Test>::default())
		.map_err(|_| TransactionValidityError::from(InvalidTransaction::BadProof))?
		.validate::<Test>(TransactionSource::External, &info, len)
}

/// Applies `xt` as block inclusion does: the extensions validate again, then it dispatches.
fn apply_xt(xt: Xt) -> ApplyExtrinsicResultWithInfo<PostDispatchInfo> {
	let (info, len) = (xt.get_dispatch_info(), xt.encoded_size());
	Checkable::check(xt, &frame_system::ChainContext::<Test>::default())
		.map_err(|_| TransactionValidityError::from(InvalidTransaction::BadProof))?
		.apply::<Test>(&info, len)
}

/// The pool's verdict on the attestation, through `AuthorizeCall`.
fn validate(attestation: &AttestationOf<Test>) -> TransactionValidity {
	validate_xt(general(attestation))
}

/// Includes the attestation in a block, through `AuthorizeCall`.
fn apply(attestation: &AttestationOf<Test>) -> ApplyExtrinsicResultWithInfo<PostDispatchInfo> {
	apply_xt(general(attestation))
}

/// Dispatches the call with the origin an authorization gives.
fn submit(attestation: &AttestationOf<Test>) -> DispatchResult {
	PowAttest::attest(frame_system::RawOrigin::Authorized.into(), attestation.clone())
}

/// The attestation is refused with `error` by the pool and at block inclusion (as
/// `InvalidTransaction::Custom(code)`) and by the call, and none of them changes anything.
fn assert_refused(attestation: &AttestationOf<Test>, error: Error<Test>) {
	let invalid: TransactionValidityError = InvalidTransaction::Custom(error.code()).into();
	assert_eq!(validate(attestation), Err(invalid), "pool validation");
	assert_storage_noop!(assert_eq!(apply(attestation), Err(invalid), "block inclusion"));
	assert_noop!(submit(attestation), error);
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::PowAttest(e) => Some(e),
			_ => None,
		})
		.expect("a PowAttest event")
}

fn held(who: AccountId) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::PowAttest(HoldReason::GateRegistration), &who)
}

/// The deposit of one gate: base plus the bytes of `GateRecord<u64, ()>` (8 + 16).
const GATE_DEPOSIT: u64 = BASE + PER_BYTE * 24;

// ---------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------

#[test]
fn integrity_test_passes() {
	new_test_ext().execute_with(<PowAttest as Hooks<u64>>::integrity_test);
}

#[test]
fn registering_a_gate_holds_a_deposit_and_emits_an_event() {
	new_test_ext().execute_with(|| {
		register(1);
		assert_eq!(last_event(), Event::GateRegistered { gate: id(1), owner: 1 });
		let record = Gates::<Test>::get(id(1)).expect("registered");
		assert_eq!((record.owner, record.total_score), (1, 0));
		assert!(PowAttest::is_registered(&id(1)));
		assert!(!PowAttest::is_registered(&id(2)));
		assert_eq!(held(1), GATE_DEPOSIT);
		assert_eq!(
			PowAttest::gate_footprint().size,
			GateRecord::<u64, ()> { owner: 0, total_score: 0, ticket: () }.encoded_size() as u64
		);

		// One account may own several gates, each with its deposit.
		assert_ok!(PowAttest::register_gate(
			RuntimeOrigin::signed(1),
			id(7),
			registration_signature(7, 1)
		));
		assert_eq!(held(1), 2 * GATE_DEPOSIT);
	});
}

#[test]
fn the_registration_message_binds_domain_genesis_and_account() {
	new_test_ext().execute_with(|| {
		let genesis = System::block_hash(0);
		let expected =
			[&b"gpow-pow-attest/register/v1"[..], genesis.as_ref(), &1u64.encode()[..]].concat();
		assert_eq!(PowAttest::registration_message(&1), expected);
		assert_eq!(registration_payload(&genesis, &1u64), expected);
	});
}

#[test]
fn bad_registration_signatures_are_refused() {
	new_test_ext().execute_with(|| {
		// Signed by another key.
		assert_noop!(
			PowAttest::register_gate(RuntimeOrigin::signed(1), id(1), registration_signature(2, 1)),
			Error::<Test>::BadRegistrationSignature
		);
		// Gate 1's signature for account 2, submitted by account 1.
		assert_noop!(
			PowAttest::register_gate(RuntimeOrigin::signed(1), id(1), registration_signature(1, 2)),
			Error::<Test>::BadRegistrationSignature
		);
		// Signed for another chain (genesis hash).
		let other_chain: [u8; 64] =
			pair(1).sign(&registration_payload(&H256::repeat_byte(1), &1u64)).into();
		assert_noop!(
			PowAttest::register_gate(RuntimeOrigin::signed(1), id(1), other_chain),
			Error::<Test>::BadRegistrationSignature
		);
		// A corrupted signature.
		let mut corrupted = registration_signature(1, 1);
		corrupted[0] ^= 1;
		assert_noop!(
			PowAttest::register_gate(RuntimeOrigin::signed(1), id(1), corrupted),
			Error::<Test>::BadRegistrationSignature
		);
		// Not a signed origin.
		assert_noop!(
			PowAttest::register_gate(RuntimeOrigin::none(), id(1), registration_signature(1, 1)),
			DispatchError::BadOrigin
		);
		assert!(!PowAttest::is_registered(&id(1)));
	});
}

#[test]
fn a_gate_registers_once_and_only_with_a_deposit() {
	new_test_ext().execute_with(|| {
		register(1);
		assert_noop!(
			PowAttest::register_gate(RuntimeOrigin::signed(1), id(1), registration_signature(1, 1)),
			Error::<Test>::GateAlreadyRegistered
		);
		assert_noop!(
			PowAttest::register_gate(RuntimeOrigin::signed(2), id(1), registration_signature(1, 2)),
			Error::<Test>::GateAlreadyRegistered
		);
		// Account 99 cannot afford the deposit.
		let result = PowAttest::register_gate(
			RuntimeOrigin::signed(99),
			id(9),
			registration_signature(9, 99),
		);
		assert!(result.is_err());
		assert!(!PowAttest::is_registered(&id(9)));
		assert_eq!(held(99), 0);
	});
}

#[test]
fn unregistering_releases_the_deposit() {
	new_test_ext().execute_with(|| {
		register(1);
		assert_noop!(
			PowAttest::unregister_gate(RuntimeOrigin::signed(2), id(1)),
			Error::<Test>::NotGateOwner
		);
		assert_noop!(
			PowAttest::unregister_gate(RuntimeOrigin::signed(1), id(2)),
			Error::<Test>::UnknownGate
		);
		assert_noop!(
			PowAttest::unregister_gate(RuntimeOrigin::none(), id(1)),
			DispatchError::BadOrigin
		);
		assert_ok!(PowAttest::unregister_gate(RuntimeOrigin::signed(1), id(1)));
		assert_eq!(last_event(), Event::GateUnregistered { gate: id(1), owner: 1 });
		assert!(!PowAttest::is_registered(&id(1)));
		assert_eq!(held(1), 0);
		// It can be registered again, even by another account.
		assert_ok!(PowAttest::register_gate(
			RuntimeOrigin::signed(2),
			id(1),
			registration_signature(1, 2)
		));
		assert_eq!(held(2), GATE_DEPOSIT);
	});
}

// ---------------------------------------------------------------------------------------------
// Attestations
// ---------------------------------------------------------------------------------------------

#[test]
fn an_attestation_is_stored_scored_and_announced() {
	with_gates(|| {
		set_time(R, 7_000);
		let a = attestation(R, 1, &[2, 3, 4]);
		// The pool's terms are the authorization's, unchanged by the pipeline.
		let expected = ValidTransaction {
			priority: PowAttest::priority(&a),
			requires: vec![],
			provides: vec![(TAG_PREFIX, (id(1), R)).encode()],
			longevity: PowAttest::longevity(R),
			propagate: true,
		};
		assert_eq!(validate(&a), Ok(expected.clone()));
		assert_eq!(
			attest_call(&a).authorize(TransactionSource::External),
			Some(Ok((expected, frame_support::weights::Weight::zero())))
		);
		// Included through the pipeline: dispatched with the `Authorized` origin, the
		// authorization's weight charged as the extension's.
		let xt = general(&a);
		let info: DispatchInfo = xt.get_dispatch_info();
		assert_eq!(info.extension_weight, <() as WeightInfo>::authorize_attest(3));
		assert_eq!(info.call_weight, <() as WeightInfo>::attest(3));
		assert_ok!(apply_xt(xt).expect("valid").map(|_| ()).map_err(|e| e.error));
		let work = AttestedWork { challenges: 3, score: 3 * u128::from(EFFORT) };
		assert_eq!(
			last_event(),
			Event::Attested { gate: id(1), round: R, challenges: 3, score: work.score }
		);
		assert_eq!(PowAttest::work_score(&id(1), R), Some(work));
		assert_eq!(PowAttest::work_score(&id(1), R + 1), None);
		assert_eq!(PowAttest::work_score(&id(2), R), None);
		assert_eq!(PowAttest::scores(R), vec![RoundScore { gate: id(1), work }]);
		assert_eq!(Gates::<Test>::get(id(1)).map(|g| g.total_score), Some(work.score));
		assert_eq!(
			ActiveRounds::<Test>::get().into_inner(),
			vec![RoundInfo { round: R, attestations: 1 }]
		);
	});
}

#[test]
fn only_authorized_attestations_are_accepted() {
	with_gates(|| {
		let a = attestation(R, 1, &[2]);
		for origin in [RuntimeOrigin::signed(1), RuntimeOrigin::root(), RuntimeOrigin::none()] {
			assert_noop!(PowAttest::attest(origin, a.clone()), DispatchError::BadOrigin);
		}
		// A bare (v4-style unsigned) extrinsic skips the extensions' authorization and the pallet
		// has no `ValidateUnsigned`: the pool refuses it, and in a block it dispatches with no
		// origin and fails with BadOrigin, recording nothing.
		let no_validator = TransactionValidityError::from(UnknownTransaction::NoUnsignedValidator);
		assert_eq!(validate_xt(Xt::new_bare(attest_call(&a))), Err(no_validator));
		let outcome = apply_xt(Xt::new_bare(attest_call(&a))).expect("left to the origin check");
		assert_eq!(outcome.map_err(|e| e.error), Err(DispatchError::BadOrigin));
		// A signed transaction is not authorized (its origin is the signer): it dispatches and
		// fails with BadOrigin, recording nothing.
		let signed = Xt::new_signed(
			attest_call(&a),
			1,
			UintAuthorityId(1),
			(frame_system::AuthorizeCall::new(),),
		);
		assert!(validate_xt(signed.clone()).is_ok());
		let outcome = apply_xt(signed).expect("the extensions let it through");
		assert_eq!(outcome.map_err(|e| e.error), Err(DispatchError::BadOrigin));
		assert_eq!(PowAttest::work_score(&id(1), R), None);
		// Other calls authorize nothing: as a general transaction, no extension gives them an
		// origin, and the pipeline refuses them.
		let call = Call::<Test>::unregister_gate { gate: id(1) };
		assert!(call.authorize(TransactionSource::External).is_none());
		let unauthorized = Xt::new_transaction(call.into(), (frame_system::AuthorizeCall::new(),));
		let unknown_origin = TransactionValidityError::from(InvalidTransaction::UnknownOrigin);
		assert_eq!(validate_xt(unauthorized.clone()), Err(unknown_origin));
		assert_storage_noop!(assert_eq!(apply_xt(unauthorized).map(|_| ()), Err(unknown_origin)));
		// The authorized attestation goes in.
		assert_ok!(apply(&a).expect("valid").map(|_| ()).map_err(|e| e.error));
		assert!(PowAttest::work_score(&id(1), R).is_some());
	});
}

#[test]
fn the_pool_keeps_one_attestation_per_prover_and_round_until_the_round_leaves_the_window() {
	with_gates(|| {
		set_time(R, 7_000);
		let a = attestation(R, 1, &[2, 3]);
		let valid = validate(&a).expect("valid");
		assert_eq!(valid.provides, vec![(TAG_PREFIX, (id(1), R)).encode()]);
		assert!(valid.requires.is_empty());
		assert!(valid.propagate);
		// Accepted until the current round passes R + WINDOW, i.e. until (R + WINDOW + 1) * PERIOD;
		// at most one block per MIN_PERIOD ms.
		let remaining = (R + WINDOW + 1) * PERIOD - (R * PERIOD + 7_000);
		assert_eq!(valid.longevity, remaining.div_ceil(MIN_PERIOD));

		// Another proof of the same prover and round has the same tag (the pool keeps the
		// higher priority); another prover's has its own.
		let again = attestation(R, 1, &[4]);
		assert_eq!(validate(&again).expect("valid").provides, valid.provides);
		let other = attestation(R, 2, &[3]);
		assert_eq!(
			validate(&other).expect("valid").provides,
			vec![(TAG_PREFIX, (id(2), R)).encode()]
		);

		// A future round lives longer; the oldest accepted round at least one block.
		let future = attestation(R + FUTURE, 1, &[2]);
		assert!(validate(&future).expect("valid").longevity > valid.longevity);
		set_time(R + WINDOW, PERIOD - 1);
		assert_eq!(validate(&a).expect("valid").longevity, 1);
	});
}

#[test]
fn priority_grows_with_effort() {
	with_gates(|| {
		let a = attestation(R, 1, &[2, 3]);
		let keep_pow = a.to_keep_pow();
		let pre_image = keep_pow.pre_image();
		let required = keep_pow.required(EFFORT);
		// Every valid nonce among the first 50,000, with the effort its work proves.
		let mut solutions: Vec<(u64, u64)> = (0..50_000u64)
			.filter(|&n| gpow_primitives_pow::nonce_meets(&pre_image, n, required))
			.map(|n| {
				let effort = gpow_primitives_pow::nonce_effort(&pre_image, n);
				(u64::try_from(effort).unwrap_or(u64::MAX), n)
			})
			.collect();
		solutions.sort();
		assert!(solutions.len() > 100);
		// A spread of them, lowest to highest effort.
		let step = solutions.len() / 12;
		let spread = solutions.iter().step_by(step).chain(solutions.last()).copied();
		let mut last = 0;
		for (effort, nonce) in spread {
			let solved = Attestation { nonce, ..a.clone() };
			let priority = validate(&solved).expect("valid").priority;
			assert_eq!(priority, PRIORITY + effort);
			assert!(effort >= required.low_u64());
			assert!(priority >= last, "more effort, no less priority");
			last = priority;
		}
		assert!(last > PRIORITY + 2 * EFFORT);
		assert_eq!(PowAttest::priority(&a), validate(&a).unwrap().priority);
	});
}

#[test]
fn more_challenges_demand_more_effort_and_earn_a_higher_priority_floor() {
	with_gates(|| {
		for n in 1..=MAX_CHALLENGES as u8 {
			let issuers: Vec<u8> = (2..2 + n).collect();
			let a = attestation(R, 1, &issuers);
			let priority = validate(&a).expect("valid").priority;
			assert!(priority >= PRIORITY + u64::from(n) * EFFORT);
		}
	});
}

#[test]
fn stale_and_future_rounds_are_refused() {
	with_gates(|| {
		let stale = attestation(R - WINDOW - 1, 1, &[2]);
		assert_refused(&stale, Error::<Test>::StaleRound);
		let oldest = attestation(R - WINDOW, 1, &[2]);
		assert!(validate(&oldest).is_ok());
		let newest = attestation(R + FUTURE, 1, &[2]);
		assert!(validate(&newest).is_ok());
		let future = attestation(R + FUTURE + 1, 1, &[2]);
		assert_refused(&future, Error::<Test>::FutureRound);
		let far_future = attestation(u64::MAX, 1, &[2]);
		assert_refused(&far_future, Error::<Test>::FutureRound);

		// The window moves with the chain's clock.
		set_time(R + 1, 0);
		assert_refused(&oldest, Error::<Test>::StaleRound);
		assert!(validate(&future).is_ok());
		assert_ok!(submit(&future));
	});
}

#[test]
fn the_prover_must_be_registered() {
	with_gates(|| {
		let a = attestation(R, STRANGER, &[2, 3]);
		assert_refused(&a, Error::<Test>::UnregisteredProver);
		// Unregistering a gate stops its attestations.
		let b = attestation(R, 1, &[2]);
		assert_ok!(PowAttest::unregister_gate(RuntimeOrigin::signed(1), id(1)));
		assert_refused(&b, Error::<Test>::UnregisteredProver);
	});
}

#[test]
fn every_issuer_must_be_registered() {
	with_gates(|| {
		let a = attestation(R, 1, &[2, STRANGER, 3]);
		assert_refused(&a, Error::<Test>::UnregisteredIssuer);
		let b = attestation(R, 1, &[2, 3]);
		assert_ok!(PowAttest::unregister_gate(RuntimeOrigin::signed(3), id(3)));
		assert_refused(&b, Error::<Test>::UnregisteredIssuer);
	});
}

#[test]
fn a_challenge_signed_by_another_key_is_refused() {
	with_gates(|| {
		let mut forged = chall(R, 3, id(1));
		forged.signature = pair(4).sign(&forged.chall.signing_message()).into();
		let a = solve(KeepPow::new(R, id(1), vec![chall(R, 2, id(1)), forged]));
		assert_refused(&a, Error::<Test>::BadSignature);

		// A signature over another challenge (other salt) does not carry over either.
		let mut swapped = chall(R, 3, id(1));
		swapped.chall.salt = [0xee; 16];
		let a = solve(KeepPow::new(R, id(1), vec![swapped]));
		assert_refused(&a, Error::<Test>::BadSignature);
	});
}

#[test]
fn a_challenge_addressed_to_another_gate_is_refused() {
	with_gates(|| {
		let a = solve(KeepPow::new(R, id(1), vec![chall(R, 2, id(1)), chall(R, 3, id(5))]));
		assert_refused(&a, Error::<Test>::WrongAddressee);
	});
}

#[test]
fn a_challenge_of_another_round_is_refused() {
	with_gates(|| {
		let a = solve(KeepPow::new(R, id(1), vec![chall(R, 2, id(1)), chall(R - 1, 3, id(1))]));
		assert_refused(&a, Error::<Test>::WrongChallengeRound);
	});
}

#[test]
fn challenges_must_be_strictly_sorted_by_issuer() {
	with_gates(|| {
		let mut sorted = [chall(R, 2, id(1)), chall(R, 3, id(1))];
		sorted.sort_by_key(|c| c.chall.issuer);
		let reversed: Vec<_> = sorted.iter().rev().copied().collect();
		let a = solve(KeepPow { round: R, prover: id(1), challenges: reversed, nonce: 0 });
		assert_refused(&a, Error::<Test>::ChallengesNotSorted);
		// Two challenges from one issuer.
		let mut twice = chall(R, 2, id(1));
		twice.chall.salt = [9; 16];
		twice.signature = pair(2).sign(&twice.chall.signing_message()).into();
		let a = solve(KeepPow::new(R, id(1), vec![chall(R, 2, id(1)), twice]));
		assert_refused(&a, Error::<Test>::ChallengesNotSorted);
	});
}

#[test]
fn a_prover_cannot_challenge_itself() {
	with_gates(|| {
		let a = attestation(R, 1, &[1, 2]);
		assert_refused(&a, Error::<Test>::SelfChallenge);
	});
}

#[test]
fn insufficient_effort_is_refused() {
	with_gates(|| {
		let a = attestation(R, 1, &[2, 3, 4]);
		let keep_pow = a.to_keep_pow();
		let (pre_image, required) = (keep_pow.pre_image(), keep_pow.required(EFFORT));
		let weak = (0..)
			.find(|&n| !gpow_primitives_pow::nonce_meets(&pre_image, n, required))
			.expect("some nonce fails");
		assert_refused(
			&Attestation { nonce: weak, ..a.clone() },
			Error::<Test>::InsufficientEffort,
		);
		// Enough work for fewer challenges is not enough: find a nonce that meets the effort of
		// one challenge but not of three.
		let one = gpow_primitives_pow::U256::from(EFFORT);
		let partial = (0..)
			.find(|&n| {
				gpow_primitives_pow::nonce_meets(&pre_image, n, one)
					&& !gpow_primitives_pow::nonce_meets(&pre_image, n, required)
			})
			.expect("such a nonce exists");
		assert_refused(&Attestation { nonce: partial, ..a }, Error::<Test>::InsufficientEffort);
	});
}

#[test]
fn too_many_challenges_are_refused() {
	with_gates(|| {
		let issuers = [2u8, 3, 4, 5, 6];
		let challenges: Vec<_> = issuers.iter().map(|&i| chall(R, i, id(1))).collect();
		let mut keep_pow = KeepPow::new(R, id(1), challenges);
		assert!(keep_pow.solve(EFFORT, 0, 1 << 24));

		// The gate's proof does not fit the call...
		assert_eq!(
			AttestationOf::<Test>::try_from(keep_pow.clone()),
			Err(KeepPowError::TooManyChallenges { count: 5 })
		);
		assert_eq!(
			PowAttest::attestation_from(keep_pow.clone()).map_err(DispatchError::from),
			Err(Error::<Test>::TooManyChallenges.into())
		);
		// ...and its bytes do not decode as a call, so neither the pool nor a block takes it.
		let fits = PowAttest::attestation_from(KeepPow {
			challenges: keep_pow.challenges[..4].to_vec(),
			..keep_pow.clone()
		})
		.expect("four fit");
		let call_bytes = |body: Vec<u8>| [vec![3u8, 2u8], body].concat(); // pallet 3, call 2
		let fitting = RuntimeCall::decode(&mut &call_bytes(fits.encode())[..]).expect("decodes");
		assert_eq!(fitting, RuntimeCall::PowAttest(Call::attest { attestation: fits }));
		assert!(RuntimeCall::decode(&mut &call_bytes(keep_pow.encode())[..]).is_err());

		// The check itself refuses more than the parameters allow.
		let a = attestation(R, 1, &[2, 3, 4]);
		let strict = KeepPowParams { effort_per_challenge: EFFORT, max_challenges: 2 };
		assert_eq!(
			PowAttest::check_attestation(&a, &strict).map_err(DispatchError::from),
			Err(Error::<Test>::TooManyChallenges.into())
		);
	});
}

#[test]
fn an_attestation_without_challenges_is_refused() {
	with_gates(|| {
		let empty =
			Attestation { round: R, prover: id(1), challenges: BoundedVec::new(), nonce: 0 };
		assert_refused(&empty, Error::<Test>::NoChallenges);
	});
}

#[test]
fn one_attestation_per_prover_and_round() {
	with_gates(|| {
		let a = attestation(R, 1, &[2, 3]);
		assert_ok!(submit(&a));
		assert_refused(&a, Error::<Test>::AlreadyAttested);
		// Another proof (other challenges) of the same prover and round, too.
		assert_refused(&attestation(R, 1, &[4]), Error::<Test>::AlreadyAttested);
		// The next round is fine, and so is another prover in this round.
		assert_ok!(submit(&attestation(R + 1, 1, &[2])));
		assert_ok!(submit(&attestation(R, 2, &[1])));
	});
}

#[test]
fn a_round_takes_at_most_max_attestations() {
	new_test_ext().execute_with(|| {
		set_time(R, 1);
		(1..=8).for_each(register);
		for prover in 1..=MAX_PER_ROUND as u8 {
			assert_ok!(submit(&attestation(R, prover, &[8])));
		}
		assert_refused(&attestation(R, 7, &[8]), Error::<Test>::RoundFull);
		assert_eq!(PowAttest::scores(R).len(), MAX_PER_ROUND as usize);
		assert_ok!(submit(&attestation(R + 1, 7, &[8])));
	});
}

#[test]
fn new_rounds_wait_while_pruning_is_behind() {
	with_gates(|| {
		// The window spans R - 2 ..= R + 1: four rounds.
		for round in R - WINDOW..=R + FUTURE {
			assert_ok!(submit(&attestation(round, 1, &[2])));
		}
		// The clock jumps three rounds and no block pruned yet: two more rounds fill the index.
		set_time(R + 3, 0);
		assert_ok!(submit(&attestation(R + 3, 1, &[2])));
		assert_ok!(submit(&attestation(R + 4, 1, &[2])));
		assert_eq!(ActiveRounds::<Test>::get().len(), MAX_TRACKED as usize);
		let a = attestation(R + 2, 1, &[2]);
		assert_refused(&a, Error::<Test>::PruningBacklog);
		// Rounds already tracked still take attestations.
		assert_ok!(submit(&attestation(R + 3, 2, &[1])));
		// Pruning frees the index.
		PowAttest::on_initialize(2);
		assert_ok!(submit(&a));
	});
}

#[test]
fn refusal_codes_are_the_documented_error_indices() {
	let table: [(Error<Test>, u8); 20] = [
		(Error::StaleRound, 0),
		(Error::FutureRound, 1),
		(Error::NoChallenges, 2),
		(Error::TooManyChallenges, 3),
		(Error::WrongChallengeRound, 4),
		(Error::WrongAddressee, 5),
		(Error::ChallengesNotSorted, 6),
		(Error::SelfChallenge, 7),
		(Error::UnregisteredProver, 8),
		(Error::UnregisteredIssuer, 9),
		(Error::BadSignature, 10),
		(Error::InsufficientEffort, 11),
		(Error::AlreadyAttested, 12),
		(Error::RoundFull, 13),
		(Error::PruningBacklog, 14),
		(Error::Overflow, 15),
		(Error::GateAlreadyRegistered, 16),
		(Error::BadRegistrationSignature, 17),
		(Error::UnknownGate, 18),
		(Error::NotGateOwner, 19),
	];
	for (error, code) in table {
		assert_eq!(error.code(), code, "{error:?}");
		let DispatchError::Module(ModuleError { index, error: bytes, .. }) = error.into() else {
			panic!("a module error");
		};
		assert_eq!((index, bytes[0]), (3, code));
	}
}

#[test]
fn keep_pow_errors_map_to_named_errors() {
	let cases = [
		(KeepPowError::NoChallenges, Error::<Test>::NoChallenges),
		(KeepPowError::TooManyChallenges { count: 9 }, Error::TooManyChallenges),
		(KeepPowError::WrongRound { index: 1 }, Error::WrongChallengeRound),
		(KeepPowError::WrongAddressee { index: 1 }, Error::WrongAddressee),
		(KeepPowError::NotSorted { index: 1 }, Error::ChallengesNotSorted),
		(KeepPowError::BadSignature { index: 1 }, Error::BadSignature),
		(KeepPowError::ZeroEffort, Error::InsufficientEffort),
		(KeepPowError::InsufficientWork, Error::InsufficientEffort),
	];
	for (from, to) in cases {
		assert_eq!(Error::<Test>::from(from).code(), to.code(), "{from:?}");
	}
}

// ---------------------------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------------------------

#[test]
fn scores_accumulate_per_gate_and_round() {
	with_gates(|| {
		let e = u128::from(EFFORT);
		assert_ok!(submit(&attestation(R, 1, &[2, 3])));
		assert_ok!(submit(&attestation(R, 2, &[1, 3, 4, 5])));
		assert_ok!(submit(&attestation(R + 1, 1, &[2, 3, 4])));
		assert_ok!(submit(&attestation(R - 1, 1, &[5])));

		// Per (gate, round): the number of distinct challengers times the effort per challenge.
		assert_eq!(
			PowAttest::work_score(&id(1), R),
			Some(AttestedWork { challenges: 2, score: 2 * e })
		);
		assert_eq!(
			PowAttest::work_score(&id(2), R),
			Some(AttestedWork { challenges: 4, score: 4 * e })
		);
		assert_eq!(
			PowAttest::work_score(&id(1), R + 1),
			Some(AttestedWork { challenges: 3, score: 3 * e })
		);
		assert_eq!(
			PowAttest::work_score(&id(1), R - 1),
			Some(AttestedWork { challenges: 1, score: e })
		);

		// Per round: every prover.
		let mut round = PowAttest::scores(R);
		round.sort_by_key(|s| s.gate);
		let mut expected = vec![
			RoundScore { gate: id(1), work: AttestedWork { challenges: 2, score: 2 * e } },
			RoundScore { gate: id(2), work: AttestedWork { challenges: 4, score: 4 * e } },
		];
		expected.sort_by_key(|s| s.gate);
		assert_eq!(round, expected);
		assert!(PowAttest::scores(R + FUTURE + 5).is_empty());

		// Per gate, over its lifetime: the sum.
		assert_eq!(Gates::<Test>::get(id(1)).map(|g| g.total_score), Some(6 * e));
		assert_eq!(Gates::<Test>::get(id(2)).map(|g| g.total_score), Some(4 * e));
		assert_eq!(Gates::<Test>::get(id(3)).map(|g| g.total_score), Some(0));

		assert_eq!(
			ActiveRounds::<Test>::get().into_inner(),
			vec![
				RoundInfo { round: R - 1, attestations: 1 },
				RoundInfo { round: R, attestations: 2 },
				RoundInfo { round: R + 1, attestations: 1 },
			]
		);
	});
}

#[test]
fn the_current_round_follows_the_timestamp() {
	new_test_ext().execute_with(|| {
		assert_eq!(PowAttest::current_round(), 0);
		set_time(R, 0);
		assert_eq!(PowAttest::current_round(), R);
		set_time(R, PERIOD - 1);
		assert_eq!(PowAttest::current_round(), R);
		set_time(R + 1, 0);
		assert_eq!(PowAttest::current_round(), R + 1);
	});
}

#[test]
fn an_attestation_encodes_exactly_like_the_gates_keep_pow() {
	with_gates(|| {
		let a = attestation(R, 1, &[2, 3]);
		let keep_pow = a.to_keep_pow();
		assert_eq!(a.encode(), keep_pow.encode());
		assert_eq!(AttestationOf::<Test>::decode(&mut &keep_pow.encode()[..]), Ok(a.clone()));
		assert_eq!(AttestationOf::<Test>::try_from(keep_pow), Ok(a));
	});
}

// ---------------------------------------------------------------------------------------------
// Pruning
// ---------------------------------------------------------------------------------------------

/// Runs block `n` at `round` (offset ms): `on_initialize`, as the executive does before any
/// extrinsic.
fn run_block(n: u64, round: u64, offset: u64) {
	System::set_block_number(n);
	set_time(round, offset);
	PowAttest::on_initialize(n);
}

#[test]
fn pruning_keeps_storage_bounded_over_many_rounds() {
	new_test_ext().execute_with(|| {
		(1..=6).for_each(register);
		let start = R;
		let rounds = 60u64;
		let mut block = 1;
		for round in start..start + rounds {
			// Two blocks per round (one mid-round), three attestations per round.
			for (offset, provers) in [(1, &[1u8, 2][..]), (PERIOD / 2, &[3u8][..])] {
				block += 1;
				run_block(block, round, offset);
				for &prover in provers {
					let issuer = if prover == 6 { 5 } else { 6 };
					assert_ok!(submit(&attestation(round, prover, &[issuer])));
				}
			}
			let stored = Attestations::<Test>::iter().count();
			let tracked = ActiveRounds::<Test>::get();
			// Only the rounds of the window (R - WINDOW ..= R) remain once a block pruned.
			assert!(tracked.len() as u64 <= WINDOW + 1, "round {round}: {tracked:?}");
			assert!(stored as u64 <= (WINDOW + 1) * 3, "round {round}: {stored} stored");
			assert!(tracked.iter().all(|r| r.round + WINDOW >= round));
			assert_eq!(
				stored as u32,
				tracked.iter().map(|r| r.attestations).sum::<u32>(),
				"the index counts what is stored"
			);
		}
		// Scores of the window are still there; older ones are gone.
		let last = start + rounds - 1;
		assert!(PowAttest::work_score(&id(1), last).is_some());
		assert!(PowAttest::work_score(&id(1), last - WINDOW).is_some());
		assert!(PowAttest::work_score(&id(1), last - WINDOW - 1).is_none());
		assert!(PowAttest::work_score(&id(1), start).is_none());
		// Lifetime totals are kept.
		assert_eq!(
			Gates::<Test>::get(id(1)).map(|g| g.total_score),
			Some(u128::from(rounds) * u128::from(EFFORT))
		);
	});
}

#[test]
fn pruning_touches_at_most_max_prune_per_block_keys_per_block() {
	let mut ext = new_test_ext();
	let gate = |i: u8| GateId([i; 32]);
	let work = AttestedWork { challenges: 1, score: u128::from(EFFORT) };
	ext.execute_with(|| {
		// Two rounds of six and three attestations, written by earlier blocks.
		for i in 0..6 {
			Attestations::<Test>::insert(R, gate(i), work);
		}
		for i in 0..3 {
			Attestations::<Test>::insert(R + 1, gate(i), work);
		}
		ActiveRounds::<Test>::put(BoundedVec::truncate_from(vec![
			RoundInfo { round: R, attestations: 6 },
			RoundInfo { round: R + 1, attestations: 3 },
		]));
		// Nothing expires while both are in the window.
		run_block(2, R + WINDOW, 0);
		assert_eq!(Attestations::<Test>::iter().count(), 9);
	});
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		run_block(3, R + 2 + WINDOW, 0);
		// Four keys at most: round R keeps two, and stays tracked.
		assert_eq!(Attestations::<Test>::iter_prefix(R).count(), 2);
		assert_eq!(Attestations::<Test>::iter_prefix(R + 1).count(), 3);
		assert_eq!(ActiveRounds::<Test>::get().first().map(|r| r.round), Some(R));
	});
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		run_block(4, R + 2 + WINDOW, 1_000);
		// Round R finishes (2 keys) and round R + 1 is started (2 of 3).
		assert_eq!(Attestations::<Test>::iter_prefix(R).count(), 0);
		assert_eq!(Attestations::<Test>::iter_prefix(R + 1).count(), 1);
		assert_eq!(ActiveRounds::<Test>::get().first().map(|r| r.round), Some(R + 1));
	});
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		run_block(5, R + 2 + WINDOW, 2_000);
		assert_eq!(Attestations::<Test>::iter().count(), 0);
		assert!(ActiveRounds::<Test>::get().is_empty());
		// And with nothing to prune, nothing is touched.
		assert_eq!(PowAttest::prune_expired(R + 100, PRUNE_PER_BLOCK), 0);
	});
}

#[test]
fn pruning_reports_the_keys_it_touched() {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		let work = AttestedWork { challenges: 1, score: 1 };
		for i in 0..3 {
			Attestations::<Test>::insert(R, GateId([i; 32]), work);
		}
		ActiveRounds::<Test>::put(BoundedVec::truncate_from(vec![RoundInfo {
			round: R,
			attestations: 3,
		}]));
	});
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		assert_eq!(PowAttest::prune_expired(R + WINDOW, PRUNE_PER_BLOCK), 0, "still in the window");
		assert_eq!(PowAttest::prune_expired(R + WINDOW + 1, PRUNE_PER_BLOCK), 3);
		assert!(ActiveRounds::<Test>::get().is_empty());
		assert_eq!(Attestations::<Test>::iter().count(), 0);
	});
}
