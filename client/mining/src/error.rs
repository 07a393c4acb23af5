//! The named refusals of the `mining_*` methods and their JSON-RPC error codes (9200-9211).
//!
//! A refusal is a JSON-RPC error `{ "code": 9206, "message": "Stale", "data": "<what happened>" }`:
//! the message is the name, the data says the details in words.

use jsonrpsee::types::{ErrorObject, ErrorObjectOwned};

/// Why a `mining_*` call was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
	/// The node builds no block templates (a sync node: no `--author`, or mining not enabled).
	NotMining,
	/// The node has no template right now (starting, syncing, or just sealed a block).
	NoWork,
	/// The worker name is empty, too long or has characters other than `A-Za-z0-9._-`.
	BadWorker,
	/// The worker table is full of workers active recently.
	TooManyWorkers,
	/// The worker never asked for work (or was forgotten after being idle).
	UnknownWorker,
	/// The job id was never issued by this node.
	UnknownJob,
	/// The job is no longer current (a new template replaced it).
	Stale,
	/// The nonce was already accepted for this job.
	Duplicate,
	/// The work of the nonce does not meet the share difficulty.
	LowWork,
	/// The nonce is outside the worker's range.
	OutOfRange,
	/// The nonce is not a decimal 64-bit number.
	BadNonce,
	/// The job has recorded as many shares as it may; ask for new work.
	JobFull,
}

impl ErrorKind {
	/// Every kind, in code order.
	pub const ALL: [ErrorKind; 12] = [
		ErrorKind::NotMining,
		ErrorKind::NoWork,
		ErrorKind::BadWorker,
		ErrorKind::TooManyWorkers,
		ErrorKind::UnknownWorker,
		ErrorKind::UnknownJob,
		ErrorKind::Stale,
		ErrorKind::Duplicate,
		ErrorKind::LowWork,
		ErrorKind::OutOfRange,
		ErrorKind::BadNonce,
		ErrorKind::JobFull,
	];

	/// The JSON-RPC error code.
	pub fn code(self) -> i32 {
		match self {
			ErrorKind::NotMining => 9200,
			ErrorKind::NoWork => 9201,
			ErrorKind::BadWorker => 9202,
			ErrorKind::TooManyWorkers => 9203,
			ErrorKind::UnknownWorker => 9204,
			ErrorKind::UnknownJob => 9205,
			ErrorKind::Stale => 9206,
			ErrorKind::Duplicate => 9207,
			ErrorKind::LowWork => 9208,
			ErrorKind::OutOfRange => 9209,
			ErrorKind::BadNonce => 9210,
			ErrorKind::JobFull => 9211,
		}
	}

	/// The name, sent as the error's message.
	pub fn name(self) -> &'static str {
		match self {
			ErrorKind::NotMining => "NotMining",
			ErrorKind::NoWork => "NoWork",
			ErrorKind::BadWorker => "BadWorker",
			ErrorKind::TooManyWorkers => "TooManyWorkers",
			ErrorKind::UnknownWorker => "UnknownWorker",
			ErrorKind::UnknownJob => "UnknownJob",
			ErrorKind::Stale => "Stale",
			ErrorKind::Duplicate => "Duplicate",
			ErrorKind::LowWork => "LowWork",
			ErrorKind::OutOfRange => "OutOfRange",
			ErrorKind::BadNonce => "BadNonce",
			ErrorKind::JobFull => "JobFull",
		}
	}

	/// The kind of a JSON-RPC error code, if it is one of these.
	pub fn from_code(code: i32) -> Option<ErrorKind> {
		Self::ALL.into_iter().find(|k| k.code() == code)
	}
}

/// A refusal: its kind and the details in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
	/// What kind of refusal.
	pub kind: ErrorKind,
	/// What happened, for people.
	pub detail: String,
}

impl Refusal {
	/// A refusal of `kind` with `detail`.
	pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
		Self { kind, detail: detail.into() }
	}
}

impl core::fmt::Display for Refusal {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "{} ({}): {}", self.kind.name(), self.kind.code(), self.detail)
	}
}

impl From<Refusal> for ErrorObjectOwned {
	fn from(refusal: Refusal) -> Self {
		ErrorObject::owned(refusal.kind.code(), refusal.kind.name(), Some(refusal.detail))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn codes_are_distinct_and_round_trip() {
		for (i, kind) in ErrorKind::ALL.into_iter().enumerate() {
			assert_eq!(kind.code(), 9200 + i as i32);
			assert_eq!(ErrorKind::from_code(kind.code()), Some(kind));
		}
		assert_eq!(ErrorKind::from_code(9199), None);
		assert_eq!(ErrorKind::Stale.code(), 9206);
	}

	#[test]
	fn a_refusal_becomes_a_named_json_rpc_error() {
		let error: ErrorObjectOwned = Refusal::new(ErrorKind::Duplicate, "nonce 5 again").into();
		assert_eq!(error.code(), 9207);
		assert_eq!(error.message(), "Duplicate");
		assert_eq!(error.data().map(|d| d.get()), Some("\"nonce 5 again\""));
	}
}
