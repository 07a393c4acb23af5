//! The pallet's types: the governed terms and the block's work usage (the seal, quote and
//! refusal codes are `gpow-primitives-work`'s).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

pub use gpow_primitives_work::{CallId, WorkQuote, WorkRefusal, WorkSeal};

/// What work-paid transactions cost and which calls may be paid by work; set at genesis and by
/// [`crate::Config::AdminOrigin`] (governance's `parameters` track).
///
/// The effort a call requires (expected hashes) is
/// `multiplier × (base_effort + effort_per_byte × len(call) + effort_per_micros × weight(call) / 1 µs)`,
/// where `len` is the encoded length of the inner call and `weight` its dispatch weight
/// (`ref_time`).
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
#[scale_info(skip_type_params(MaxCalls))]
#[serde(bound = "")]
pub struct WorkTerms<MaxCalls: Get<u32>> {
	/// The effort every work-paid transaction requires, at least `Config::MinBaseEffort`.
	pub base_effort: u64,
	/// The effort per byte of the inner call's encoding.
	pub effort_per_byte: u64,
	/// The effort per microsecond of the inner call's weight (`ref_time`).
	pub effort_per_micros: u64,
	/// The share of a block's normal-class weight work-paid transactions may use together, at
	/// most `Config::MaxBlockShare`; the rest is left to fee-paying transactions.
	pub block_share: Perbill,
	/// The calls that may be paid by work (pallet index, call index), sorted, no duplicates.
	pub allowed_calls: BoundedVec<CallId, MaxCalls>,
}

impl<MaxCalls: Get<u32>> Default for WorkTerms<MaxCalls> {
	/// No call may be paid by work.
	fn default() -> Self {
		Self {
			base_effort: u64::MAX,
			effort_per_byte: 0,
			effort_per_micros: 0,
			block_share: Perbill::zero(),
			allowed_calls: BoundedVec::new(),
		}
	}
}

impl<MaxCalls: Get<u32>> WorkTerms<MaxCalls> {
	/// Whether `call` (the first two bytes of a call's encoding) is on the allow-list.
	pub fn allows(&self, call: CallId) -> bool {
		self.allowed_calls.binary_search(&call).is_ok()
	}
}

/// The work-paid weight and transactions of the block being built; it sets the next
/// multiplier when the block ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct BlockUsage {
	/// Sum of the work-paid transactions' weight (`ref_time`).
	pub ref_time: u64,
	/// How many work-paid transactions the block holds.
	pub count: u32,
}
