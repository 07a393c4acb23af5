//! Weights for `pallet_services`.
//!
//! The benchmarks in `benchmarking.rs` (frame-benchmarking v2) exercise each call's worst case
//! (the offer index's 24-level paths fully populated); the storage reads and writes below are
//! the ones they touch. The time components are conservative hand-set values until
//! `scripts/weights.sh` regenerates this file on reference hardware. No call's weight depends
//! on the number of offers, providers or instances.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_services`.
pub trait WeightInfo {
	fn register_type() -> Weight;
	fn set_terms() -> Weight;
	fn offer() -> Weight;
	fn update_offer() -> Weight;
	fn withdraw_offer() -> Weight;
	fn request() -> Weight;
	fn submit_result() -> Weight;
	fn cancel() -> Weight;
	fn close_instance() -> Weight;
	fn on_pool_settled() -> Weight;
}

/// Weights for `pallet_services` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Services::NextTypeId` (r:1 w:1), `Services::ServiceTypes` (r:0 w:1), `Reputation::ParameterSets` (r:1 w:0)
	fn register_type() -> Weight {
		Weight::from_parts(25_000_000, 2_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Services::ServiceTypes` (r:1 w:1), `Reputation::ParameterSets` (r:1 w:0)
	fn set_terms() -> Weight {
		Weight::from_parts(20_000_000, 2_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Services::ServiceTypes` (r:1 w:1), `Services::Offers` (r:1 w:1), `Services::OfferProviders` (r:0 w:1),
	/// `Services::OfferIndex` (r:24 w:24), the reputation bond (r:10 w:8), `Balances::Holds` (r:1 w:1),
	/// `System::Account` (r:1 w:1)
	fn offer() -> Weight {
		Weight::from_parts(180_000_000, 40_000)
			.saturating_add(T::DbWeight::get().reads(40_u64))
			.saturating_add(T::DbWeight::get().writes(38_u64))
	}
	/// Storage: `Services::Offers` (r:1 w:1), `Services::ServiceTypes` (r:1 w:0), `Services::OfferIndex` (r:48 w:48),
	/// the reputation bond (r:10 w:8)
	fn update_offer() -> Weight {
		Weight::from_parts(300_000_000, 62_000)
			.saturating_add(T::DbWeight::get().reads(62_u64))
			.saturating_add(T::DbWeight::get().writes(60_u64))
	}
	/// Storage: `Services::Offers` (r:1 w:1), `Services::OfferProviders` (r:0 w:1), `Services::ServiceTypes` (r:1 w:1),
	/// `Services::OfferIndex` (r:24 w:24), the reputation bond (r:10 w:8), `Balances::Holds` (r:1 w:1),
	/// `System::Account` (r:1 w:1)
	fn withdraw_offer() -> Weight {
		Weight::from_parts(180_000_000, 40_000)
			.saturating_add(T::DbWeight::get().reads(40_u64))
			.saturating_add(T::DbWeight::get().writes(38_u64))
	}
	/// Storage: `Services::NextInstanceId` (r:1 w:1), `Services::ServiceTypes` (r:2 w:0), `Services::OfferProviders` (r:1 w:0),
	/// `Services::Offers` (r:1 w:1), `Services::OfferIndex` (r:72 w:24: the pick, then the update),
	/// `System::ParentHash` (r:1 w:0), `Balances::Holds` (r:2 w:2), `System::Account` (r:2 w:2),
	/// `Services::Instances` (r:0 w:1), `Services::TotalEscrow` (r:1 w:1)
	fn request() -> Weight {
		Weight::from_parts(350_000_000, 84_000)
			.saturating_add(T::DbWeight::get().reads(84_u64))
			.saturating_add(T::DbWeight::get().writes(32_u64))
	}
	/// Storage: `Services::Instances` (r:1 w:1), `Services::ServiceTypes` (r:1 w:0), `Services::Offers` (r:1 w:1),
	/// `Services::OfferIndex` (r:24 w:24), `Services::PoolInstances` (r:0 w:1); plus the forum post and the
	/// pool, charged with the reputation pallet's weights
	fn submit_result() -> Weight {
		Weight::from_parts(180_000_000, 30_000)
			.saturating_add(T::DbWeight::get().reads(30_u64))
			.saturating_add(T::DbWeight::get().writes(28_u64))
	}
	/// Storage: `Services::Instances` (r:1 w:1), `Services::ServiceTypes` (r:1 w:0), `Services::Offers` (r:1 w:1),
	/// `Services::OfferIndex` (r:24 w:24), `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1),
	/// the reputation slash (r:8 w:6), `Services::TotalEscrow` (r:1 w:1)
	fn cancel() -> Weight {
		Weight::from_parts(220_000_000, 40_000)
			.saturating_add(T::DbWeight::get().reads(40_u64))
			.saturating_add(T::DbWeight::get().writes(36_u64))
	}
	/// Storage: `Services::Instances` (r:1 w:1), `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1)
	fn close_instance() -> Weight {
		Weight::from_parts(40_000_000, 3_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Services::PoolInstances` (r:1 w:1), `Services::Instances` (r:1 w:1), `Services::ServiceTypes` (r:2 w:0),
	/// `Services::Offers` (r:1 w:1), `Services::OfferIndex` (r:24 w:24), `Balances::Holds` (r:2 w:2),
	/// `System::Account` (r:3 w:3), `Services::TotalEscrow` (r:1 w:1)
	fn on_pool_settled() -> Weight {
		Weight::from_parts(220_000_000, 36_000)
			.saturating_add(T::DbWeight::get().reads(36_u64))
			.saturating_add(T::DbWeight::get().writes(34_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn register_type() -> Weight {
		Weight::from_parts(25_000_000, 2_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn set_terms() -> Weight {
		Weight::from_parts(20_000_000, 2_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn offer() -> Weight {
		Weight::from_parts(180_000_000, 40_000)
			.saturating_add(RocksDbWeight::get().reads(40_u64))
			.saturating_add(RocksDbWeight::get().writes(38_u64))
	}
	fn update_offer() -> Weight {
		Weight::from_parts(300_000_000, 62_000)
			.saturating_add(RocksDbWeight::get().reads(62_u64))
			.saturating_add(RocksDbWeight::get().writes(60_u64))
	}
	fn withdraw_offer() -> Weight {
		Weight::from_parts(180_000_000, 40_000)
			.saturating_add(RocksDbWeight::get().reads(40_u64))
			.saturating_add(RocksDbWeight::get().writes(38_u64))
	}
	fn request() -> Weight {
		Weight::from_parts(350_000_000, 84_000)
			.saturating_add(RocksDbWeight::get().reads(84_u64))
			.saturating_add(RocksDbWeight::get().writes(32_u64))
	}
	fn submit_result() -> Weight {
		Weight::from_parts(180_000_000, 30_000)
			.saturating_add(RocksDbWeight::get().reads(30_u64))
			.saturating_add(RocksDbWeight::get().writes(28_u64))
	}
	fn cancel() -> Weight {
		Weight::from_parts(220_000_000, 40_000)
			.saturating_add(RocksDbWeight::get().reads(40_u64))
			.saturating_add(RocksDbWeight::get().writes(36_u64))
	}
	fn close_instance() -> Weight {
		Weight::from_parts(40_000_000, 3_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn on_pool_settled() -> Weight {
		Weight::from_parts(220_000_000, 36_000)
			.saturating_add(RocksDbWeight::get().reads(36_u64))
			.saturating_add(RocksDbWeight::get().writes(34_u64))
	}
}
