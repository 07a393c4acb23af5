//! Range compute (seed 002): "hash every value in `[start, end)` with a known function and
//! return the values whose hash is below a target, plus a commitment to all hashes".
//!
//! - The **work function** is `hash_value(v) = blake2_256("gpow/market/range" ++ salt ++ v as
//!   u64 LE)`. The consumer's random `salt` makes each instance's work new, so no answer can be
//!   computed ahead or reused from another instance.
//! - A **hit** is a value whose hash, read as a big-endian 256-bit number, is below `target`
//!   ([`target_one_in`] makes a target that about one value in `d` meets).
//! - The provider's [`RangeResult`] lists the hits in ascending order and commits to every hash
//!   in order: the root of the [`MerkleTree`] whose leaf `i` is `hash_value(start + i)`.
//! - The validator's [`evaluate`] checks every hit (cheap) and `k` sampled hashes (each costs
//!   the provider a leaf and a proof), drawn from a seed so anyone can redo the evaluation.

use crate::{
	merkle::{self, MerkleProof, MerkleTree},
	sampling::{self, InvalidFraction},
	verdict::{Reason, Verdict},
	Hash, Limits,
};
use codec::{Decode, Encode};
use sp_crypto_hashing::blake2_256;
use std::{collections::HashSet, fmt, num::NonZeroU64};

/// The domain of the work function.
pub const VALUE_DOMAIN: &[u8] = b"gpow/market/range";
/// The domain of a validator's sample draws.
pub const SAMPLE_DOMAIN: &[u8] = b"gpow/market/range-sample";
/// The domain of a cheating provider's choice of values to skip.
const CHEAT_DOMAIN: &[u8] = b"gpow/market/range-cheat";

/// What a consumer asks for: hash every value of `[start, end)` under `salt`, and report those
/// below `target`. Its SCALE encoding is canonical; [`RangeDefinition::definition_hash`] is the
/// definition hash of the instance on chain.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct RangeDefinition {
	/// The consumer's random salt, part of the work function's domain.
	pub salt: Hash,
	/// The first value.
	pub start: u64,
	/// One past the last value.
	pub end: u64,
	/// A hit's hash is below this, as big-endian 256-bit numbers.
	pub target: Hash,
}

/// Why a range definition, a request to a provider, or an evaluation's parameters are refused.
#[derive(Clone, Debug, PartialEq)]
pub enum RangeError {
	/// `start == end`: nothing to compute.
	EmptyRange {
		/// The range's start (and end).
		start: u64,
	},
	/// `end < start`.
	EndBeforeStart {
		/// The range's start.
		start: u64,
		/// The range's end.
		end: u64,
	},
	/// The range holds more values than the limit.
	RangeTooLarge {
		/// The number of values.
		values: u64,
		/// The limit ([`Limits::max_values`]).
		max: u64,
	},
	/// A value index past the range.
	IndexOutOfRange {
		/// The index asked for.
		index: u64,
		/// The number of values.
		values: u64,
	},
	/// A cheating fraction outside `[0, 1]`.
	InvalidFraction(f64),
	/// An evaluation with no samples would judge nothing.
	NoSamples,
}

impl fmt::Display for RangeError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::EmptyRange { start } => write!(f, "the range [{start}, {start}) is empty"),
			Self::EndBeforeStart { start, end } => {
				write!(f, "the range ends at {end}, before its start {start}")
			},
			Self::RangeTooLarge { values, max } => {
				write!(f, "the range holds {values} values, more than the limit of {max}")
			},
			Self::IndexOutOfRange { index, values } => {
				write!(f, "index {index} is past the range's {values} values")
			},
			Self::InvalidFraction(fraction) => {
				write!(f, "fraction {fraction} is not within [0, 1]")
			},
			Self::NoSamples => write!(f, "an evaluation needs at least one sample"),
		}
	}
}

impl std::error::Error for RangeError {}

impl From<InvalidFraction> for RangeError {
	fn from(InvalidFraction(fraction): InvalidFraction) -> Self {
		Self::InvalidFraction(fraction)
	}
}

impl RangeDefinition {
	/// The hash that goes on chain: `blake2_256(SCALE(definition))`.
	pub fn definition_hash(&self) -> Hash {
		blake2_256(&self.encode())
	}

	/// The number of values, if the range is well formed (not empty, not inverted).
	pub fn values(&self) -> Result<NonZeroU64, RangeError> {
		let (start, end) = (self.start, self.end);
		let values = end.checked_sub(start).ok_or(RangeError::EndBeforeStart { start, end })?;
		NonZeroU64::new(values).ok_or(RangeError::EmptyRange { start })
	}

	/// The number of values, if the range is well formed and within `limits`: what a provider
	/// checks before accepting the work.
	pub fn check(&self, limits: &Limits) -> Result<NonZeroU64, RangeError> {
		let values = self.values()?;
		if values.get() > limits.max_values {
			return Err(RangeError::RangeTooLarge { values: values.get(), max: limits.max_values });
		}
		Ok(values)
	}

	/// The work function: `blake2_256("gpow/market/range" ++ salt ++ value as u64 LE)`.
	pub fn hash_value(&self, value: u64) -> Hash {
		let mut pre_image = [0u8; VALUE_DOMAIN.len() + 40];
		let (domain, rest) = pre_image.split_at_mut(VALUE_DOMAIN.len());
		domain.copy_from_slice(VALUE_DOMAIN);
		rest[..32].copy_from_slice(&self.salt);
		rest[32..].copy_from_slice(&value.to_le_bytes());
		blake2_256(&pre_image)
	}

	/// Whether a value's hash is below the target.
	pub fn is_hit(&self, value: u64) -> bool {
		self.hash_value(value) < self.target
	}

	/// The value at `index` of the range, if the range is well formed and holds it.
	fn value_at(&self, index: u64) -> Result<u64, RangeError> {
		let values = self.values()?.get();
		if index >= values {
			return Err(RangeError::IndexOutOfRange { index, values });
		}
		// index < end - start, so this cannot overflow.
		self.start
			.checked_add(index)
			.ok_or(RangeError::IndexOutOfRange { index, values })
	}
}

/// The target that about one value in `d` meets: `floor((2^256 - 1) / d)`, big-endian.
pub fn target_one_in(d: NonZeroU64) -> Hash {
	let d = u128::from(d.get());
	let mut target = [0u8; 32];
	let mut remainder = 0u128;
	for byte in target.iter_mut() {
		// remainder < d < 2^64, so this fits in u128 and the quotient in a byte.
		let current = (remainder << 8) | 0xff;
		*byte = (current / d) as u8;
		remainder = current % d;
	}
	target
}

/// A provider's result: the hits, and a commitment to every hash.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct RangeResult {
	/// The values whose hash is below the target, ascending.
	pub hits: Vec<u64>,
	/// The Merkle root over `hash_value(start), hash_value(start + 1), ...`.
	pub commitment: Hash,
}

impl RangeResult {
	/// The commitment the provider submits on chain: `blake2_256(SCALE(result))`.
	pub fn result_hash(&self) -> Hash {
		blake2_256(&self.encode())
	}
}

/// A provider's answer to a validator's sample: the committed hash of one value and its proof.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct LeafAnswer {
	/// The hash committed for the value (the leaf's data).
	pub leaf: Hash,
	/// The leaf's Merkle proof against the result's commitment.
	pub proof: MerkleProof,
}

/// What a provider keeps of a computed range: its result, and the tree it answers samples
/// from (about `64 × n` bytes for `n` values). A sampled value's hash is recomputed when asked
/// (one hash), rather than kept.
#[derive(Clone, Debug)]
pub struct RangeWork {
	definition: RangeDefinition,
	result: RangeResult,
	tree: MerkleTree,
	/// The indices a cheating provider skipped (empty for an honest one).
	skipped: Vec<bool>,
}

impl RangeWork {
	/// The result to deliver to the consumer and commit on chain.
	pub fn result(&self) -> &RangeResult {
		&self.result
	}

	/// The answer to a sample of value index `index` (the value `start + index`).
	pub fn answer(&self, index: u64) -> Result<LeafAnswer, RangeError> {
		let value = self.definition.value_at(index)?;
		let proof = self
			.tree
			.proof(index)
			.map_err(|_| RangeError::IndexOutOfRange { index, values: self.tree.leaves() })?;
		Ok(LeafAnswer { leaf: self.leaf_data(index, value), proof })
	}

	/// The hash committed for the value at `index`: its real hash, unless skipped.
	fn leaf_data(&self, index: u64, value: u64) -> Hash {
		let skipped = usize::try_from(index).ok().and_then(|i| self.skipped.get(i).copied());
		if skipped.unwrap_or(false) {
			SKIPPED_LEAF
		} else {
			self.definition.hash_value(value)
		}
	}
}

/// What a cheating provider commits for a value it skipped.
const SKIPPED_LEAF: Hash = [0u8; 32];

/// Computes a range honestly: every hash, the hits and the commitment.
pub fn compute(definition: &RangeDefinition, limits: &Limits) -> Result<RangeWork, RangeError> {
	build(definition, limits, Vec::new())
}

/// Computes a range the way a cheating provider would: it skips exactly `round(fraction × n)`
/// of the values (chosen from `seed`), commits zeros for their hashes and reports none of them
/// as hits, while its proofs stay consistent with what it committed. Used by tests and the
/// end-to-end test; a real provider has no reason to call it.
pub fn compute_cheating(
	definition: &RangeDefinition,
	limits: &Limits,
	fraction: f64,
	seed: Hash,
) -> Result<RangeWork, RangeError> {
	let values = definition.check(limits)?.get();
	let skipped = sampling::fraction_count(fraction, values)?;
	let skip = sampling::choose_distinct(CHEAT_DOMAIN, seed, values, skipped);
	build(definition, limits, skip)
}

/// Builds the work, skipping index `i` where `skipped[i]` (an empty mask skips nothing).
fn build(
	definition: &RangeDefinition,
	limits: &Limits,
	skipped: Vec<bool>,
) -> Result<RangeWork, RangeError> {
	let values = definition.check(limits)?.get();
	let mut leaves = Vec::with_capacity(usize::try_from(values).unwrap_or(0));
	let mut hits = Vec::new();
	for (index, value) in (definition.start..definition.end).enumerate() {
		let hash = if skipped.get(index).copied().unwrap_or(false) {
			SKIPPED_LEAF
		} else {
			let hash = definition.hash_value(value);
			if hash < definition.target {
				hits.push(value);
			}
			hash
		};
		leaves.push(merkle::leaf_hash(&hash));
	}
	// `check` refused an empty range, so the tree has leaves.
	let tree = MerkleTree::from_leaf_hashes(leaves)
		.map_err(|_| RangeError::EmptyRange { start: definition.start })?;
	let result = RangeResult { hits, commitment: tree.root() };
	Ok(RangeWork { definition: definition.clone(), result, tree, skipped })
}

/// The validator's evaluation function for range compute.
///
/// 1. The delivered result must hash to `on_chain_result` (the commitment the provider
///    submitted); if not, the verdict is [`Reason::CommitmentMismatch`] and nothing is fetched.
/// 2. Every hit is checked (cheap: one hash each): ascending, inside the range, below target.
/// 3. `k` value indices are drawn with replacement from `seed` (in [`SAMPLE_DOMAIN`]; the same
///    seed gives the same samples). For each, `fetch(index)` asks the provider for the
///    committed hash and its proof; the proof must lead to the result's commitment, the hash
///    must be the value's real hash, and a value below target must be among the hits.
///
/// A fetch error is [`Reason::Unanswered`] with the error's text. The hit check of a sample
/// needs no answer, so it is made even when the provider does not answer.
///
/// Errors (no verdict): a malformed definition, or `k == 0`.
pub fn evaluate<E: fmt::Display>(
	definition: &RangeDefinition,
	delivered: &RangeResult,
	on_chain_result: &Hash,
	k: u32,
	seed: Hash,
	mut fetch: impl FnMut(u64) -> Result<LeafAnswer, E>,
) -> Result<Verdict, RangeError> {
	let values = definition.values()?;
	if k == 0 {
		return Err(RangeError::NoSamples);
	}
	let mut verdict = Verdict::new();
	let delivered_hash = delivered.result_hash();
	if delivered_hash != *on_chain_result {
		verdict.fail(Reason::CommitmentMismatch {
			on_chain: *on_chain_result,
			delivered: delivered_hash,
		});
		return Ok(verdict);
	}

	let mut previous: Option<u64> = None;
	for &value in &delivered.hits {
		if previous.is_some_and(|previous| value <= previous) {
			verdict.fail(Reason::HitsNotAscending { value });
		}
		previous = Some(value);
		if !(definition.start..definition.end).contains(&value) {
			verdict.fail(Reason::HitOutOfRange { value });
		} else if !definition.is_hit(value) {
			verdict.fail(Reason::FalseHit { value });
		}
	}
	let hits: HashSet<u64> = delivered.hits.iter().copied().collect();

	let samples = sampling::sample_indices(SAMPLE_DOMAIN, seed, values, k);
	for &index in &samples {
		let value = definition.value_at(index)?;
		let expected = definition.hash_value(value);
		if expected < definition.target && !hits.contains(&value) {
			verdict.fail(Reason::MissingHit { value });
		}
		let answer = match fetch(index) {
			Ok(answer) => answer,
			Err(why) => {
				verdict.fail(Reason::Unanswered { index, why: why.to_string() });
				continue;
			},
		};
		verdict.answer_bytes = verdict.answer_bytes.saturating_add(answer.encoded_size() as u64);
		let proven =
			merkle::verify(&delivered.commitment, values.get(), index, &answer.leaf, &answer.proof);
		if let Err(why) = proven {
			verdict.fail(Reason::BadProof { index, why });
		} else if answer.leaf != expected {
			verdict.fail(Reason::WrongHash { index });
		}
	}
	verdict.samples = samples;
	Ok(verdict)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::merkle::MerkleError;

	fn definition(start: u64, end: u64, one_in: u64) -> RangeDefinition {
		let one_in = NonZeroU64::new(one_in).expect("non-zero");
		RangeDefinition { salt: [9; 32], start, end, target: target_one_in(one_in) }
	}

	/// Evaluates `work`'s result as delivered and committed, fetching from `work`.
	fn judge(def: &RangeDefinition, work: &RangeWork, k: u32, seed: Hash) -> Verdict {
		let result = work.result();
		evaluate(def, result, &result.result_hash(), k, seed, |i| work.answer(i))
			.expect("well-formed")
	}

	#[test]
	fn definition_hash_is_blake2_of_the_canonical_encoding() {
		let def = definition(10, 20, 4);
		assert_eq!(def.encode().len(), 32 + 8 + 8 + 32);
		assert_eq!(def.definition_hash(), blake2_256(&def.encode()));
		let mut other = def.clone();
		other.end = 21;
		assert_ne!(def.definition_hash(), other.definition_hash());
	}

	#[test]
	fn malformed_ranges_are_named_errors() {
		let limits = Limits { max_values: 100, ..Limits::default() };
		assert_eq!(definition(5, 5, 1).check(&limits), Err(RangeError::EmptyRange { start: 5 }));
		assert_eq!(
			definition(6, 5, 1).check(&limits),
			Err(RangeError::EndBeforeStart { start: 6, end: 5 })
		);
		assert_eq!(
			definition(0, 101, 1).check(&limits),
			Err(RangeError::RangeTooLarge { values: 101, max: 100 })
		);
		assert_eq!(definition(0, 100, 1).check(&limits).map(NonZeroU64::get), Ok(100));
		assert!(compute(&definition(0, u64::MAX, 1), &Limits::default()).is_err());
		assert_eq!(Limits::default().max_values, 1 << 24);
	}

	#[test]
	fn the_work_function_is_the_documented_one() {
		let def = definition(0, 1, 1);
		let mut pre_image = b"gpow/market/range".to_vec();
		pre_image.extend_from_slice(&[9; 32]);
		pre_image.extend_from_slice(&42u64.to_le_bytes());
		assert_eq!(def.hash_value(42), blake2_256(&pre_image));
		let salted = RangeDefinition { salt: [8; 32], ..def.clone() };
		assert_ne!(def.hash_value(42), salted.hash_value(42));
	}

	#[test]
	fn targets() {
		let one = |d| target_one_in(NonZeroU64::new(d).expect("non-zero"));
		assert_eq!(one(1), [0xff; 32]);
		let mut half = [0xff; 32];
		half[0] = 0x7f;
		assert_eq!(one(2), half);
		let mut in_256 = [0xff; 32];
		in_256[0] = 0;
		assert_eq!(one(256), in_256);
		// (2^256 - 1) / (2^64 - 1) = 2^192 + 2^128 + 2^64 + 1.
		let max: Vec<u8> = [0u8, 0, 0, 0, 0, 0, 0, 1].repeat(4);
		assert_eq!(one(u64::MAX)[..], max[..]);
	}

	#[test]
	fn honest_compute_finds_every_hit_and_commits_to_every_hash() {
		let def = definition(1_000, 3_000, 16);
		let work = compute(&def, &Limits::default()).expect("valid");
		let hits: Vec<u64> = (1_000..3_000).filter(|&v| def.is_hit(v)).collect();
		assert_eq!(work.result().hits, hits);
		// About one in 16 of 2,000 values.
		assert!((80..=170).contains(&hits.len()), "{}", hits.len());
		let leaves = (1_000..3_000).map(|v| merkle::leaf_hash(&def.hash_value(v))).collect();
		let tree = MerkleTree::from_leaf_hashes(leaves).expect("non-empty");
		assert_eq!(work.result().commitment, tree.root());
	}

	#[test]
	fn the_provider_answers_with_verifiable_leaves() {
		let def = definition(7, 107, 4);
		let work = compute(&def, &Limits::default()).expect("valid");
		for index in [0, 50, 99] {
			let answer = work.answer(index).expect("in range");
			assert_eq!(answer.leaf, def.hash_value(7 + index));
			let root = work.result().commitment;
			assert_eq!(merkle::verify(&root, 100, index, &answer.leaf, &answer.proof), Ok(()));
		}
		assert_eq!(work.answer(100), Err(RangeError::IndexOutOfRange { index: 100, values: 100 }));
	}

	#[test]
	fn an_honest_provider_passes_reproducibly() {
		let def = definition(0, 1_000, 8);
		let work = compute(&def, &Limits::default()).expect("valid");
		let verdict = judge(&def, &work, 50, [1; 32]);
		assert!(verdict.pass, "{verdict}");
		assert_eq!(verdict.samples.len(), 50);
		assert!(verdict.answer_bytes > 50 * 32);
		assert_eq!(verdict, judge(&def, &work, 50, [1; 32]));
		assert_ne!(verdict.samples, judge(&def, &work, 50, [2; 32]).samples);
	}

	#[test]
	fn a_provider_that_skips_everything_fails_with_wrong_hashes() {
		let def = definition(0, 200, 8);
		let work = compute_cheating(&def, &Limits::default(), 1.0, [3; 32]).expect("valid");
		assert!(work.result().hits.is_empty());
		let verdict = judge(&def, &work, 10, [4; 32]);
		assert!(!verdict.pass);
		assert!(verdict.failures.iter().any(|r| matches!(r, Reason::WrongHash { .. })));
		for &index in &verdict.samples {
			assert!(verdict.failures.contains(&Reason::WrongHash { index }));
			if def.is_hit(index) {
				assert!(verdict.failures.contains(&Reason::MissingHit { value: index }));
			}
		}
	}

	#[test]
	fn a_cheater_skips_exactly_its_fraction() {
		let def = definition(0, 1_000, 1);
		let work = compute_cheating(&def, &Limits::default(), 0.25, [5; 32]).expect("valid");
		// Every value is a hit for target 2^256 - 1 (but the rare hash of all ones).
		assert_eq!(work.result().hits.len(), 750);
		assert_eq!(
			compute_cheating(&def, &Limits::default(), 1.5, [5; 32]).err(),
			Some(RangeError::InvalidFraction(1.5))
		);
		let honest = compute(&def, &Limits::default()).expect("valid");
		let none = compute_cheating(&def, &Limits::default(), 0.0, [5; 32]).expect("valid");
		assert_eq!(none.result(), honest.result());
	}

	#[test]
	fn the_delivered_result_must_match_the_chain() {
		let def = definition(0, 100, 4);
		let work = compute(&def, &Limits::default()).expect("valid");
		let mut fetched = 0;
		let verdict = evaluate(&def, work.result(), &[0; 32], 10, [1; 32], |i| {
			fetched += 1;
			work.answer(i)
		})
		.expect("well-formed");
		assert!(!verdict.pass);
		assert_eq!(fetched, 0);
		assert!(matches!(verdict.failures[..], [Reason::CommitmentMismatch { .. }]));
	}

	#[test]
	fn false_out_of_range_and_unordered_hits_are_named() {
		let def = definition(0, 100, 16);
		let work = compute(&def, &Limits::default()).expect("valid");
		let real = work.result().hits.clone();
		assert!(real.len() >= 2, "{real:?}");
		let mut delivered = work.result().clone();
		delivered.hits = vec![real[1], real[0], 500];
		let verdict =
			evaluate(&def, &delivered, &delivered.result_hash(), 5, [1; 32], |i| work.answer(i))
				.expect("well-formed");
		assert!(verdict.failures.contains(&Reason::HitsNotAscending { value: real[0] }));
		assert!(verdict.failures.contains(&Reason::HitOutOfRange { value: 500 }));

		let not_a_hit = (0..100).find(|&v| !def.is_hit(v)).expect("some value misses");
		delivered.hits = vec![not_a_hit];
		let verdict =
			evaluate(&def, &delivered, &delivered.result_hash(), 5, [1; 32], |i| work.answer(i))
				.expect("well-formed");
		assert!(verdict.failures.contains(&Reason::FalseHit { value: not_a_hit }));
	}

	#[test]
	fn a_withheld_hit_is_caught_when_sampled() {
		let def = definition(0, 4, 1);
		let work = compute(&def, &Limits::default()).expect("valid");
		let mut delivered = work.result().clone();
		let withheld = delivered.hits.remove(0);
		// Four values, 40 samples: each value is drawn (all but certainly).
		let verdict =
			evaluate(&def, &delivered, &delivered.result_hash(), 40, [1; 32], |i| work.answer(i))
				.expect("well-formed");
		assert!(verdict.failures.contains(&Reason::MissingHit { value: withheld }));
	}

	#[test]
	fn bad_proofs_and_silence_are_named() {
		let def = definition(0, 100, 4);
		let work = compute(&def, &Limits::default()).expect("valid");
		let result = work.result();
		let short = evaluate(&def, result, &result.result_hash(), 3, [1; 32], |i| {
			work.answer(i).map(|mut a| {
				a.proof.0.pop();
				a
			})
		})
		.expect("well-formed");
		assert!(short.failures.iter().all(|r| matches!(
			r,
			Reason::BadProof { why: MerkleError::WrongProofLength { .. }, .. }
		)));
		assert_eq!(short.failures.len(), 3);

		let tampered = evaluate(&def, result, &result.result_hash(), 3, [1; 32], |i| {
			work.answer(i).map(|mut a| {
				a.leaf[0] ^= 1;
				a
			})
		})
		.expect("well-formed");
		assert!(tampered
			.failures
			.iter()
			.all(|r| matches!(r, Reason::BadProof { why: MerkleError::RootMismatch, .. })));

		let silent = evaluate(&def, result, &result.result_hash(), 3, [1; 32], |_| {
			Err::<LeafAnswer, _>("connection refused")
		})
		.expect("well-formed");
		assert_eq!(silent.failures.len(), 3);
		assert!(silent.failures.iter().all(|r| matches!(r, Reason::Unanswered { .. })));
		assert!(silent.failures[0].to_string().contains("connection refused"));
	}

	#[test]
	fn evaluation_parameters_are_checked() {
		let def = definition(0, 10, 4);
		let result = RangeResult::default();
		let no_fetch = |_| Err::<LeafAnswer, _>("unused");
		assert_eq!(
			evaluate(&def, &result, &result.result_hash(), 0, [0; 32], no_fetch).err(),
			Some(RangeError::NoSamples)
		);
		let empty = definition(3, 3, 4);
		assert_eq!(
			evaluate(&empty, &result, &result.result_hash(), 5, [0; 32], no_fetch).err(),
			Some(RangeError::EmptyRange { start: 3 })
		);
	}

	#[test]
	fn ranges_at_the_top_of_u64_do_not_overflow() {
		let def = definition(u64::MAX - 10, u64::MAX, 2);
		let work = compute(&def, &Limits::default()).expect("valid");
		let verdict = judge(&def, &work, 20, [6; 32]);
		assert!(verdict.pass, "{verdict}");
		assert_eq!(work.answer(10), Err(RangeError::IndexOutOfRange { index: 10, values: 10 }));
	}
}
