//! Weights for `pallet_reputation`.
//!
//! The benchmarks in `benchmarking.rs` (frame-benchmarking v2) exercise each call's worst case;
//! the storage reads and writes below are the ones they touch. The time components are
//! conservative hand-set values until the `benchmark pallet` CLI (kept out of the default build,
//! see `runtime/README.md`) regenerates this file on reference hardware.
//!
//! None of these depends on the number of REP holders or of voters: every REP change touches one
//! sortition node per level (`SortitionLevels`), a panel draw reads one node per level, and
//! settlement and claims work from pool totals. `settle_passed` is bounded by the REP flow's
//! budget: `MaxPropagationVisits` posts of `MaxAuthors` authors each.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_reputation`.
pub trait WeightInfo {
	fn add_post(a: u32, c: u32) -> Weight;
	fn remove_post() -> Weight;
	fn initiate_pool(m: u32) -> Weight;
	fn stake() -> Weight;
	fn settle_passed() -> Weight;
	fn settle_failed() -> Weight;
	fn claim() -> Weight;
	fn claim_fees() -> Weight;
	fn set_parameter_set() -> Weight;
	fn remove_parameter_set() -> Weight;
}

/// Storage items touched by one change of an account's free REP with `levels` sortition levels:
/// `Reputation::Accounts`, `Reputation::RewardPerRep`, `Reputation::TotalFree`,
/// `Reputation::TotalIssuance` or `TotalStaked`, one `Reputation::SortitionTree` node per level,
/// and a slot (`SlotOwners`, `NextSlot` or `FreeSlots`, `FreeSlotCount`).
const fn rep_change_items(levels: u64) -> u64 {
	7 + levels
}

/// Distinct storage items per author credited during a settlement's REP flow: its
/// `Reputation::Accounts` entry, its leaf node of the sortition tree, its slot (`SlotOwners` and
/// `NextSlot` or the free-slot stack) and a share of the upper tree levels; the totals and the
/// accumulator are shared by the whole flow (counted once in `settle_failed`).
const AUTHOR_CREDIT_ITEMS: u64 = 5;

fn weights<W: Get<frame_support::weights::RuntimeDbWeight>>(
	ref_time: u64,
	proof: u64,
	reads: u64,
	writes: u64,
) -> Weight {
	Weight::from_parts(ref_time, proof)
		.saturating_add(W::get().reads(reads))
		.saturating_add(W::get().writes(writes))
}

/// Weights for `pallet_reputation` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: crate::Config> SubstrateWeight<T> {
	fn levels() -> u64 {
		T::SortitionLevels::get().into()
	}
}

impl<T: crate::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Reputation::NextPostId` (r:1 w:1), `Reputation::Posts` (r:c w:1+c),
	/// `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1)
	fn add_post(a: u32, c: u32) -> Weight {
		weights::<T::DbWeight>(45_000_000, 6_000, 3, 4)
			.saturating_add(Weight::from_parts(1_500_000, 64).saturating_mul(a.into()))
			.saturating_add(
				Weight::from_parts(6_000_000, 3_000)
					.saturating_add(T::DbWeight::get().reads_writes(1, 1))
					.saturating_mul(c.into()),
			)
	}
	/// Storage: `Reputation::Posts` (r:1+MaxCitations w:1+MaxCitations), `Balances::Holds`
	/// (r:1 w:1), `System::Account` (r:1 w:1)
	fn remove_post() -> Weight {
		let c: u64 = T::MaxCitations::get().into();
		weights::<T::DbWeight>(40_000_000 + 6_000_000 * c, 6_000 + 3_000 * c, 3 + c, 3 + c)
	}
	/// Storage: `Reputation::ParameterSets` (r:1), `Reputation::Posts` (r:1 w:1),
	/// `Reputation::NextPoolId` (r:1 w:1), `Reputation::Pools` (w:1), the fee: `System::Account`
	/// (r:2 w:2), the accumulator (r:3 w:2), the supply (r:2 w:2); per panel seat: 4 draws of
	/// one `SortitionTree` node per level and a `SlotOwners` entry, and `Reputation::Accounts`.
	fn initiate_pool(m: u32) -> Weight {
		let per_seat_reads = 4 * (Self::levels() + 1) + 1;
		weights::<T::DbWeight>(70_000_000, 8_000, 12, 10).saturating_add(
			Weight::from_parts(4 * 8_000_000, 4 * 2_000)
				.saturating_add(T::DbWeight::get().reads(per_seat_reads))
				.saturating_mul(m.into()),
		)
	}
	/// Storage: `Reputation::Pools` (r:1 w:1), `Reputation::Stakes` (r:1 w:1),
	/// `Reputation::Posts` (r:1), one free-REP change, `Reputation::TotalStaked` (r:1 w:1)
	fn stake() -> Weight {
		let items = rep_change_items(Self::levels());
		weights::<T::DbWeight>(55_000_000, 8_000, 4 + items, 3 + items)
	}
	/// `settle_failed` plus the REP flow's worst case: the shared totals and upper tree levels
	/// once, then `MaxPropagationVisits` posts (r:1 w:1 each) with `MaxAuthors` credited authors
	/// each.
	fn settle_passed() -> Weight {
		let visits: u64 = T::MaxPropagationVisits::get().into();
		let authors: u64 = T::MaxAuthors::get().into();
		let levels = Self::levels();
		Self::settle_failed()
			.saturating_add(weights::<T::DbWeight>(0, 0, 3 + levels, 3 + levels))
			.saturating_add(
				weights::<T::DbWeight>(
					20_000_000 + 15_000_000 * authors,
					6_000 + 600 * authors,
					1 + authors * AUTHOR_CREDIT_ITEMS,
					1 + authors * AUTHOR_CREDIT_ITEMS,
				)
				.saturating_mul(visits),
			)
	}
	/// Storage: `Reputation::Pools` (r:1 w:1), `Reputation::TotalFree` (r:1),
	/// `Reputation::TotalIssuance` (r:1 w:1), `Reputation::TotalStaked` (r:1 w:1)
	fn settle_failed() -> Weight {
		weights::<T::DbWeight>(40_000_000, 8_000, 4, 3)
	}
	/// Storage: `Reputation::Pools` (r:1 w:1), `Reputation::Stakes` (r:1 w:1), one free-REP
	/// change, `Reputation::TotalStaked` (r:1 w:1), `Reputation::TotalIssuance` (r:1 w:1)
	fn claim() -> Weight {
		let items = rep_change_items(Self::levels());
		weights::<T::DbWeight>(55_000_000, 8_000, 4 + items, 4 + items)
	}
	/// Storage: `Reputation::Accounts` (r:1 w:1), `Reputation::RewardPerRep` (r:1),
	/// `System::Account` (r:2 w:2)
	fn claim_fees() -> Weight {
		weights::<T::DbWeight>(50_000_000, 6_000, 4, 3)
	}
	/// Storage: `Reputation::ParameterSets` (w:1)
	fn set_parameter_set() -> Weight {
		weights::<T::DbWeight>(15_000_000, 1_000, 0, 1)
	}
	/// Storage: `Reputation::ParameterSets` (r:1 w:1)
	fn remove_parameter_set() -> Weight {
		weights::<T::DbWeight>(15_000_000, 1_000, 1, 1)
	}
}

/// For tests: the same shapes with the mock's bounds (4 sortition levels, 32 visits, 4 authors,
/// 4 citations) and RocksDB weights.
impl WeightInfo for () {
	fn add_post(a: u32, c: u32) -> Weight {
		weights::<RocksDbWeight>(45_000_000, 6_000, 3, 4)
			.saturating_add(Weight::from_parts(1_500_000, 64).saturating_mul(a.into()))
			.saturating_add(
				Weight::from_parts(6_000_000, 3_000)
					.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
					.saturating_mul(c.into()),
			)
	}
	fn remove_post() -> Weight {
		weights::<RocksDbWeight>(64_000_000, 18_000, 7, 7)
	}
	fn initiate_pool(m: u32) -> Weight {
		weights::<RocksDbWeight>(70_000_000, 8_000, 12, 10).saturating_add(
			Weight::from_parts(32_000_000, 8_000)
				.saturating_add(RocksDbWeight::get().reads(21))
				.saturating_mul(m.into()),
		)
	}
	fn stake() -> Weight {
		weights::<RocksDbWeight>(55_000_000, 8_000, 15, 14)
	}
	fn settle_passed() -> Weight {
		Self::settle_failed()
			.saturating_add(weights::<RocksDbWeight>(0, 0, 7, 7))
			.saturating_add(weights::<RocksDbWeight>(80_000_000, 8_400, 21, 21).saturating_mul(32))
	}
	fn settle_failed() -> Weight {
		weights::<RocksDbWeight>(40_000_000, 8_000, 4, 3)
	}
	fn claim() -> Weight {
		weights::<RocksDbWeight>(55_000_000, 8_000, 15, 15)
	}
	fn claim_fees() -> Weight {
		weights::<RocksDbWeight>(50_000_000, 6_000, 4, 3)
	}
	fn set_parameter_set() -> Weight {
		weights::<RocksDbWeight>(15_000_000, 1_000, 0, 1)
	}
	fn remove_parameter_set() -> Weight {
		weights::<RocksDbWeight>(15_000_000, 1_000, 1, 1)
	}
}
