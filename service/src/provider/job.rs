//! A job: what the provider knows and has done of one instance assigned to it, kept in the
//! store as `jobs/<instance>.json` and written before and after every step.
//!
//! ```text
//! Assigned --deliver--> Delivered --compute--> Computed --submit--> Submitted --+
//!     |                     |                      |                            |
//!     +---------------------+----------------------+------ finish --------------+--> Finished
//!     |                                                                         |
//!     +--- not delivered in time, or refused --> Declining --- finish ----------+
//! ```
//!
//! A job only moves forward ([`Job::advance`] refuses anything else with a [`StageError`]):
//! after a restart each job resumes from its stage, so no work is lost and none is done twice.
//! A finished job keeps its data for a while (panel and consumer may still ask), then drops it
//! ([`Job::drop_data`]); its record stays so the instance is never taken on again.

use gpow_market::ServiceKind;
use gpow_runtime::{AccountId, BlockNumber, Hash, Nonce};
use pallet_services::{decline_until, InstanceStatus};

/// The blocks before the end of an instance's decline window (the middle of its time, see
/// [`decline_until`]) at which a provider gives up waiting for the delivery and declines: room
/// for the `decline` transaction to be included while the chain still takes it (PoW blocks come
/// at random intervals, and a transaction may miss the block being mined).
pub const DECLINE_MARGIN: BlockNumber = 6;
use serde::{Deserialize, Serialize};

/// Where a job stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "stage")]
pub enum Stage {
	/// Assigned on chain; the consumer has not delivered the definition yet.
	Assigned,
	/// The definition (and blob) is in the store.
	Delivered,
	/// The provider declines the instance on chain: it was not delivered in time, or the
	/// provider refused the work.
	#[serde(rename_all = "camelCase")]
	Declining {
		/// Why, in words.
		why: String,
		/// The nonce of the last `decline` transaction sent, if one was (not sent twice while
		/// it waits in the pool).
		#[serde(default, skip_serializing_if = "Option::is_none")]
		sent: Option<Nonce>,
	},
	/// The result frame and the evidence record are in the store.
	#[serde(rename_all = "camelCase")]
	Computed {
		/// The result hash to submit.
		result: Hash,
		/// The evidence hash to submit.
		evidence: Hash,
		/// The nonce of the last `submit_result` transaction sent, if one was: while it waits
		/// in the pool the result is not sent again.
		#[serde(default, skip_serializing_if = "Option::is_none")]
		sent: Option<Nonce>,
	},
	/// The result is on chain.
	#[serde(rename_all = "camelCase")]
	Submitted {
		/// The result hash submitted.
		result: Hash,
		/// The evidence hash submitted.
		evidence: Hash,
		/// The block it was submitted in, when this daemon saw it included (none when it found
		/// the instance evaluating already, submitted before a crash).
		block: Option<BlockNumber>,
	},
	/// The instance is over on chain.
	#[serde(rename_all = "camelCase")]
	Finished {
		/// How it ended.
		outcome: Outcome,
		/// The best block when the daemon saw it end.
		at: BlockNumber,
		/// Whether the job's data has been dropped.
		dropped: bool,
	},
}

impl Stage {
	/// The stage's rank in the order jobs move through.
	fn rank(&self) -> u8 {
		match self {
			Stage::Assigned => 0,
			// Neither follows the other: a declined job takes no delivery.
			Stage::Delivered | Stage::Declining { .. } => 1,
			Stage::Computed { .. } => 2,
			Stage::Submitted { .. } => 3,
			Stage::Finished { .. } => 4,
		}
	}

	/// The stage's name, for logs.
	pub fn name(&self) -> &'static str {
		match self {
			Stage::Assigned => "assigned",
			Stage::Delivered => "delivered",
			Stage::Declining { .. } => "declining",
			Stage::Computed { .. } => "computed",
			Stage::Submitted { .. } => "submitted",
			Stage::Finished { .. } => "finished",
		}
	}
}

/// How an instance ended on chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
	/// The panel passed the work: the provider was paid.
	Completed,
	/// The panel failed the work: the consumer was refunded and the backing forfeited.
	Failed,
	/// The panel reached no quorum: the consumer was refunded, no slash.
	Unjudged,
	/// The deadline passed without a result: the consumer cancelled, the backing was slashed.
	Cancelled,
	/// The provider declined it: the consumer was refunded, no slash.
	Declined,
	/// The instance is no longer on chain (closed by its consumer).
	Closed,
}

impl Outcome {
	/// The outcome of an instance whose status is `status` (`None`: not on chain), if it is
	/// over.
	pub fn of(status: Option<&InstanceStatus<Hash>>) -> Option<Outcome> {
		match status {
			None => Some(Outcome::Closed),
			Some(InstanceStatus::Assigned | InstanceStatus::Evaluating { .. }) => None,
			Some(InstanceStatus::Completed) => Some(Outcome::Completed),
			Some(InstanceStatus::Failed) => Some(Outcome::Failed),
			Some(InstanceStatus::Unjudged) => Some(Outcome::Unjudged),
			Some(InstanceStatus::Cancelled) => Some(Outcome::Cancelled),
			Some(InstanceStatus::Declined) => Some(Outcome::Declined),
		}
	}
}

/// A step a job cannot take from its stage.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("instance {instance}: cannot go from {from} to {to}")]
pub struct StageError {
	/// The instance.
	pub instance: u64,
	/// The job's stage.
	pub from: &'static str,
	/// The stage asked for.
	pub to: &'static str,
}

/// One instance assigned to this provider, as the chain told it and as far as the work went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
	/// The instance.
	pub instance: u64,
	/// Its kind of work.
	#[serde(with = "kind_name")]
	pub kind: ServiceKind,
	/// Its service type.
	pub service_type: u32,
	/// Its consumer.
	pub consumer: AccountId,
	/// The definition hash on chain.
	pub definition: Hash,
	/// The volume on chain.
	pub volume: u64,
	/// The block it was requested in.
	pub requested_at: BlockNumber,
	/// The result must be on chain before this block.
	pub deadline: BlockNumber,
	/// Where it stands.
	#[serde(flatten)]
	pub stage: Stage,
}

impl Job {
	/// Moves the job to `next`, a later stage (a finished job only drops its data; a declining
	/// one only finishes).
	pub fn advance(&mut self, next: Stage) -> Result<(), StageError> {
		let declining = matches!(self.stage, Stage::Declining { .. });
		if next.rank() <= self.stage.rank()
			|| (declining && !matches!(next, Stage::Finished { .. }))
		{
			return Err(StageError {
				instance: self.instance,
				from: self.stage.name(),
				to: next.name(),
			});
		}
		self.stage = next;
		Ok(())
	}

	/// Finishes the job with `outcome`, seen at block `at`: a job that never had data has none
	/// to drop.
	pub fn finish(&mut self, outcome: Outcome, at: BlockNumber) -> Result<(), StageError> {
		let dropped = !self.has_data();
		self.advance(Stage::Finished { outcome, at, dropped })
	}

	/// Notes that the result (or the decline) was sent with `nonce` (a computed or declining
	/// job only).
	pub fn note_sent(&mut self, nonce: Nonce) -> Result<(), StageError> {
		match &mut self.stage {
			Stage::Computed { sent, .. } | Stage::Declining { sent, .. } => {
				*sent = Some(nonce);
				Ok(())
			},
			other => Err(StageError { instance: self.instance, from: other.name(), to: "sent" }),
		}
	}

	/// The nonce the result (or the decline) was last sent with, if it was.
	pub fn sent(&self) -> Option<Nonce> {
		match self.stage {
			Stage::Computed { sent, .. } | Stage::Declining { sent, .. } => sent,
			_ => None,
		}
	}

	/// Marks a finished job's data dropped.
	pub fn drop_data(&mut self) -> Result<(), StageError> {
		match &mut self.stage {
			Stage::Finished { dropped, .. } if !*dropped => {
				*dropped = true;
				Ok(())
			},
			other => Err(StageError { instance: self.instance, from: other.name(), to: "dropped" }),
		}
	}

	/// Whether the definition has been delivered and its data is still kept.
	pub fn has_data(&self) -> bool {
		match self.stage {
			Stage::Assigned | Stage::Declining { .. } => false,
			Stage::Finished { dropped, .. } => !dropped,
			_ => true,
		}
	}

	/// Whether the instance is over on chain.
	pub fn is_finished(&self) -> bool {
		matches!(self.stage, Stage::Finished { .. })
	}

	/// The result and evidence hashes, once computed.
	pub fn result(&self) -> Option<(Hash, Hash)> {
		match self.stage {
			Stage::Computed { result, evidence, .. }
			| Stage::Submitted { result, evidence, .. } => Some((result, evidence)),
			_ => None,
		}
	}

	/// The first block in which the chain no longer takes this provider's `decline`.
	pub fn decline_until(&self) -> BlockNumber {
		decline_until(self.requested_at, self.deadline)
	}

	/// The best block from which an undelivered job is declined: [`DECLINE_MARGIN`] blocks
	/// before [`Job::decline_until`] (fewer in a short window, whose first half the consumer
	/// keeps; a window too short to land a `decline` in is never declined, see
	/// [`Job::can_decline_after`]).
	pub fn decline_from(&self) -> BlockNumber {
		let until = self.decline_until();
		let margin = DECLINE_MARGIN.min(until.saturating_sub(self.requested_at) / 2);
		until.saturating_sub(margin)
	}

	/// A declining job whose `decline` came too late for the chain goes back to waiting for its
	/// delivery: the consumer may still deliver before the deadline.
	pub fn reopen(&mut self) -> Result<(), StageError> {
		match self.stage {
			Stage::Declining { .. } => {
				self.stage = Stage::Assigned;
				Ok(())
			},
			_ => {
				Err(StageError { instance: self.instance, from: self.stage.name(), to: "reopened" })
			},
		}
	}

	/// Whether the best block `best` leaves room to decline: the next block, the first the
	/// `decline` can be in, is before [`Job::decline_until`].
	pub fn can_decline_after(&self, best: BlockNumber) -> bool {
		best.saturating_add(1) < self.decline_until()
	}

	/// Whether the provider declined (or is declining) the instance.
	pub fn is_declined(&self) -> bool {
		matches!(
			self.stage,
			Stage::Declining { .. } | Stage::Finished { outcome: Outcome::Declined, .. }
		)
	}

	/// The block from which the result may be submitted: at once for range compute, after the
	/// term for storage (`term_blocks` from the request block).
	pub fn submit_from(&self, term_blocks: Option<u32>) -> BlockNumber {
		self.requested_at.saturating_add(term_blocks.unwrap_or(0))
	}
}

/// A [`ServiceKind`] by its name in JSON.
mod kind_name {
	use gpow_market::ServiceKind;
	use serde::{de::Error, Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(kind: &ServiceKind, s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(kind.name())
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ServiceKind, D::Error> {
		let name = String::deserialize(d)?;
		ServiceKind::from_name(&name)
			.ok_or_else(|| D::Error::custom(format!("unknown kind {name}")))
	}
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;

	/// A job of `kind` for instance `instance`, requested at block 10, due before block 30.
	pub(crate) fn job(instance: u64, kind: ServiceKind) -> Job {
		Job {
			instance,
			kind,
			service_type: 0,
			consumer: AccountId::new([7; 32]),
			definition: Hash::repeat_byte(1),
			volume: 4,
			requested_at: 10,
			deadline: 30,
			stage: Stage::Assigned,
		}
	}

	#[test]
	fn a_job_moves_forward_only() {
		let mut job = job(3, ServiceKind::Range);
		assert!(!job.has_data());
		job.advance(Stage::Delivered).unwrap();
		assert!(job.has_data());
		assert_eq!(
			job.advance(Stage::Assigned),
			Err(StageError { instance: 3, from: "delivered", to: "assigned" })
		);
		assert_eq!(job.advance(Stage::Delivered).unwrap_err().to, "delivered");
		let (result, evidence) = (Hash::repeat_byte(2), Hash::repeat_byte(3));
		job.advance(Stage::Computed { result, evidence, sent: None }).unwrap();
		assert_eq!(job.result(), Some((result, evidence)));
		assert!(job.drop_data().is_err(), "data is kept until the instance is over");
		assert_eq!(job.sent(), None);
		job.note_sent(7).unwrap();
		assert_eq!(job.sent(), Some(7));
		job.advance(Stage::Submitted { result, evidence, block: Some(12) }).unwrap();
		assert_eq!(job.result(), Some((result, evidence)));
		assert_eq!(job.sent(), None);
		assert!(job.note_sent(8).is_err(), "only a computed job is sent");
		job.finish(Outcome::Completed, 40).unwrap();
		assert!(job.is_finished() && job.has_data());
		job.drop_data().unwrap();
		assert!(!job.has_data());
		assert!(job.drop_data().is_err(), "dropped once");
		let again = Stage::Finished { outcome: Outcome::Failed, at: 41, dropped: false };
		assert!(job.advance(again).is_err());
	}

	#[test]
	fn a_job_may_finish_from_any_stage() {
		let mut job = job(4, ServiceKind::Storage);
		job.finish(Outcome::Cancelled, 31).unwrap();
		assert!(job.is_finished() && !job.has_data(), "nothing was delivered, nothing to keep");
		assert!(job.drop_data().is_err());
		let mut job = self::job(5, ServiceKind::Range);
		job.advance(Stage::Delivered).unwrap();
		job.finish(Outcome::Cancelled, 31).unwrap();
		assert!(job.has_data(), "kept for a while");
		assert!(job.finish(Outcome::Closed, 32).is_err());
	}

	#[test]
	fn jobs_round_trip_through_json() {
		let mut job = job(5, ServiceKind::Storage);
		let (result, evidence) = (Hash::repeat_byte(2), Hash::repeat_byte(3));
		job.advance(Stage::Submitted { result, evidence, block: None }).unwrap();
		let json = serde_json::to_string(&job).unwrap();
		assert!(json.contains("\"stage\":\"submitted\""), "{json}");
		assert!(json.contains("\"kind\":\"storage\""), "{json}");
		assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), job);
		let bad = json.replace("\"storage\"", "\"compute\"");
		assert!(serde_json::from_str::<Job>(&bad).is_err());
		// A computed job with a result sent, and one written before the nonce was recorded.
		let mut computed = self::job(6, ServiceKind::Range);
		computed.advance(Stage::Computed { result, evidence, sent: Some(4) }).unwrap();
		let json = serde_json::to_string(&computed).unwrap();
		assert!(json.contains("\"sent\":4"), "{json}");
		assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), computed);
		let old = json.replace(",\"sent\":4", "");
		assert_eq!(serde_json::from_str::<Job>(&old).unwrap().sent(), None);
	}

	#[test]
	fn outcomes_follow_the_status() {
		assert_eq!(Outcome::of(Some(&InstanceStatus::Assigned)), None);
		let evaluating = InstanceStatus::Evaluating { pool: 1, post: 2, result: Hash::zero() };
		assert_eq!(Outcome::of(Some(&evaluating)), None);
		assert_eq!(Outcome::of(Some(&InstanceStatus::Completed)), Some(Outcome::Completed));
		assert_eq!(Outcome::of(Some(&InstanceStatus::Failed)), Some(Outcome::Failed));
		assert_eq!(Outcome::of(Some(&InstanceStatus::Unjudged)), Some(Outcome::Unjudged));
		assert_eq!(Outcome::of(Some(&InstanceStatus::Cancelled)), Some(Outcome::Cancelled));
		assert_eq!(Outcome::of(Some(&InstanceStatus::Declined)), Some(Outcome::Declined));
		assert_eq!(Outcome::of(None), Some(Outcome::Closed));
	}

	#[test]
	fn a_declined_job_takes_no_delivery_and_keeps_its_nonce() {
		let mut job = job(7, ServiceKind::Range);
		assert!(!job.is_declined());
		job.advance(Stage::Declining { why: "not delivered".into(), sent: None })
			.unwrap();
		assert!(job.is_declined() && !job.has_data());
		assert_eq!(
			job.advance(Stage::Delivered),
			Err(StageError { instance: 7, from: "declining", to: "delivered" })
		);
		let computed = Stage::Computed { result: Hash::zero(), evidence: Hash::zero(), sent: None };
		assert!(job.advance(computed).is_err(), "a declining job only finishes");
		job.note_sent(9).unwrap();
		assert_eq!(job.sent(), Some(9));
		let mut late = job.clone();
		late.reopen().unwrap();
		assert_eq!(late.stage, Stage::Assigned, "too late to decline: waiting for the delivery");
		late.advance(Stage::Delivered).unwrap();
		assert!(late.reopen().is_err());
		let json = serde_json::to_string(&job).unwrap();
		assert!(json.contains("\"stage\":\"declining\""), "{json}");
		assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), job);
		job.finish(Outcome::Declined, 18).unwrap();
		assert!(job.is_declined() && job.is_finished() && !job.has_data());
		let mut delivered = self::job(8, ServiceKind::Range);
		delivered.advance(Stage::Delivered).unwrap();
		let declining = Stage::Declining { why: "late".into(), sent: None };
		assert!(delivered.advance(declining).is_err(), "delivered work is done, not declined");
	}

	#[test]
	fn an_undelivered_job_is_declined_before_the_middle_of_its_time() {
		// Requested at 10, due before 30: the chain takes `decline` before block 20.
		let job = job(6, ServiceKind::Range);
		assert_eq!((job.decline_until(), job.decline_from()), (20, 15));
		assert!(job.can_decline_after(18) && !job.can_decline_after(19));
		// A 4-block window keeps its first half for the consumer.
		let short = Job { deadline: 18, ..job.clone() };
		assert_eq!((short.decline_until(), short.decline_from()), (14, 12));
		// A 1-block window: the decline could land in no block.
		let tiny = Job { deadline: 12, ..job };
		assert_eq!((tiny.decline_until(), tiny.decline_from()), (11, 11));
		assert!(!tiny.can_decline_after(tiny.decline_from()));
	}

	#[test]
	fn storage_submits_after_its_term() {
		let job = job(6, ServiceKind::Storage);
		assert_eq!(job.submit_from(Some(8)), 18);
		assert_eq!(job.submit_from(None), 10);
	}
}
