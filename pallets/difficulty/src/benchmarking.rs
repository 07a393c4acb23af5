//! Benchmarks of the difficulty pallet (frame-benchmarking v2).

use super::*;
use crate::Pallet;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get, OnTimestampSet},
	BoundedVec,
};
use sp_runtime::traits::UniqueSaturatedFrom;

/// A realistic target block time for the benchmarks, in ms.
const TARGET_MS: u64 = 60_000;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_target_block_time() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		TargetBlockTime::<T>::put(TARGET_MS);
		let new_target = TARGET_MS / 2;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, new_target);

		assert_eq!(TargetBlockTime::<T>::get(), new_target);
		frame_system::Pallet::<T>::assert_last_event(
			Event::<T>::TargetBlockTimeSet { target_ms: new_target }.into(),
		);
		Ok(())
	}

	/// The retarget `pallet_timestamp` triggers every block, with a full window (worst case:
	/// most data to decode, sum and encode; the oldest entry gets dropped).
	#[benchmark]
	fn on_timestamp_set() {
		let size = u64::from(T::WindowSize::get());
		let difficulty = U256::MAX / 3;
		let window: Vec<(U256, u64)> =
			(0..size).map(|i| (difficulty, i.saturating_mul(TARGET_MS))).collect();
		let window: BoundedVec<_, T::WindowSize> = BoundedVec::truncate_from(window);
		let full = window.len();
		PastDifficultiesAndTimestamps::<T>::put(window);
		CurrentDifficulty::<T>::put(difficulty);
		TargetBlockTime::<T>::put(TARGET_MS);
		// A block twice as fast as the target, so the difficulty actually changes.
		let last = size.saturating_sub(1).saturating_mul(TARGET_MS);
		let now = T::Moment::unique_saturated_from(last.saturating_add(TARGET_MS / 2));

		#[block]
		{
			<Pallet<T> as OnTimestampSet<T::Moment>>::on_timestamp_set(now);
		}

		assert_eq!(PastDifficultiesAndTimestamps::<T>::get().len(), full);
		if full >= 2 {
			assert!(CurrentDifficulty::<T>::get() > difficulty);
		}
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
