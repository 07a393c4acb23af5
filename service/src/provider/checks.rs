//! The checks of an opened delivery against its instance on chain, each refusal named
//! ([`Refusal`]): the delivery names the instance, its definition frame decodes as the type's
//! kind and hashes to the definition hash, the work is within the provider's limits, the volume
//! paid for on chain covers it, and a storage term ends before the deadline.

use std::fmt;

use gpow_market::{
	kind,
	range::RangeDefinition,
	storage::{StorageDefinition, StoredBlob},
	wire, Limits, ServiceKind,
};

use crate::{
	endpoint::{Delivery, EndpointError},
	provider::job::Job,
	types::SUBMIT_MARGIN,
};

/// A named refusal and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
	/// The name the caller gets.
	pub error: EndpointError,
	/// Why, in words.
	pub reason: String,
}

impl Refusal {
	/// `error`, because of `reason`.
	pub fn new(error: EndpointError, reason: impl fmt::Display) -> Self {
		Refusal { error, reason: reason.to_string() }
	}
}

impl fmt::Display for Refusal {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "{} ({})", self.error.name(), self.reason)
	}
}

/// A delivery that passed the checks.
#[derive(Clone, Debug)]
pub enum Checked {
	/// A range to compute.
	Range(RangeDefinition),
	/// A blob to keep, taken on already.
	Storage(StorageDefinition, Box<StoredBlob>),
}

/// Checks `delivery`, opened for `job`'s instance, against what the chain says of the instance
/// and against `limits`.
pub fn check_delivery(job: &Job, delivery: &Delivery, limits: &Limits) -> Result<Checked, Refusal> {
	if delivery.instance != job.instance {
		let why = format!("the delivery is for instance {}", delivery.instance);
		return Err(Refusal::new(EndpointError::Malformed, why));
	}
	let (definition, blob) = (&delivery.definition[..], &delivery.blob[..]);
	let malformed = |e: wire::WireError| Refusal::new(EndpointError::Malformed, e);
	match job.kind {
		ServiceKind::Range => {
			let range: RangeDefinition = wire::decode(definition).map_err(malformed)?;
			same_hash(job, range.definition_hash())?;
			if !blob.is_empty() {
				let why = "a range-compute delivery carries no blob";
				return Err(Refusal::new(EndpointError::Malformed, why));
			}
			range.check(limits).map_err(|e| Refusal::new(EndpointError::Refused, e))?;
			// `check` refused an empty or inverted range.
			let needed = kind::range_volume(&range).unwrap_or(u64::MAX);
			enough_volume(job, needed)?;
			Ok(Checked::Range(range))
		},
		ServiceKind::Storage => {
			let storage: StorageDefinition = wire::decode(definition).map_err(malformed)?;
			same_hash(job, storage.definition_hash())?;
			storage.check(limits).map_err(|e| Refusal::new(EndpointError::Refused, e))?;
			enough_volume(job, kind::storage_volume(&storage))?;
			let term_end = job.requested_at.saturating_add(storage.term_blocks);
			if term_end.saturating_add(SUBMIT_MARGIN) > job.deadline {
				let why = format!(
					"the term of {} blocks from block {} ends after the deadline {} (less {} \
					 blocks to submit)",
					storage.term_blocks, job.requested_at, job.deadline, SUBMIT_MARGIN
				);
				return Err(Refusal::new(EndpointError::Refused, why));
			}
			// The definition passed its checks: a blob that does not fit it (empty, too many
			// chunks, another root) is the consumer's to send again, not work to refuse.
			let stored = StoredBlob::accept(&storage, blob, limits)
				.map_err(|e| Refusal::new(EndpointError::DefinitionMismatch, e))?;
			Ok(Checked::Storage(storage, Box::new(stored)))
		},
	}
}

/// Refuses a definition whose hash (`definition_hash`) is not the instance's definition hash.
fn same_hash(job: &Job, hash: gpow_market::Hash) -> Result<(), Refusal> {
	if hash != job.definition.0 {
		let why = format!(
			"the definition hashes to 0x{}, the instance's definition hash is {:?}",
			sp_core::hexdisplay::HexDisplay::from(&hash),
			job.definition
		);
		return Err(Refusal::new(EndpointError::DefinitionMismatch, why));
	}
	Ok(())
}

/// Refuses work that takes more volume than the instance pays for.
fn enough_volume(job: &Job, needed: u64) -> Result<(), Refusal> {
	if job.volume < needed {
		let why =
			format!("the definition takes {needed} units, the instance pays for {}", job.volume);
		return Err(Refusal::new(EndpointError::Refused, why));
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::provider::job::tests::job;
	use gpow_runtime::Hash;
	use std::num::NonZeroU64;

	fn range(end: u64) -> RangeDefinition {
		let target = gpow_market::range::target_one_in(NonZeroU64::new(16).unwrap());
		RangeDefinition { salt: [3; 32], start: 0, end, target }
	}

	fn range_job(definition: &RangeDefinition) -> Job {
		let mut job = job(1, ServiceKind::Range);
		job.definition = Hash::from(definition.definition_hash());
		job
	}

	/// Checks the delivery of `definition` and `blob` for `job`'s instance.
	fn check(
		job: &Job,
		definition: &[u8],
		blob: &[u8],
		limits: &Limits,
	) -> Result<Checked, Refusal> {
		let delivery = Delivery {
			instance: job.instance,
			definition: definition.to_vec(),
			blob: blob.to_vec(),
		};
		check_delivery(job, &delivery, limits)
	}

	fn refusal(result: Result<Checked, Refusal>) -> EndpointError {
		result.expect_err("refused").error
	}

	#[test]
	fn a_good_range_delivery_passes() {
		let definition = range(4096);
		let frame = wire::encode(&definition).unwrap();
		let job = range_job(&definition);
		let checked = check(&job, &frame, &[], &Limits::default());
		assert!(matches!(checked, Ok(Checked::Range(d)) if d == definition));
		let elsewhere = Delivery { instance: 2, definition: frame, blob: Vec::new() };
		let refused = check_delivery(&job, &elsewhere, &Limits::default()).unwrap_err();
		assert_eq!(refused.error, EndpointError::Malformed);
	}

	#[test]
	fn range_refusals_are_named() {
		let definition = range(4096);
		let job = range_job(&definition);
		let limits = Limits::default();
		let frame = wire::encode(&definition).unwrap();
		let other = wire::encode(&range(4095)).unwrap();
		assert_eq!(refusal(check(&job, &other, &[], &limits)), EndpointError::DefinitionMismatch);
		assert_eq!(refusal(check(&job, &frame[..10], &[], &limits)), EndpointError::Malformed);
		assert_eq!(refusal(check(&job, &frame, &[1], &limits)), EndpointError::Malformed);
		let storage =
			StorageDefinition { blob_root: [0; 32], chunk_size: 1, chunks: 1, term_blocks: 1 };
		let storage = wire::encode(&storage).unwrap();
		assert_eq!(refusal(check(&job, &storage, &[], &limits)), EndpointError::Malformed);
		let small = Limits { max_values: 100, ..limits };
		let refused = check(&job, &frame, &[], &small).unwrap_err();
		assert_eq!(refused.error, EndpointError::Refused);
		assert!(refused.reason.contains("more than the limit"), "{refused}");
		// 4096 values take 4 units; the instance pays for 3.
		let short = Job { volume: 3, ..job };
		let refused = check(&short, &frame, &[], &limits).unwrap_err();
		assert_eq!(refused.error, EndpointError::Refused);
		assert!(refused.reason.contains("takes 4 units"), "{refused}");
	}

	fn storage_job(blob: &[u8], term: u32) -> (Job, Vec<u8>) {
		let stored = StoredBlob::new(blob, 16, &Limits::default()).unwrap();
		let definition = stored.definition(term).unwrap();
		let mut job = job(2, ServiceKind::Storage);
		job.definition = Hash::from(definition.definition_hash());
		(job, wire::encode(&definition).unwrap())
	}

	#[test]
	fn storage_deliveries_are_checked_with_their_blob() {
		let blob: Vec<u8> = (0..60u8).collect();
		let limits = Limits::default();
		// Requested at 10, due before 30: a term of 17 ends at 27, 3 blocks before.
		let (job, frame) = storage_job(&blob, 17);
		assert!(matches!(check(&job, &frame, &blob, &limits), Ok(Checked::Storage(..))));
		let mut other = blob.clone();
		other[0] ^= 1;
		let refused = check(&job, &frame, &other, &limits).unwrap_err();
		assert_eq!(refused.error, EndpointError::DefinitionMismatch);
		// An empty blob is the consumer's to send again: not a refusal of the work.
		let empty = EndpointError::DefinitionMismatch;
		assert_eq!(refusal(check(&job, &frame, &[], &limits)), empty);
		let (job, frame) = storage_job(&blob, 18);
		let refused = check(&job, &frame, &blob, &limits).unwrap_err();
		assert_eq!(refused.error, EndpointError::Refused);
		assert!(refused.reason.contains("after the deadline"), "{refused}");
		// 60 bytes in chunks of 16 are 4 chunks; the instance pays for 4.
		let (job, frame) = storage_job(&blob, 5);
		let short = Job { volume: 3, ..job.clone() };
		assert_eq!(refusal(check(&short, &frame, &blob, &limits)), EndpointError::Refused);
		let tiny = Limits { max_chunk_size: 8, ..limits };
		assert_eq!(refusal(check(&job, &frame, &blob, &tiny)), EndpointError::Refused);
	}
}
