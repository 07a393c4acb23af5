//! The work of a job: computing a range or holding a blob, the result hash and the evidence
//! record submitted on chain.
//!
//! The work is deterministic: after a restart the provider rebuilds it from the stored
//! definition (and blob) and gets the same tree, so it answers spot checks as before. A
//! cheater (`--cheat-fraction`, for tests) cheats the same way every time, by a seed derived
//! from the instance ([`cheat_seed`]).

use codec::Encode;
use gpow_market::{
	range::{self, RangeDefinition, RangeWork},
	storage::{StorageDefinition, StorageError, StoredBlob},
	Hash, Limits, ServiceKind,
};

/// The domain of a cheater's seed.
const CHEAT_DOMAIN: &[u8] = b"gpow-provider/cheat";

/// The work held for a job, to answer its spot checks.
#[derive(Clone, Debug)]
pub enum Work {
	/// A computed range: its definition, result and tree.
	Range(RangeDefinition, RangeWork),
	/// A blob taken on, cut into chunks with their tree.
	Storage(StorageDefinition, StoredBlob),
}

/// Why work could not be done.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum WorkError {
	/// The range definition is refused (it passed the delivery checks, so only a stored
	/// definition changed since can give this).
	#[error("range: {0}")]
	Range(range::RangeError),
	/// The blob or its definition is refused.
	#[error("storage: {0}")]
	Storage(StorageError),
}

/// The seed of a cheater's choice for `instance` with definition hash `definition`.
pub fn cheat_seed(instance: u64, definition: &Hash) -> Hash {
	let mut pre_image = CHEAT_DOMAIN.to_vec();
	pre_image.extend_from_slice(&instance.to_le_bytes());
	pre_image.extend_from_slice(definition);
	sp_crypto_hashing::blake2_256(&pre_image)
}

/// Computes `definition`: honestly, or skipping `cheat` of the values chosen from `seed`.
pub fn compute_range(
	definition: &RangeDefinition,
	limits: &Limits,
	cheat: Option<f64>,
	seed: Hash,
) -> Result<Work, WorkError> {
	let work = match cheat {
		None => range::compute(definition, limits),
		Some(fraction) => range::compute_cheating(definition, limits, fraction, seed),
	};
	let work = work.map_err(WorkError::Range)?;
	Ok(Work::Range(definition.clone(), work))
}

/// Takes `blob` on for `definition`: all of it, or dropping `cheat` of its chunks chosen from
/// `seed` (the blob on disk stays whole; the dropped chunks are not answered).
pub fn hold_blob(
	definition: &StorageDefinition,
	blob: &[u8],
	limits: &Limits,
	cheat: Option<f64>,
	seed: Hash,
) -> Result<Work, WorkError> {
	let stored = StoredBlob::accept(definition, blob, limits).map_err(WorkError::Storage)?;
	held(definition, stored, cheat, seed)
}

/// The work of holding `stored`, a blob taken on for `definition`: all of it, or dropping
/// `cheat` of its chunks chosen from `seed`.
pub fn held(
	definition: &StorageDefinition,
	mut stored: StoredBlob,
	cheat: Option<f64>,
	seed: Hash,
) -> Result<Work, WorkError> {
	if let Some(fraction) = cheat {
		stored.drop_fraction(fraction, seed).map_err(WorkError::Storage)?;
	}
	Ok(Work::Storage(definition.clone(), stored))
}

/// The record whose hash is the evidence hash submitted with a result: what the work was and
/// what it committed to. The endpoint could serve it; the store keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Encode)]
pub struct Evidence {
	/// The instance.
	pub instance: u64,
	/// The kind's name (`range`, `storage`).
	pub kind: Vec<u8>,
	/// The result hash submitted.
	pub result: Hash,
	/// The range's commitment, or the blob's Merkle root.
	pub root: Hash,
	/// The values computed, or the chunks held.
	pub count: u64,
}

impl Work {
	/// The kind of work.
	pub fn kind(&self) -> ServiceKind {
		match self {
			Work::Range(..) => ServiceKind::Range,
			Work::Storage(..) => ServiceKind::Storage,
		}
	}

	/// The result hash to submit: a range result's hash, or for storage the definition hash (a
	/// receipt: "I hold what you defined").
	pub fn result_hash(&self) -> Hash {
		match self {
			Work::Range(_, work) => work.result().result_hash(),
			Work::Storage(definition, _) => definition.definition_hash(),
		}
	}

	/// The evidence record of this work for `instance`.
	pub fn evidence(&self, instance: u64) -> Evidence {
		let (root, count) = match self {
			Work::Range(definition, work) => {
				// A computed range is well formed.
				let values = definition.values().map_or(0, |values| values.get());
				(work.result().commitment, values)
			},
			Work::Storage(definition, _) => (definition.blob_root, u64::from(definition.chunks)),
		};
		Evidence {
			instance,
			kind: self.kind().name().as_bytes().to_vec(),
			result: self.result_hash(),
			root,
			count,
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::num::NonZeroU64;

	fn definition() -> RangeDefinition {
		let target = range::target_one_in(NonZeroU64::new(8).unwrap());
		RangeDefinition { salt: [5; 32], start: 100, end: 1100, target }
	}

	#[test]
	fn honest_work_passes_and_is_the_same_every_time() {
		let definition = definition();
		let seed = cheat_seed(1, &definition.definition_hash());
		let work = compute_range(&definition, &Limits::default(), None, seed).unwrap();
		let again = compute_range(&definition, &Limits::default(), None, seed).unwrap();
		assert_eq!(work.result_hash(), again.result_hash());
		let Work::Range(_, range_work) = &work else { panic!("a range") };
		let result = range_work.result();
		let verdict = range::evaluate(&definition, result, &work.result_hash(), 30, [9; 32], |i| {
			range_work.answer(i)
		})
		.unwrap();
		assert!(verdict.pass, "{verdict}");
		let evidence = work.evidence(1);
		assert_eq!(evidence.count, 1000);
		assert_eq!((evidence.root, evidence.result), (result.commitment, result.result_hash()));
		assert_eq!(evidence.kind, b"range".to_vec());
	}

	#[test]
	fn a_cheater_cheats_the_same_way_after_a_restart_and_is_caught() {
		let definition = definition();
		let seed = cheat_seed(2, &definition.definition_hash());
		assert_ne!(seed, cheat_seed(3, &definition.definition_hash()));
		let limits = Limits::default();
		let work = compute_range(&definition, &limits, Some(0.5), seed).unwrap();
		let again = compute_range(&definition, &limits, Some(0.5), seed).unwrap();
		assert_eq!(work.result_hash(), again.result_hash(), "rebuilt by its seed");
		let honest = compute_range(&definition, &limits, None, seed).unwrap();
		assert_ne!(work.result_hash(), honest.result_hash());
		let Work::Range(_, range_work) = &work else { panic!("a range") };
		let verdict = range::evaluate(
			&definition,
			range_work.result(),
			&work.result_hash(),
			30,
			[9; 32],
			|i| range_work.answer(i),
		)
		.unwrap();
		assert!(!verdict.pass, "half the values skipped, 30 samples");
	}

	#[test]
	fn storage_results_are_receipts_of_the_definition() {
		let blob: Vec<u8> = (0..200u8).collect();
		let limits = Limits::default();
		let definition = StoredBlob::new(&blob, 10, &limits).unwrap().definition(5).unwrap();
		let seed = cheat_seed(4, &definition.definition_hash());
		let work = hold_blob(&definition, &blob, &limits, None, seed).unwrap();
		assert_eq!(work.result_hash(), definition.definition_hash());
		let evidence = work.evidence(4);
		assert_eq!((evidence.root, evidence.count), (definition.blob_root, 20));
		let Work::Storage(_, stored) = &work else { panic!("storage") };
		let verdict =
			gpow_market::storage::evaluate(&definition, 20, [1; 32], |c| stored.answer(c)).unwrap();
		assert!(verdict.pass, "{verdict}");

		let cheat = hold_blob(&definition, &blob, &limits, Some(1.0), seed).unwrap();
		let Work::Storage(_, dropped) = &cheat else { panic!("storage") };
		let verdict =
			gpow_market::storage::evaluate(&definition, 5, [1; 32], |c| dropped.answer(c)).unwrap();
		assert!(!verdict.pass);
		let mut other = blob.clone();
		other[3] ^= 1;
		assert_eq!(
			hold_blob(&definition, &other, &limits, None, seed).unwrap_err(),
			WorkError::Storage(StorageError::DefinitionMismatch)
		);
	}
}
