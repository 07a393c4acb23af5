//! Benchmarks of the rewards pallet's hooks (frame-benchmarking v2).

use super::*;
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::Hooks;
use frame_system::{pallet_prelude::BlockNumberFor, Pallet as System};
use sp_runtime::{generic::DigestItem, traits::One};

#[benchmarks]
mod benchmarks {
	use super::*;

	/// One block's hooks when the digest names an author: record it, then mint the reward.
	#[benchmark]
	fn on_initialize_with_author() {
		let author: T::AccountId = account("author", 0, 0);
		System::<T>::deposit_log(DigestItem::PreRuntime(POW_ENGINE_ID, author.encode()));
		let n = BlockNumberFor::<T>::one();

		#[block]
		{
			Pallet::<T>::on_initialize(n);
			Pallet::<T>::on_finalize(n);
		}

		assert!(Author::<T>::get().is_none());
	}

	/// One block's hooks without an author digest.
	#[benchmark]
	fn on_initialize_without_author() {
		let n = BlockNumberFor::<T>::one();

		#[block]
		{
			Pallet::<T>::on_initialize(n);
			Pallet::<T>::on_finalize(n);
		}

		assert!(Author::<T>::get().is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
