//! Weights for `pallet_rewards`.
//!
//! The benchmarks in `benchmarking.rs` (frame-benchmarking v2) cover the hooks of one block with
//! and without an author digest; `on_initialize` reports the weight of the pallet's whole work in
//! a block, including the mint in `on_finalize`. The storage reads and writes below are those the
//! benchmarks exercise; the time components are conservative hand-set values until the
//! `benchmark pallet` CLI (kept out of the default build, see the runtime README) regenerates
//! this file.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_rewards`.
pub trait WeightInfo {
	fn on_initialize_with_author() -> Weight;
	fn on_initialize_without_author() -> Weight;
}

/// Weights for `pallet_rewards` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `System::Digest` (r:1 w:0), `Rewards::Author` (r:1 w:2),
	/// `System::Account` (r:1 w:1), `Balances::TotalIssuance` (r:1 w:1)
	fn on_initialize_with_author() -> Weight {
		Weight::from_parts(28_000_000, 1_600)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `System::Digest` (r:1 w:0), `Rewards::Author` (r:1 w:0)
	fn on_initialize_without_author() -> Weight {
		Weight::from_parts(3_000_000, 1_500).saturating_add(T::DbWeight::get().reads(2_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn on_initialize_with_author() -> Weight {
		Weight::from_parts(28_000_000, 1_600)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn on_initialize_without_author() -> Weight {
		Weight::from_parts(3_000_000, 1_500).saturating_add(RocksDbWeight::get().reads(2_u64))
	}
}
