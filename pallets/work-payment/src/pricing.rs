//! The arithmetic of work payment, free of storage so it can be tested alone: the pre-image a
//! seal commits to, the effort a call requires, the priority a seal earns and the multiplier's
//! update at the end of each block.

use frame_support::pallet_prelude::Get;
use gpow_primitives_pow::U256;
use sp_runtime::{
	traits::{One, Zero},
	FixedPointNumber, FixedU128, Perbill, Saturating,
};

use crate::types::WorkTerms;

pub use gpow_primitives_work::{pre_image, PRE_IMAGE_DOMAIN};

/// The effort (expected hashes) a call requires under `terms` at `multiplier`:
/// `multiplier × (base + per_byte × call_len + per_micros × ref_time / 10^6)`, saturating.
pub fn required_effort<MaxCalls: Get<u32>>(
	terms: &WorkTerms<MaxCalls>,
	multiplier: FixedU128,
	call_len: usize,
	ref_time: u64,
) -> u128 {
	let per_byte = u128::from(terms.effort_per_byte).saturating_mul(call_len as u128);
	let per_weight =
		u128::from(terms.effort_per_micros).saturating_mul(u128::from(ref_time)) / 1_000_000;
	let base = u128::from(terms.base_effort)
		.saturating_add(per_byte)
		.saturating_add(per_weight);
	multiplier.saturating_mul_int(base).max(1)
}

/// The priority of a work-paid transaction that proves `achieved` effort where `required` is
/// asked: `(fee_priority - 1) × min(achieved / required, cap) / cap`, where `fee_priority` is
/// what a fee-paying transaction of the same weight and length gets with no tip. It is therefore
/// always below that fee-paying transaction's, and more work (up to `cap` times the required)
/// ranks higher among work-paid ones.
pub fn priority(fee_priority: u64, achieved: U256, required: u128, cap: u32) -> u64 {
	let ceiling = fee_priority.saturating_sub(1);
	let cap_milli = U256::from(cap.max(1)) * U256::from(1000u32);
	let ratio_milli = achieved
		.saturating_mul(U256::from(1000u32))
		.checked_div(U256::from(required.max(1)))
		.unwrap_or(cap_milli)
		.min(cap_milli);
	// `ratio_milli <= cap_milli`, so the quotient is at most `ceiling` and fits in a u64.
	let scaled = U256::from(ceiling).saturating_mul(ratio_milli) / cap_milli;
	scaled.try_into().unwrap_or(ceiling)
}

/// How full a block's work share was: the larger of the weight used over the share's weight and
/// the work-paid transactions over the most a block takes (both in `[0, 1]`).
pub fn fullness(used: u64, limit: u64, count: u32, max_count: u32) -> FixedU128 {
	let part = |used: u64, limit: u64| {
		if limit == 0 {
			FixedU128::zero()
		} else {
			FixedU128::saturating_from_rational(used.min(limit), limit)
		}
	};
	part(used, limit).max(part(count.into(), max_count.into()))
}

/// The multiplier after a block whose work share was `fullness` full: it moves by
/// `adjustment × (fullness - target)` of itself, up when the share was fuller than `target`,
/// down otherwise, and stays within `[1, max]`.
pub fn next_multiplier(
	multiplier: FixedU128,
	fullness: FixedU128,
	target: Perbill,
	adjustment: Perbill,
	max: FixedU128,
) -> FixedU128 {
	let target = FixedU128::from_perbill(target);
	let adjustment = FixedU128::from_perbill(adjustment);
	let next = if fullness >= target {
		let step = fullness.saturating_sub(target).saturating_mul(adjustment);
		multiplier.saturating_mul(FixedU128::one().saturating_add(step))
	} else {
		let step = target.saturating_sub(fullness).saturating_mul(adjustment);
		multiplier.saturating_mul(FixedU128::one().saturating_sub(step))
	};
	next.clamp(FixedU128::one(), max.max(FixedU128::one()))
}
