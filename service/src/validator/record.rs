//! What the validator keeps and logs of a verdict: everything needed to redo the evaluation
//! (pool, instance, provider, kind, the seed and the block it came from, the samples) and what
//! it cost (bytes read, CPU time). Written to the store as `verdicts/<pool>.json` and logged as
//! one line per round.

use std::fmt;

use gpow_market::ServiceKind;
use gpow_runtime::{AccountId, BlockNumber, Hash};
use pallet_reputation::PoolId;
use serde::{Deserialize, Serialize};

use super::{
	judge::{Judgement, Work},
	seed::hex,
};

/// A reason a piece of work failed, by name and in words.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonRecord {
	/// Its name (`WrongHash`, `Unanswered`...).
	pub name: String,
	/// The reason in full.
	pub detail: String,
}

/// One round of evaluation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundRecord {
	/// The seed, `0x` hex.
	pub seed: String,
	/// The block whose hash is in the seed.
	pub seed_block: BlockNumber,
	/// Its hash, `0x` hex.
	pub seed_block_hash: String,
	/// The samples asked for.
	pub k: u32,
	/// The indices sampled, in the order drawn.
	pub samples: Vec<u64>,
	/// Whether the work passed the round.
	pub pass: bool,
	/// Why it failed.
	pub reasons: Vec<ReasonRecord>,
	/// Reasons beyond those listed.
	pub omitted: u64,
	/// The answers' bytes the evaluation function read.
	pub answer_bytes: u64,
	/// Every byte of frames the endpoint sent.
	pub bytes_read: u64,
	/// The evaluation function's CPU time, in microseconds.
	pub cpu_micros: u64,
	/// The time spent on the endpoint, in milliseconds.
	pub fetch_millis: u64,
}

impl RoundRecord {
	/// The record of `judgement`, drawn from `seed` with `k` samples; the seed holds the hash
	/// of block `block` (number and hash).
	pub fn new(
		judgement: Judgement,
		seed: gpow_market::Hash,
		block: (BlockNumber, Hash),
		k: u32,
	) -> Self {
		RoundRecord {
			seed: hex(&seed),
			seed_block: block.0,
			seed_block_hash: hex(block.1.as_bytes()),
			k,
			samples: judgement.samples,
			pass: judgement.pass,
			reasons: judgement
				.findings
				.iter()
				.map(|f| ReasonRecord { name: f.name().into(), detail: f.to_string() })
				.collect(),
			omitted: judgement.omitted,
			answer_bytes: judgement.answer_bytes,
			bytes_read: judgement.bytes_read,
			cpu_micros: u64::try_from(judgement.cpu.as_micros()).unwrap_or(u64::MAX),
			fetch_millis: u64::try_from(judgement.fetch.as_millis()).unwrap_or(u64::MAX),
		}
	}

	/// The reasons by name, with how many of each: `WrongHash x9, MissingHit`, or `none`.
	pub fn reason_names(&self) -> String {
		let mut counted: Vec<(&str, u64)> = Vec::new();
		for reason in &self.reasons {
			match counted.iter_mut().find(|(name, _)| *name == reason.name) {
				Some((_, count)) => *count += 1,
				None => counted.push((&reason.name, 1)),
			}
		}
		if counted.is_empty() {
			return "none".into();
		}
		let mut names: Vec<String> = counted
			.into_iter()
			.map(|(name, n)| if n == 1 { name.to_string() } else { format!("{name} x{n}") })
			.collect();
		if self.omitted > 0 {
			names.push(format!("{} more", self.omitted));
		}
		names.join(", ")
	}
}

/// A verdict on an instance: its rounds and the vote they gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerdictRecord {
	/// The pool.
	pub pool: PoolId,
	/// The instance.
	pub instance: u64,
	/// The provider, SS58.
	pub provider: String,
	/// The kind (`range`, `storage`).
	pub kind: String,
	/// The provider's endpoint.
	pub endpoint: String,
	/// The definition hash on chain.
	pub definition: String,
	/// The result hash on chain.
	pub result: String,
	/// The rounds (one; two for storage).
	pub rounds: Vec<RoundRecord>,
	/// Whether the work passed every round.
	pub pass: bool,
}

impl VerdictRecord {
	/// The store's name of the verdict in `pool`.
	pub fn file(pool: PoolId) -> String {
		format!("verdicts/{pool}.json")
	}

	/// The verdict on `work` of `provider` in `pool`, from its rounds.
	pub fn new(pool: PoolId, provider: &AccountId, work: &Work, rounds: Vec<RoundRecord>) -> Self {
		VerdictRecord {
			pool,
			instance: work.instance,
			provider: provider.to_string(),
			kind: work.kind.name().into(),
			endpoint: work.endpoint.clone(),
			definition: hex(&work.definition),
			result: hex(&work.result),
			pass: rounds.iter().all(|round| round.pass),
			rounds,
		}
	}

	/// The line logged for round `round` (from 0).
	pub fn round_line(&self, round: usize) -> Option<RoundLine<'_>> {
		Some(RoundLine { verdict: self, index: round, round: self.rounds.get(round)? })
	}

	/// The kind, if it is one this validator knows.
	pub fn service_kind(&self) -> Option<ServiceKind> {
		ServiceKind::from_name(&self.kind)
	}
}

/// The log line of one round of a verdict.
pub struct RoundLine<'a> {
	verdict: &'a VerdictRecord,
	index: usize,
	round: &'a RoundRecord,
}

impl fmt::Display for RoundLine<'_> {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let (v, r) = (self.verdict, self.round);
		let rounds = if v.service_kind() == Some(ServiceKind::Storage) { 2 } else { 1 };
		write!(
			f,
			"pool {}: instance {} ({}, provider {}): round {} of {}: {}: reasons {}; seed {} \
			 (block {} {}), {} samples {:?}, {} answer bytes, {} bytes read, CPU {} us, \
			 endpoint {} ms",
			v.pool,
			v.instance,
			v.kind,
			v.provider,
			self.index + 1,
			rounds,
			if r.pass { "pass" } else { "fail" },
			r.reason_names(),
			r.seed,
			r.seed_block,
			r.seed_block_hash,
			r.k,
			r.samples,
			r.answer_bytes,
			r.bytes_read,
			r.cpu_micros,
			r.fetch_millis,
		)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::validator::judge::{Finding, Frame};
	use gpow_market::Reason;

	#[test]
	fn a_round_lists_its_reasons_by_name() {
		let judgement = Judgement {
			pass: false,
			samples: vec![4, 9, 4],
			findings: vec![
				Finding::Work(Reason::WrongHash { index: 4 }),
				Finding::Work(Reason::WrongHash { index: 9 }),
				Finding::Work(Reason::MissingHit { value: 9 }),
			],
			omitted: 2,
			..Default::default()
		};
		let round = RoundRecord::new(judgement, [1; 32], (5, Hash::repeat_byte(2)), 3);
		assert_eq!(round.reason_names(), "WrongHash x2, MissingHit, 2 more");
		assert_eq!(round.reasons[2].name, "MissingHit");
		assert!(round.reasons[2].detail.starts_with("MissingHit { value: 9 }"));

		let work = Work {
			instance: 8,
			kind: ServiceKind::Range,
			endpoint: "ws://x".into(),
			definition: [3; 32],
			result: [4; 32],
		};
		let verdict = VerdictRecord::new(2, &AccountId::new([0; 32]), &work, vec![round]);
		assert!(!verdict.pass);
		let line = verdict.round_line(0).unwrap().to_string();
		assert!(line.starts_with("pool 2: instance 8 (range, provider 5C4hr"), "{line}");
		assert!(line.contains("round 1 of 1: fail: reasons WrongHash x2"), "{line}");
		assert!(line.contains("3 samples [4, 9, 4]"), "{line}");
		assert!(verdict.round_line(1).is_none());
		let json = serde_json::to_string(&verdict).unwrap();
		assert_eq!(serde_json::from_str::<VerdictRecord>(&json).unwrap(), verdict);

		let unanswered = Finding::Unanswered { what: Frame::Definition, why: "refused".into() };
		assert_eq!(unanswered.name(), "Unanswered");
	}
}
