//! The JSON shapes of the `mining_*` methods. Hashes are `0x`-prefixed hex; difficulties and
//! nonces are decimal strings (they do not fit a JavaScript number); counts are JSON numbers.

use primitive_types::{H256, U256};
use serde::{Deserialize, Serialize};

/// A unit of work for one worker: a block template's pre-hash, the difficulties, and the nonces
/// this worker should try (`nonceStart..=nonceEnd`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
	/// Names the job in `mining_submitWork`; a new template gets a new id.
	pub job_id: u64,
	/// The 32 bytes the work commits to: `work = blake2_256(preHash ++ nonce_le)`.
	pub pre_hash: H256,
	/// The block the template builds on.
	pub parent_hash: H256,
	/// The number of the block being mined.
	pub number: u64,
	/// The difficulty a block needs (work × difficulty ≤ 2^256 − 1).
	#[serde(with = "decimal_u256")]
	pub difficulty: U256,
	/// The lower difficulty a share needs; every share is counted for the worker.
	#[serde(with = "decimal_u256")]
	pub share_difficulty: U256,
	/// The first nonce of the worker's range.
	#[serde(with = "decimal_u64")]
	pub nonce_start: u64,
	/// The last nonce of the worker's range (inclusive).
	#[serde(with = "decimal_u64")]
	pub nonce_end: u64,
	/// The worker the range belongs to.
	pub worker: String,
}

/// What an accepted submission was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
	/// The work meets the share difficulty only: counted as a share.
	Share,
	/// The work meets the block difficulty: the block was sealed and imported (and counted as a
	/// share and a block).
	Block,
}

/// The answer to an accepted `mining_submitWork`; refusals are JSON-RPC errors
/// ([`crate::ErrorKind`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Submitted {
	/// Share or block.
	pub status: Status,
	/// The job the nonce was for.
	pub job_id: u64,
	/// The number of the block the job mines.
	pub number: u64,
}

/// The counts of one worker, for a pool operator to pay by shares.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkerShares {
	/// The name the worker gave.
	pub worker: String,
	/// Accepted shares (blocks included).
	pub shares: u64,
	/// Blocks sealed from this worker's nonces.
	pub blocks: u64,
	/// Submissions for a job that was no longer current.
	pub stale: u64,
	/// Submissions refused as invalid: malformed nonce, outside the worker's range, work below
	/// the share difficulty, or a job this node never issued.
	pub invalid: u64,
	/// Nonces submitted again for the same job.
	pub duplicates: u64,
	/// The first nonce of the worker's range.
	#[serde(with = "decimal_u64")]
	pub nonce_start: u64,
	/// The last nonce of the worker's range (inclusive).
	#[serde(with = "decimal_u64")]
	pub nonce_end: u64,
	/// When the worker last asked for work or submitted, in milliseconds since the Unix epoch.
	pub last_seen: u64,
}

/// Serde of a `u64` as a decimal string.
pub mod decimal_u64 {
	use serde::{Deserialize, Deserializer, Serializer};

	/// Writes `value` as a decimal string.
	pub fn serialize<S: Serializer>(value: &u64, s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&value.to_string())
	}

	/// Reads a decimal string.
	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
		let text = String::deserialize(d)?;
		text.parse().map_err(serde::de::Error::custom)
	}
}

/// Serde of a `U256` as a decimal string.
pub mod decimal_u256 {
	use primitive_types::U256;
	use serde::{Deserialize, Deserializer, Serializer};

	/// Writes `value` as a decimal string.
	pub fn serialize<S: Serializer>(value: &U256, s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&value.to_string())
	}

	/// Reads a decimal string.
	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<U256, D::Error> {
		let text = String::deserialize(d)?;
		U256::from_dec_str(&text).map_err(|e| serde::de::Error::custom(format!("{e:?}")))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_job_is_camel_case_with_decimal_numbers() {
		let job = Job {
			job_id: 7,
			pre_hash: H256::repeat_byte(1),
			parent_hash: H256::repeat_byte(2),
			number: 3,
			difficulty: U256::from(640),
			share_difficulty: U256::from(10),
			nonce_start: 0,
			nonce_end: u64::MAX,
			worker: "rig".into(),
		};
		let json = serde_json::to_value(&job).unwrap();
		assert_eq!(json["jobId"], 7);
		assert_eq!(json["preHash"], format!("0x{}", "01".repeat(32)));
		assert_eq!(json["difficulty"], "640");
		assert_eq!(json["shareDifficulty"], "10");
		assert_eq!(json["nonceEnd"], "18446744073709551615");
		assert_eq!(serde_json::from_value::<Job>(json).unwrap(), job);
	}

	#[test]
	fn a_submission_answer_names_its_status() {
		let answer = Submitted { status: Status::Block, job_id: 1, number: 2 };
		assert_eq!(
			serde_json::to_string(&answer).unwrap(),
			r#"{"status":"block","jobId":1,"number":2}"#
		);
	}
}
