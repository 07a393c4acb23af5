//! Weights for `pallet_ssk`.
//!
//! The benchmarks in `benchmarking.rs` (frame-benchmarking v2) exercise each call's worst case;
//! the storage reads and writes below are the ones they touch. The time components are
//! conservative hand-set values until the `benchmark pallet` CLI (kept out of the default build,
//! see `runtime/README.md`) regenerates this file on reference hardware.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_ssk`.
pub trait WeightInfo {
	fn publish_key() -> Weight;
	fn post_envelope(c: u32) -> Weight;
	fn revoke() -> Weight;
}

/// Weights for `pallet_ssk` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Ssk::EncryptionKeys` (r:1 w:1), `Balances::Holds` (r:1 w:1),
	/// `System::Account` (r:1 w:1)
	fn publish_key() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Ssk::EncryptionKeys` (r:2 w:0), `Ssk::Envelopes` (r:1 w:1),
	/// `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1)
	/// The range of component `c` is `[1, 1024]`.
	fn post_envelope(c: u32) -> Weight {
		Weight::from_parts(55_000_000, 4_500)
			.saturating_add(Weight::from_parts(2_000, 1).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Ssk::Envelopes` (r:1 w:1), `Balances::Holds` (r:1 w:1),
	/// `System::Account` (r:1 w:1)
	fn revoke() -> Weight {
		Weight::from_parts(40_000_000, 4_500)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn publish_key() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn post_envelope(c: u32) -> Weight {
		Weight::from_parts(55_000_000, 4_500)
			.saturating_add(Weight::from_parts(2_000, 1).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn revoke() -> Weight {
		Weight::from_parts(40_000_000, 4_500)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
}
