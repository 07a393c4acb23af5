// This file is part of GPoW.
// SPDX-License-Identifier: Apache-2.0

//! Weights for `pallet_governance`.
//!
//! Provisional: the storage reads and writes are counted from the code paths (every key each
//! function touches, worst case), and the execution times are upper bounds taken from the
//! closest generated weights of `pallet_reputation` and `pallet_services` (a pool opened, a hold,
//! a preimage noted, a task scheduled). Regenerate from `benchmarking.rs` with:
//!
//! ```text
//! bash scripts/weights.sh --pallet pallet_governance
//! ```

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_governance`.
pub trait WeightInfo {
	fn propose(l: u32, ) -> Weight;
	fn enact() -> Weight;
	fn cancel() -> Weight;
	fn authorize_upgrade() -> Weight;
	fn on_pool_settled() -> Weight;
}

/// Weights for `pallet_governance` on the GPoW runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Governance: Tracks, ActiveProposals, NextProposalId, Proposals, ProposalOfPost,
	/// ProposalOfPool; Reputation: Posts, ParameterSets, NextPoolId, Pools, TotalFree,
	/// TotalIssuance, TotalStaked, RewardPerRep, UndistributedFees; Balances: Holds, Account x2;
	/// Preimage: RequestStatusFor, PreimageFor.
	/// The range of component `l` is `[0, 16384]`.
	fn propose(l: u32, ) -> Weight {
		Weight::from_parts(250_000_000, 12_000)
			.saturating_add(Weight::from_parts(2_000, 1).saturating_mul(l.into()))
			.saturating_add(T::DbWeight::get().reads(20_u64))
			.saturating_add(T::DbWeight::get().writes(16_u64))
	}
	/// Governance: Proposals, ActiveProposals; Preimage: RequestStatusFor, PreimageFor.
	fn enact() -> Weight {
		Weight::from_parts(80_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Governance: Proposals, ActiveProposals; Scheduler: Lookup, Agenda; Preimage:
	/// RequestStatusFor, PreimageFor.
	fn cancel() -> Weight {
		Weight::from_parts(80_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	/// System: AuthorizedUpgrade.
	fn authorize_upgrade() -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Governance: ProposalOfPool, Proposals, Tracks, ActiveProposals; Scheduler: Lookup,
	/// Agenda; Balances: Holds, Account; Preimage: RequestStatusFor, PreimageFor.
	fn on_pool_settled() -> Weight {
		Weight::from_parts(120_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(9_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn propose(l: u32, ) -> Weight {
		Weight::from_parts(250_000_000, 12_000)
			.saturating_add(Weight::from_parts(2_000, 1).saturating_mul(l.into()))
			.saturating_add(RocksDbWeight::get().reads(20_u64))
			.saturating_add(RocksDbWeight::get().writes(16_u64))
	}
	fn enact() -> Weight {
		Weight::from_parts(80_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn cancel() -> Weight {
		Weight::from_parts(80_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn authorize_upgrade() -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn on_pool_settled() -> Weight {
		Weight::from_parts(120_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().writes(9_u64))
	}
}
