// This file is part of GPoW.
// SPDX-License-Identifier: Apache-2.0

//! Weights for `pallet_difficulty`
//!
//! Hand-written in the shape `frame-omni-bencher` generates, from the storage accesses of each
//! function and the execution times of comparable FRAME code; regenerate them with the
//! benchmarks in `benchmarking.rs` on reference hardware:
//!
//! ```text
//! frame-omni-bencher v1 benchmark pallet \
//!     --runtime=target/release/wbuild/gpow-runtime/gpow_runtime.compact.compressed.wasm \
//!     --pallet=pallet_difficulty --extrinsic='*' --steps=50 --repeat=20 \
//!     --output=pallets/difficulty/src/weights.rs \
//!     --template=substrate/.maintain/frame-weight-template.hbs
//! ```
//!
//! `on_timestamp_set` assumes the runtime's `WindowSize` of 60 (a full window is the worst case).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_difficulty`.
pub trait WeightInfo {
	/// Weight of [`Pallet::set_target_block_time`](crate::Pallet::set_target_block_time).
	fn set_target_block_time() -> Weight;
	/// Weight of the retarget done when `pallet_timestamp` calls
	/// [`OnTimestampSet::on_timestamp_set`](frame_support::traits::OnTimestampSet::on_timestamp_set);
	/// returned by `on_initialize`.
	fn on_timestamp_set() -> Weight;
}

/// Weights for `pallet_difficulty` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Difficulty::TargetBlockTime` (r:0 w:1)
	/// Proof: `Difficulty::TargetBlockTime` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// One read is charged on top of the write as a margin.
	fn set_target_block_time() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `1493`
		// Minimum execution time: 6_000_000 picoseconds.
		Weight::from_parts(6_500_000, 1493)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Difficulty::CurrentDifficulty` (r:1 w:1)
	/// Proof: `Difficulty::CurrentDifficulty` (`max_values`: Some(1), `max_size`: Some(32), added: 527, mode: `MaxEncodedLen`)
	/// Storage: `Difficulty::TargetBlockTime` (r:1 w:0)
	/// Proof: `Difficulty::TargetBlockTime` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Difficulty::PastDifficultiesAndTimestamps` (r:1 w:1)
	/// Proof: `Difficulty::PastDifficultiesAndTimestamps` (`max_values`: Some(1), `max_size`: Some(2401), added: 2896, mode: `MaxEncodedLen`)
	fn on_timestamp_set() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `2520`
		//  Estimated: `3886`
		// Minimum execution time: 18_000_000 picoseconds.
		Weight::from_parts(20_000_000, 3886)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	/// Storage: `Difficulty::TargetBlockTime` (r:0 w:1)
	/// Proof: `Difficulty::TargetBlockTime` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// One read is charged on top of the write as a margin.
	fn set_target_block_time() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `1493`
		// Minimum execution time: 6_000_000 picoseconds.
		Weight::from_parts(6_500_000, 1493)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `Difficulty::CurrentDifficulty` (r:1 w:1)
	/// Proof: `Difficulty::CurrentDifficulty` (`max_values`: Some(1), `max_size`: Some(32), added: 527, mode: `MaxEncodedLen`)
	/// Storage: `Difficulty::TargetBlockTime` (r:1 w:0)
	/// Proof: `Difficulty::TargetBlockTime` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Difficulty::PastDifficultiesAndTimestamps` (r:1 w:1)
	/// Proof: `Difficulty::PastDifficultiesAndTimestamps` (`max_values`: Some(1), `max_size`: Some(2401), added: 2896, mode: `MaxEncodedLen`)
	fn on_timestamp_set() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `2520`
		//  Estimated: `3886`
		// Minimum execution time: 18_000_000 picoseconds.
		Weight::from_parts(20_000_000, 3886)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
}
