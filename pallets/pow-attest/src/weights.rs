//! Weights for `pallet_pow_attest`.
//!
//! The benchmarks in `benchmarking.rs` (frame-benchmarking v2) exercise each call's worst case;
//! the storage reads and writes below are the ones they touch. The time components are
//! conservative hand-set values until the `benchmark pallet` CLI (kept out of the default build,
//! see `runtime/README.md`) regenerates this file on reference hardware.
//!
//! `attest` counts its checks twice: block import runs them in `pre_dispatch`, then the call runs
//! them again. Per challenge that is two ed25519 verifications (about 50 µs each, natively), two
//! registry reads and the challenge's share of the digest hashing.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_pow_attest`.
pub trait WeightInfo {
	fn register_gate() -> Weight;
	fn unregister_gate() -> Weight;
	fn attest(n: u32) -> Weight;
	fn prune(k: u32) -> Weight;
}

/// Weights for `pallet_pow_attest` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `PowAttest::Gates` (r:1 w:1), `System::BlockHash` (r:1 w:0),
	/// `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1)
	fn register_gate() -> Weight {
		Weight::from_parts(110_000_000, 4_500)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `PowAttest::Gates` (r:1 w:1), `Balances::Holds` (r:1 w:1),
	/// `System::Account` (r:1 w:1)
	fn unregister_gate() -> Weight {
		Weight::from_parts(45_000_000, 4_500)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Twice (pre_dispatch and the call): `Timestamp::Now` (r:1), `PowAttest::Attestations`
	/// (r:1), `PowAttest::ActiveRounds` (r:1), `PowAttest::Gates` (r:1 + n).
	/// Then `PowAttest::ActiveRounds` (w:1), `PowAttest::Attestations` (w:1),
	/// `PowAttest::Gates` (r:1 w:1).
	/// The range of component `n` is `[1, MaxChallenges]`.
	fn attest(n: u32) -> Weight {
		Weight::from_parts(60_000_000, 6_000)
			.saturating_add(Weight::from_parts(115_000_000, 2_600).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Timestamp::Now` (r:1), `PowAttest::ActiveRounds` (r:1 w:1),
	/// `PowAttest::Attestations` (r:k w:k)
	/// The range of component `k` is `[0, MaxPrunePerBlock]`.
	fn prune(k: u32) -> Weight {
		Weight::from_parts(5_000_000, 1_500)
			.saturating_add(Weight::from_parts(2_000_000, 100).saturating_mul(k.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().reads_writes(k.into(), k.into()))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn register_gate() -> Weight {
		Weight::from_parts(110_000_000, 4_500)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn unregister_gate() -> Weight {
		Weight::from_parts(45_000_000, 4_500)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn attest(n: u32) -> Weight {
		Weight::from_parts(60_000_000, 6_000)
			.saturating_add(Weight::from_parts(115_000_000, 2_600).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(9_u64))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn prune(k: u32) -> Weight {
		Weight::from_parts(5_000_000, 1_500)
			.saturating_add(Weight::from_parts(2_000_000, 100).saturating_mul(k.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(RocksDbWeight::get().reads_writes(k.into(), k.into()))
	}
}
