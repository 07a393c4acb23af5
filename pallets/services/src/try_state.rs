//! The market's invariants, checked by the `try_state` hook (feature `try-runtime`), the
//! pallet's tests and the runtime's fuzzer.

use super::*;
use alloc::collections::BTreeMap;
use frame_support::traits::fungible::InspectHold;
use market::Summary;
use sp_runtime::{traits::Zero, Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks the market's invariants:
	///
	/// - escrow: `TotalEscrow` is `Σ F` over the active instances, and each consumer's escrow
	///   hold is `Σ F` over its active instances;
	/// - capacity: each offer's `used` is the sum of the volumes of its active instances (at
	///   most its capacity), `active` their number, `committed` the backing of those assigned
	///   (at most its stake);
	/// - bonds: each provider has at least the sum of its offers' stakes bonded in the
	///   reputation layer (other pallets may bond too);
	/// - offer ids map back to their providers; each offer's leaf in its type's index counts it
	///   with its stake and its free capacity (or 0: a changed minimum stake reaches the leaf when
	///   the offer next changes), and the type's offer count and the index root summarise the
	///   leaves.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let active: Vec<InstanceOf<T>> =
			Instances::<T>::iter_values().filter(|i| i.status.is_active()).collect();

		let mut escrow: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut total = BalanceOf::<T>::zero();
		for i in &active {
			let e = escrow.entry(i.consumer.clone()).or_default();
			*e = e.saturating_add(i.fee);
			total = total.saturating_add(i.fee);
		}
		ensure!(TotalEscrow::<T>::get() == total, "TotalEscrow is not Σ F of active instances");
		for (consumer, fees) in &escrow {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Escrow.into(), consumer) == *fees,
				"a consumer's escrow hold is not Σ F of its active instances"
			);
		}

		let mut stakes: BTreeMap<T::AccountId, Rep> = BTreeMap::new();
		for (service_type, provider, offer) in Offers::<T>::iter() {
			let mine = || {
				active
					.iter()
					.filter(|i| i.service_type == service_type && i.provider == provider)
			};
			let used = mine().fold(0 as Volume, |s, i| s.saturating_add(i.volume));
			let assigned = mine()
				.filter(|i| i.status == InstanceStatus::Assigned)
				.fold(0 as Rep, |s, i| s.saturating_add(i.backing));
			ensure!(offer.used == used, "an offer's used capacity is not Σ active volumes");
			ensure!(offer.active as usize == mine().count(), "an offer's active count is wrong");
			ensure!(offer.committed == assigned, "an offer's committed backing is wrong");
			ensure!(offer.committed <= offer.stake, "an offer commits more than its stake");
			ensure!(offer.used <= offer.capacity, "an offer uses more than its capacity");
			ensure!(
				OfferProviders::<T>::get(service_type, offer.id).as_ref() == Some(&provider),
				"an offer id does not map to its provider"
			);
			let s = stakes.entry(provider).or_default();
			*s = s.saturating_add(offer.stake);
		}
		for (provider, stake) in &stakes {
			ensure!(
				T::Reputation::bonded_of(provider) >= *stake,
				"a provider's bond is below its offers' stakes"
			);
		}

		for (service_type, record) in ServiceTypes::<T>::iter() {
			let mut expected = Summary::default();
			let mut count = 0usize;
			for o in Offers::<T>::iter_prefix_values(service_type) {
				// A changed minimum stake reaches an offer's leaf when the offer next changes:
				// its free capacity there is what it has, or 0 (below the minimum it had).
				let leaf = Self::index_leaf(service_type, Self::offer_key_of(&o));
				let free = o.capacity.saturating_sub(o.used);
				ensure!(
					leaf.offers == 1
						&& leaf.weight == o.stake.saturating_add(1)
						&& (leaf.max_free == free || leaf.max_free == 0),
					"an offer's leaf in the index does not summarise it"
				);
				expected = expected.merge(&leaf);
				count += 1;
			}
			ensure!(record.offers as usize == count, "a type's offer count is wrong");
			let root = OfferIndex::<T>::get(service_type, (0, 0));
			let actual = root.iter().fold(Summary::default(), Summary::merge);
			ensure!(actual == expected, "a type's offer index does not summarise its leaves");
		}
		Ok(())
	}
}
