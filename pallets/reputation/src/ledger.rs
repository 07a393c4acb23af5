//! The REP ledger, the fee accumulator and the sortition tree.
//!
//! Every change of an account's free REP goes through [`Pallet::mutate_account`], which first
//! moves the fees the account has accrued into its unclaimed fees, then applies the change, then
//! takes a new fee debt and updates `TotalFree` and the account's leaf in the sortition tree.
//! Supply bookkeeping (`TotalIssuance`, `TotalStaked`) is done by the small wrappers around it.

use super::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	tokens::Preservation,
};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{AccountIdConversion, SaturatedConversion},
	Rounding,
};

/// The fee accumulator's fixed-point scale.
pub const FEE_SCALE: u128 = 1_000_000_000_000_000_000;

/// Children per node of the sortition tree.
pub const SORTITION_BRANCH: usize = 16;

/// `a · b / c` rounded as asked; `None` if `c` is zero or the result overflows.
pub(crate) fn mul_div(a: u128, b: u128, c: u128, rounding: Rounding) -> Option<u128> {
	multiply_by_rational_with_rounding(a, b, c, rounding)
}

impl<T: Config> Pallet<T> {
	/// The pot account that holds fees until claimed.
	pub fn pot() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Mutates `who`'s ledger entry with `f`, keeping fees, `TotalFree` and the sortition tree in
	/// step with any change of its free REP. Does not touch `TotalIssuance` or `TotalStaked`.
	pub(crate) fn mutate_account<R>(who: &T::AccountId, f: impl FnOnce(&mut RepAccount) -> R) -> R {
		let acc = RewardPerRep::<T>::get();
		let mut account = Accounts::<T>::get(who).unwrap_or_default();
		let accrued = Self::accrued(&account, acc);
		account.unclaimed_fees = account.unclaimed_fees.saturating_add(accrued);
		let old_free = account.free;
		let result = f(&mut account);
		account.reward_debt = Self::debt(account.free, acc);
		if account.free >= old_free {
			TotalFree::<T>::mutate(|t| *t = t.saturating_add(account.free - old_free));
		} else {
			TotalFree::<T>::mutate(|t| *t = t.saturating_sub(old_free - account.free));
		}
		Self::sync_sortition(who, &mut account, old_free);
		if account.is_empty() {
			Accounts::<T>::remove(who);
		} else {
			Accounts::<T>::insert(who, account);
		}
		result
	}

	/// Fees accrued by `account` since its debt was taken, at accumulator value `acc`.
	fn accrued(account: &RepAccount, acc: u128) -> u128 {
		mul_div(account.free, acc, FEE_SCALE, Rounding::Down)
			.unwrap_or(u128::MAX)
			.saturating_sub(account.reward_debt)
	}

	/// The fee debt of `free` REP at accumulator value `acc`, rounded up.
	fn debt(free: Rep, acc: u128) -> u128 {
		mul_div(free, acc, FEE_SCALE, Rounding::Up).unwrap_or(u128::MAX)
	}

	/// Mints `amount` REP into `who`'s free REP.
	pub(crate) fn mint_free(who: &T::AccountId, amount: Rep) {
		if amount == 0 {
			return;
		}
		TotalIssuance::<T>::mutate(|t| *t = t.saturating_add(amount));
		Self::mutate_account(who, |a| a.free = a.free.saturating_add(amount));
	}

	/// Burns up to `amount` of `who`'s free REP; returns what was burned.
	pub(crate) fn burn_free(who: &T::AccountId, amount: Rep) -> Rep {
		if amount == 0 {
			return 0;
		}
		let burned = Self::mutate_account(who, |a| {
			let burned = amount.min(a.free);
			a.free -= burned;
			burned
		});
		TotalIssuance::<T>::mutate(|t| *t = t.saturating_sub(burned));
		burned
	}

	/// Moves `amount` of `who`'s free REP into a pool (the caller checked it is available).
	pub(crate) fn move_free_to_pool(who: &T::AccountId, amount: Rep) {
		let moved = Self::mutate_account(who, |a| {
			let moved = amount.min(a.free);
			a.free -= moved;
			a.staked = a.staked.saturating_add(moved);
			moved
		});
		TotalStaked::<T>::mutate(|t| *t = t.saturating_add(moved));
	}

	/// Pays `payout` REP from a pool to `who`'s free REP and clears `stake` from its staked REP.
	pub(crate) fn pay_from_pool(who: &T::AccountId, stake: Rep, payout: Rep) {
		Self::mutate_account(who, |a| {
			a.staked = a.staked.saturating_sub(stake);
			a.free = a.free.saturating_add(payout);
		});
		TotalStaked::<T>::mutate(|t| *t = t.saturating_sub(payout));
	}

	/// Mints `amount` free REP for `who`: lets other pallets' benchmarks set up REP holders.
	#[cfg(feature = "runtime-benchmarks")]
	pub fn benchmark_mint(who: &T::AccountId, amount: Rep) {
		Self::mint_free(who, amount)
	}

	/// Moves `amount` of `who`'s free REP into its bond.
	pub(crate) fn do_bond(who: &T::AccountId, amount: Rep) -> DispatchResult {
		let free = Accounts::<T>::get(who).map_or(0, |a| a.free);
		ensure!(amount <= free, Error::<T>::InsufficientRep);
		Self::mutate_account(who, |a| {
			a.free -= amount;
			a.bonded = a.bonded.saturating_add(amount);
		});
		TotalStaked::<T>::mutate(|t| *t = t.saturating_add(amount));
		Self::deposit_event(Event::Bonded { who: who.clone(), amount });
		Ok(())
	}

	/// Moves `amount` of `who`'s bond back to its free REP.
	pub(crate) fn do_unbond(who: &T::AccountId, amount: Rep) -> DispatchResult {
		let bonded = Accounts::<T>::get(who).map_or(0, |a| a.bonded);
		ensure!(amount <= bonded, Error::<T>::InsufficientBond);
		Self::mutate_account(who, |a| {
			a.bonded -= amount;
			a.free = a.free.saturating_add(amount);
		});
		TotalStaked::<T>::mutate(|t| *t = t.saturating_sub(amount));
		Self::deposit_event(Event::Unbonded { who: who.clone(), amount });
		Ok(())
	}

	/// Burns up to `amount` of `who`'s bond; returns what was burned.
	pub(crate) fn do_slash_bond(who: &T::AccountId, amount: Rep) -> Rep {
		let slashed = Self::mutate_account(who, |a| {
			let slashed = amount.min(a.bonded);
			a.bonded -= slashed;
			slashed
		});
		if slashed > 0 {
			TotalStaked::<T>::mutate(|t| *t = t.saturating_sub(slashed));
			TotalIssuance::<T>::mutate(|t| *t = t.saturating_sub(slashed));
			Self::deposit_event(Event::BondSlashed { who: who.clone(), amount: slashed });
		}
		slashed
	}

	/// Moves `amount` of `who`'s bond into a pool as its backing (the caller checked it is
	/// there). Both count in `TotalStaked`, so only the account's entry changes.
	pub(crate) fn move_bond_to_pool(who: &T::AccountId, amount: Rep) {
		Self::mutate_account(who, |a| {
			a.bonded = a.bonded.saturating_sub(amount);
			a.staked = a.staked.saturating_add(amount);
		});
	}

	/// Returns a pool's backing: clears `stake` from `who`'s staked REP and adds `payout` to its
	/// bond. The rest of the stake stays with the pool.
	pub(crate) fn return_backing(who: &T::AccountId, stake: Rep, payout: Rep) {
		Self::mutate_account(who, |a| {
			a.staked = a.staked.saturating_sub(stake);
			a.bonded = a.bonded.saturating_add(payout);
		});
	}

	/// Mints `amount` REP held by a pool.
	pub(crate) fn pool_mint(amount: Rep) {
		TotalIssuance::<T>::mutate(|t| *t = t.saturating_add(amount));
		TotalStaked::<T>::mutate(|t| *t = t.saturating_add(amount));
	}

	/// Removes `amount` REP from the pools' total: burned, or about to be credited to authors
	/// (which mints it back into their free REP).
	pub(crate) fn pool_release(amount: Rep) {
		TotalIssuance::<T>::mutate(|t| *t = t.saturating_sub(amount));
		TotalStaked::<T>::mutate(|t| *t = t.saturating_sub(amount));
	}

	/// Shares `amount` of fees (already in the pot) among holders of free REP through the
	/// accumulator; returns `(distributed, undistributed)`. Earlier undistributed fees join in.
	pub(crate) fn distribute_fees(amount: u128) -> (u128, u128) {
		let total = amount.saturating_add(UndistributedFees::<T>::get());
		let total_free = TotalFree::<T>::get();
		let acc = RewardPerRep::<T>::get();
		let distributed = if total_free == 0 {
			0
		} else {
			let delta = mul_div(total, FEE_SCALE, total_free, Rounding::Down)
				.unwrap_or(u128::MAX)
				.min(u128::MAX - acc);
			// What holders can accrue from `delta` is at most `delta · total_free / FEE_SCALE`
			// (each rounds down); reserve that, rounded up, so the pot can always pay. It is
			// at most `total`, so it cannot overflow.
			match mul_div(delta, total_free, FEE_SCALE, Rounding::Up) {
				Some(distributed) if distributed <= total => {
					RewardPerRep::<T>::put(acc.saturating_add(delta));
					distributed
				},
				_ => 0,
			}
		};
		let undistributed = total.saturating_sub(distributed);
		UndistributedFees::<T>::put(undistributed);
		(distributed, undistributed)
	}

	/// The fees `who` may claim now.
	pub fn claimable_fees(who: &T::AccountId) -> u128 {
		let account = Accounts::<T>::get(who).unwrap_or_default();
		account
			.unclaimed_fees
			.saturating_add(Self::accrued(&account, RewardPerRep::<T>::get()))
	}

	/// Pays `who` its claimable fees from the pot.
	pub(crate) fn do_claim_fees(who: &T::AccountId) -> DispatchResult {
		ensure!(Self::claimable_fees(who) > 0, Error::<T>::NoFeesToClaim);
		let amount = Self::mutate_account(who, |a| core::mem::take(&mut a.unclaimed_fees));
		let amount: BalanceOf<T> = amount.saturated_into();
		T::Currency::transfer(&Self::pot(), who, amount, Preservation::Preserve)?;
		Self::deposit_event(Event::FeesClaimed { who: who.clone(), amount });
		Ok(())
	}

	/// The pot's spendable balance as `u128` (for accounting checks and the API).
	pub fn pot_balance() -> u128 {
		T::Currency::balance(&Self::pot()).saturated_into()
	}

	// ---- Sortition tree ----

	/// How many slots the tree holds: `16^levels`.
	pub fn sortition_capacity() -> u32 {
		(SORTITION_BRANCH as u32).saturating_pow(T::SortitionLevels::get())
	}

	/// Keeps `who`'s slot in step with its free REP, which was `old_free`.
	fn sync_sortition(who: &T::AccountId, account: &mut RepAccount, old_free: Rep) {
		match account.slot {
			Some(slot) => {
				if account.free != old_free {
					Self::tree_update(slot, old_free, account.free);
				}
				if account.free == 0 {
					SlotOwners::<T>::remove(slot);
					Self::release_slot(slot);
					account.slot = None;
				}
			},
			None if account.free > 0 => match Self::allocate_slot() {
				Some(slot) => {
					SlotOwners::<T>::insert(slot, who);
					account.slot = Some(slot);
					Self::tree_update(slot, 0, account.free);
				},
				None => Self::deposit_event(Event::SortitionFull { who: who.clone() }),
			},
			None => {},
		}
	}

	/// A slot for a new member: a released one, else a never-used one, else none (full).
	fn allocate_slot() -> Option<u32> {
		let count = FreeSlotCount::<T>::get();
		if let Some(top) = count.checked_sub(1) {
			if let Some(slot) = FreeSlots::<T>::take(top) {
				FreeSlotCount::<T>::put(top);
				return Some(slot);
			}
		}
		let next = NextSlot::<T>::get();
		if next < Self::sortition_capacity() {
			NextSlot::<T>::put(next.saturating_add(1));
			Some(next)
		} else {
			None
		}
	}

	/// Returns `slot` to the free-slot stack.
	fn release_slot(slot: u32) {
		let count = FreeSlotCount::<T>::get();
		FreeSlots::<T>::insert(count, slot);
		FreeSlotCount::<T>::put(count.saturating_add(1));
	}

	/// Changes the weight of `slot` from `old` to `new` on every level (one node per level).
	fn tree_update(slot: u32, old: Rep, new: Rep) {
		let mut index = slot;
		for level in 0..T::SortitionLevels::get() {
			let child = (index % SORTITION_BRANCH as u32) as usize;
			index /= SORTITION_BRANCH as u32;
			SortitionTree::<T>::mutate(level as u8, index, |node| {
				if let Some(sum) = node.get_mut(child) {
					*sum = sum.saturating_sub(old).saturating_add(new);
				}
			});
		}
	}

	/// The sum of all slotted members' free REP (the root's children).
	pub fn sortition_total() -> Rep {
		let top = T::SortitionLevels::get().saturating_sub(1) as u8;
		SortitionTree::<T>::get(top, 0).iter().fold(0u128, |s, x| s.saturating_add(*x))
	}

	/// The slot whose weight interval contains `point` (which must be below the total): walks
	/// from the root down, reading one node per level.
	pub(crate) fn tree_find(mut point: Rep) -> Option<u32> {
		let mut index = 0u32;
		for level in (0..T::SortitionLevels::get()).rev() {
			let node = SortitionTree::<T>::get(level as u8, index);
			let mut chosen = None;
			for (child, weight) in node.iter().enumerate() {
				if point < *weight {
					chosen = Some(child as u32);
					break;
				}
				point -= *weight;
			}
			index = index.checked_mul(SORTITION_BRANCH as u32)?.checked_add(chosen?)?;
		}
		Some(index)
	}

	/// Draws one member weighted by free REP with the 16 random bytes of `seed`.
	pub(crate) fn draw_member(seed: [u8; 32], total: Rep) -> Option<T::AccountId> {
		if total == 0 {
			return None;
		}
		let mut bytes = [0u8; 16];
		bytes.copy_from_slice(&seed[..16]);
		let point = u128::from_le_bytes(bytes) % total;
		Self::tree_find(point).and_then(SlotOwners::<T>::get)
	}
}
