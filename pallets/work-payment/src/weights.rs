// This file is part of GPoW.
// SPDX-License-Identifier: Apache-2.0

//! Weights for `pallet_work_payment`.
//!
//! PROVISIONAL: estimated from the storage each function touches until `bash scripts/weights.sh`
//! regenerates this file from the benchmarks in `benchmarking.rs`.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_work_payment`.
pub trait WeightInfo {
	/// Weight of [`Pallet::with_work`](crate::Pallet::with_work) itself, without its inner call.
	fn with_work() -> Weight;
	/// Weight of [`Pallet::set_terms`](crate::Pallet::set_terms).
	fn set_terms() -> Weight;
	/// Weight of `on_initialize` forgetting `n` proofs.
	fn on_initialize(n: u32, ) -> Weight;
	/// Weight of `on_finalize` (the multiplier's update).
	fn on_finalize() -> Weight;
	/// Weight of [`WorkOrFee`](crate::WorkOrFee) checking and recording a work seal.
	fn work_seal() -> Weight;
}

/// Weights for `pallet_work_payment` on the GPoW runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn with_work() -> Weight {
		Weight::from_parts(10_000_000, 0)
	}
	/// Storage: `WorkPayment::Terms` (r:0 w:1)
	fn set_terms() -> Weight {
		Weight::from_parts(15_000_000, 0)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `WorkPayment::ProofsByBlock` (r:1 w:1)
	/// Storage: `WorkPayment::UsedProofs` (r:0 w:n)
	fn on_initialize(n: u32, ) -> Weight {
		Weight::from_parts(5_000_000, 0)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	/// Storage: `WorkPayment::Usage` (r:1 w:1)
	/// Storage: `WorkPayment::Terms` (r:1 w:0)
	/// Storage: `WorkPayment::Multiplier` (r:1 w:1)
	fn on_finalize() -> Weight {
		Weight::from_parts(8_000_000, 0)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `WorkPayment::Terms` (r:1 w:0)
	/// Storage: `System::Number` (r:1 w:0)
	/// Storage: `System::BlockHash` (r:2 w:0)
	/// Storage: `WorkPayment::Multiplier` (r:1 w:0)
	/// Storage: `WorkPayment::UsedProofs` (r:1 w:1)
	/// Storage: `WorkPayment::Usage` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	/// Storage: `WorkPayment::ProofsByBlock` (r:1 w:1)
	fn work_seal() -> Weight {
		Weight::from_parts(60_000_000, 0)
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
}

// For tests.
impl WeightInfo for () {
	fn with_work() -> Weight {
		Weight::from_parts(10_000_000, 0)
	}
	fn set_terms() -> Weight {
		Weight::from_parts(15_000_000, 0)
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn on_initialize(n: u32, ) -> Weight {
		Weight::from_parts(5_000_000, 0)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	fn on_finalize() -> Weight {
		Weight::from_parts(8_000_000, 0)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn work_seal() -> Weight {
		Weight::from_parts(60_000_000, 0)
			.saturating_add(RocksDbWeight::get().reads(9_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
}
