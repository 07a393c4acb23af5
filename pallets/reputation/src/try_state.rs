//! The ledger's invariants, checked by the `try_state` hook (feature `try-runtime`), the
//! pallet's tests and the runtime's fuzzer.

use super::*;
use alloc::collections::BTreeMap;
use frame_support::traits::fungible::Inspect;
use sp_runtime::{traits::SaturatedConversion, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks the ledger's invariants:
	///
	/// - `TotalFree` is the sum of free REP, `TotalStaked` what pools hold plus all bonds, and
	///   the supply `TotalIssuance = TotalFree + TotalStaked` (free + pooled + bonded);
	/// - each account's `staked` is the sum of its stakes (unclaimed stakes and the backings of
	///   open pools it backs); no empty entry is kept;
	/// - a sortition slot is held only with free REP and its owner is recorded; the tree's total
	///   is the free REP of the slotted accounts;
	/// - a pool's `unclaimed_stakes` counts its stakes; a settled pool with none left holds no
	///   REP;
	/// - the pot can pay every claimable fee and the undistributed fees, and keep its
	///   existential deposit ([`Pallet::fee_surplus`]).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let accounts: Vec<(T::AccountId, RepAccount)> = Accounts::<T>::iter().collect();
		let sum = |f: fn(&RepAccount) -> Rep| {
			accounts.iter().try_fold(0u128, |s, (_, a)| s.checked_add(f(a)))
		};
		let overflow = TryRuntimeError::Other("REP sums overflow");
		let free = sum(|a| a.free).ok_or(overflow)?;
		let bonded = sum(|a| a.bonded).ok_or(overflow)?;
		let pooled = Pools::<T>::iter_values()
			.try_fold(0u128, |s, p| s.checked_add(p.remaining))
			.ok_or(overflow)?;
		let staked = pooled.checked_add(bonded).ok_or(overflow)?;
		ensure!(TotalFree::<T>::get() == free, "TotalFree is not the sum of free REP");
		ensure!(TotalStaked::<T>::get() == staked, "TotalStaked is not pooled plus bonded REP");
		ensure!(
			TotalIssuance::<T>::get() == free.checked_add(staked).ok_or(overflow)?,
			"REP supply is not free + pooled + bonded"
		);

		let mut stakes: BTreeMap<T::AccountId, Rep> = BTreeMap::new();
		let mut per_pool: BTreeMap<PoolId, u32> = BTreeMap::new();
		for (pool, who, s) in Stakes::<T>::iter() {
			let entry = stakes.entry(who).or_default();
			*entry = entry.saturating_add(s.amount);
			let count = per_pool.entry(pool).or_default();
			*count = count.saturating_add(1);
		}
		for p in Pools::<T>::iter_values() {
			if let (PoolState::Open, Some((backer, amount))) = (&p.state, &p.backing) {
				let entry = stakes.entry(backer.clone()).or_default();
				*entry = entry.saturating_add(*amount);
			}
		}
		let mut slotted: Rep = 0;
		for (who, a) in &accounts {
			ensure!(
				a.staked == stakes.get(who).copied().unwrap_or(0),
				"an account's staked REP is not the sum of its stakes"
			);
			ensure!(!a.is_empty(), "an empty ledger entry is kept");
			if let Some(slot) = a.slot {
				ensure!(a.free > 0, "a sortition slot is held without free REP");
				ensure!(
					SlotOwners::<T>::get(slot).as_ref() == Some(who),
					"a sortition slot's owner is not recorded"
				);
				slotted = slotted.saturating_add(a.free);
			}
		}
		ensure!(
			Self::sortition_total() == slotted,
			"the sortition tree does not sum the slotted free REP"
		);
		for (pool, p) in Pools::<T>::iter() {
			ensure!(
				p.unclaimed_stakes == per_pool.get(&pool).copied().unwrap_or(0),
				"a pool's unclaimed_stakes does not count its stakes"
			);
			if p.unclaimed_stakes == 0 && p.state != PoolState::Open {
				ensure!(p.remaining == 0, "a fully claimed pool holds REP");
			}
		}
		ensure!(Self::fee_surplus().is_some(), "the pot cannot pay the fees it owes");
		Ok(())
	}

	/// What the pot holds beyond what it owes (rounding dust): its balance minus its existential
	/// deposit (once it holds anything), the undistributed fees and every account's claimable
	/// fees. `None` if the pot cannot pay what it owes.
	pub fn fee_surplus() -> Option<u128> {
		let pot = Self::pot_balance();
		let reserve: u128 =
			if pot > 0 { T::Currency::minimum_balance().saturated_into() } else { 0 };
		let owed = Accounts::<T>::iter_keys()
			.try_fold(reserve.checked_add(UndistributedFees::<T>::get())?, |s, who| {
				s.checked_add(Self::claimable_fees(&who))
			})?;
		pot.checked_sub(owed)
	}
}
