//! Service types and offers: registration, terms, offering, changing and withdrawing.

use super::*;
use crate::market::{offer_key, Summary};
use sp_runtime::traits::SaturatedConversion;

impl<T: Config> Pallet<T> {
	/// Checks `terms` against the pallet's bounds and the reputation pallet's parameter sets.
	fn check_terms(terms: &TermsOf<T>) -> DispatchResult {
		ensure!(
			terms
				.author_share
				.deconstruct()
				.saturating_add(terms.validators_share.deconstruct())
				<= sp_runtime::Perbill::one().deconstruct(),
			Error::<T>::SharesExceedWhole
		);
		ensure!(
			(1..=T::MaxPanelSize::get()).contains(&terms.panel_size),
			Error::<T>::InvalidPanelSize
		);
		ensure!(!terms.deadline.is_zero(), Error::<T>::ZeroDeadline);
		ensure!(
			<T::Reputation as ValidationPools<_, _>>::min_fee(&terms.param_set).is_some(),
			Error::<T>::UnknownParameterSet
		);
		Ok(())
	}

	/// Registers a service type; see [`Pallet::register_type`].
	pub(crate) fn do_register_type(
		name: BoundedVec<u8, T::MaxNameLen>,
		schema: T::Hash,
		unit: BoundedVec<u8, T::MaxNameLen>,
		terms: TermsOf<T>,
	) -> DispatchResult {
		Self::check_terms(&terms)?;
		let id = NextTypeId::<T>::get();
		NextTypeId::<T>::put(id.checked_add(1).ok_or(Error::<T>::IdsExhausted)?);
		ServiceTypes::<T>::insert(
			id,
			ServiceTypeRecord { name: name.clone(), schema, unit, terms, next_offer: 0, offers: 0 },
		);
		Self::deposit_event(Event::TypeRegistered { service_type: id, name: name.into_inner() });
		Ok(())
	}

	/// Changes a type's terms; see [`Pallet::set_terms`].
	pub(crate) fn do_set_terms(service_type: ServiceTypeId, terms: TermsOf<T>) -> DispatchResult {
		Self::check_terms(&terms)?;
		ServiceTypes::<T>::try_mutate(service_type, |t| -> DispatchResult {
			let t = t.as_mut().ok_or(Error::<T>::UnknownServiceType)?;
			t.terms = terms;
			Ok(())
		})?;
		Self::deposit_event(Event::TermsChanged { service_type });
		Ok(())
	}

	/// `rate` as the offer index's key width.
	pub(crate) fn rate_key(rate: BalanceOf<T>) -> Result<u64, Error<T>> {
		let rate: u128 = rate.saturated_into();
		u64::try_from(rate).map_err(|_| Error::<T>::RateTooHigh)
	}

	/// The offer's free capacity: 0 while its stake is below `min_stake`.
	pub(crate) fn free_capacity(offer: &OfferOf<T>, min_stake: Rep) -> Volume {
		if offer.stake < min_stake {
			0
		} else {
			offer.capacity.saturating_sub(offer.used)
		}
	}

	/// `offer`'s key in its type's index.
	pub(crate) fn offer_key_of(offer: &OfferOf<T>) -> u128 {
		// The rate was checked to fit a `u64` when it was set.
		offer_key(Self::rate_key(offer.rate).unwrap_or(u64::MAX), offer.id)
	}

	/// Writes `offer`'s leaf in the index of `service_type` (whose minimum stake is
	/// `min_stake`). The leaf is what negotiation sees: a change of the type's minimum stake
	/// applies to an offer when it is next written.
	pub(crate) fn index_offer(service_type: ServiceTypeId, offer: &OfferOf<T>, min_stake: Rep) {
		let leaf = Summary::of_offer(Self::free_capacity(offer, min_stake), offer.stake);
		Self::index_set(service_type, Self::offer_key_of(offer), leaf);
	}

	/// Removes `offer`'s leaf from the index of `service_type`.
	fn unindex_offer(service_type: ServiceTypeId, offer: &OfferOf<T>) {
		Self::index_set(service_type, Self::offer_key_of(offer), Summary::default());
	}

	/// Adds an offer; see [`Pallet::offer`].
	pub(crate) fn do_offer(
		provider: &T::AccountId,
		service_type: ServiceTypeId,
		capacity: Volume,
		rate: BalanceOf<T>,
		endpoint: BoundedVec<u8, T::MaxEndpointLen>,
		stake: Rep,
	) -> DispatchResult {
		let mut record =
			ServiceTypes::<T>::get(service_type).ok_or(Error::<T>::UnknownServiceType)?;
		ensure!(!Offers::<T>::contains_key(service_type, provider), Error::<T>::AlreadyOffering);
		ensure!(capacity > 0, Error::<T>::ZeroCapacity);
		Self::rate_key(rate)?;
		ensure!(stake >= record.terms.min_stake, Error::<T>::StakeBelowMinimum);
		let id = record.next_offer;
		record.next_offer = id.checked_add(1).ok_or(Error::<T>::IdsExhausted)?;
		record.offers = record.offers.saturating_add(1);

		T::Reputation::bond(provider, stake)?;
		let footprint = Footprint::from_parts(1, OfferOf::<T>::max_encoded_len());
		let ticket = T::OfferConsideration::new(provider, footprint)?;
		let offer = OfferRecord {
			id,
			capacity,
			used: 0,
			rate,
			endpoint,
			stake,
			committed: 0,
			active: 0,
			ticket,
		};
		OfferProviders::<T>::insert(service_type, id, provider);
		Self::store_offer(service_type, provider, offer, record.terms.min_stake);
		ServiceTypes::<T>::insert(service_type, record);
		Ok(())
	}

	/// Indexes and stores `provider`'s `offer` of `service_type` and reports it.
	fn store_offer(
		service_type: ServiceTypeId,
		provider: &T::AccountId,
		offer: OfferOf<T>,
		min_stake: Rep,
	) {
		Self::index_offer(service_type, &offer, min_stake);
		Self::deposit_event(Event::Offered {
			service_type,
			provider: provider.clone(),
			offer: offer.id,
			capacity: offer.capacity,
			rate: offer.rate,
			stake: offer.stake,
		});
		Offers::<T>::insert(service_type, provider, offer);
	}

	/// Changes an offer; see [`Pallet::update_offer`].
	pub(crate) fn do_update_offer(
		provider: &T::AccountId,
		service_type: ServiceTypeId,
		capacity: Volume,
		rate: BalanceOf<T>,
		stake: Rep,
	) -> DispatchResult {
		let mut offer = Offers::<T>::get(service_type, provider).ok_or(Error::<T>::NoOffer)?;
		let min_stake = ServiceTypes::<T>::get(service_type)
			.ok_or(Error::<T>::UnknownServiceType)?
			.terms
			.min_stake;
		ensure!(capacity > 0, Error::<T>::ZeroCapacity);
		ensure!(capacity >= offer.used, Error::<T>::CapacityInUse);
		Self::rate_key(rate)?;
		ensure!(stake >= min_stake, Error::<T>::StakeBelowMinimum);
		ensure!(stake >= offer.committed, Error::<T>::StakeCommitted);

		if stake > offer.stake {
			T::Reputation::bond(provider, stake - offer.stake)?;
		} else if stake < offer.stake {
			T::Reputation::unbond(provider, offer.stake - stake)?;
		}
		if offer.rate != rate {
			Self::unindex_offer(service_type, &offer);
		}
		offer.capacity = capacity;
		offer.rate = rate;
		offer.stake = stake;
		Self::store_offer(service_type, provider, offer, min_stake);
		Ok(())
	}

	/// Withdraws an offer; see [`Pallet::withdraw_offer`].
	pub(crate) fn do_withdraw_offer(
		provider: &T::AccountId,
		service_type: ServiceTypeId,
	) -> DispatchResult {
		let offer = Offers::<T>::get(service_type, provider).ok_or(Error::<T>::NoOffer)?;
		ensure!(offer.active == 0, Error::<T>::OfferActive);
		T::Reputation::unbond(provider, offer.stake)?;
		Self::unindex_offer(service_type, &offer);
		offer.ticket.drop(provider)?;
		Offers::<T>::remove(service_type, provider);
		OfferProviders::<T>::remove(service_type, offer.id);
		ServiceTypes::<T>::mutate(service_type, |t| {
			if let Some(t) = t {
				t.offers = t.offers.saturating_sub(1);
			}
		});
		Self::deposit_event(Event::OfferWithdrawn { service_type, provider: provider.clone() });
		Ok(())
	}
}
