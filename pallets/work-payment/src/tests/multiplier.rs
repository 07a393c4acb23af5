//! The multiplier: up when work-paid transactions fill their share, back down when they do not,
//! always within `[1, MaxMultiplier]`.

use super::*;
use crate::{
	pricing::{fullness, next_multiplier},
	Multiplier, Usage,
};
use sp_runtime::{traits::One, FixedPointNumber, FixedU128, Perbill};

const HALF: Perbill = Perbill::from_percent(50);
const FULL: Perbill = Perbill::from_percent(100);

fn after(m: FixedU128, used: u64, limit: u64) -> FixedU128 {
	let max = FixedU128::from_u32(1000);
	next_multiplier(m, fullness(used, limit, 0, 64), HALF, FULL, max)
}

#[test]
fn a_full_share_raises_an_empty_one_lowers_a_target_one_keeps() {
	let m = FixedU128::from_u32(4);
	let max = FixedU128::from_u32(1000);
	assert_eq!(after(m, 100, 100), FixedU128::from_u32(6));
	assert_eq!(after(m, 0, 100), FixedU128::from_u32(2));
	assert_eq!(after(m, 50, 100), m);
	// Bounds: never below 1, never above the ceiling; over-full counts as full.
	assert_eq!(after(FixedU128::one(), 0, 100), FixedU128::one());
	assert_eq!(after(max, 500, 100), max);
	assert_eq!(after(m, 0, 0), FixedU128::from_u32(2));
}

#[test]
fn the_fuller_of_weight_and_count_counts() {
	assert_eq!(fullness(10, 100, 64, 64), FixedU128::one());
	assert_eq!(fullness(100, 100, 0, 64), FixedU128::one());
	assert_eq!(fullness(25, 100, 8, 64), FixedU128::saturating_from_rational(1, 4));
	assert_eq!(fullness(0, 100, 16, 64), FixedU128::saturating_from_rational(1, 4));
}

#[test]
fn the_multiplier_rises_under_work_load_and_falls_back() {
	new_test_ext().execute_with(|| {
		assert_eq!(Multiplier::<Test>::get(), FixedU128::one());
		let limit = WorkPayment::share_limit(&crate::Terms::<Test>::get());
		for _ in 0..3 {
			Usage::<Test>::put(crate::BlockUsage { ref_time: limit, count: 1 });
			run_to_block(System::block_number() + 1);
		}
		let raised = Multiplier::<Test>::get();
		assert_eq!(raised, FixedU128::saturating_from_rational(27, 8));
		let call = remark(b"dearer");
		let base = crate::pricing::required_effort(
			&test_terms(),
			FixedU128::one(),
			codec::Encode::encoded_size(&call),
			0,
		);
		assert_eq!(required(&call), raised.saturating_mul_int(base));
		run_to_block(System::block_number() + 3);
		assert_eq!(Multiplier::<Test>::get(), FixedU128::one());
		WorkPayment::do_try_state().unwrap();
	});
}
