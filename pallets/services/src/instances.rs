//! Instances: negotiation, escrow, evaluation, compensation, cancellation, declining; and the reads the
//! runtime API serves.

use super::*;
use frame_support::traits::{
	fungible::Inspect,
	tokens::{Fortitude, Precision, Restriction},
};
use gpow_primitives_reputation::{PoolOutcome, PoolOutcomeHandler, Verdict};
use gpow_primitives_services::{InstanceInfo, OfferInfo, Quote};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{SaturatedConversion, Saturating, Zero},
	Perbill, Rounding,
};

/// Domain separation of negotiation seeds.
const NEGOTIATION_DOMAIN: &[u8] = b"gpow/services/negotiate";

/// A negotiated (not yet stored) assignment.
pub(crate) struct Assignment<T: Config> {
	/// The provider.
	pub provider: T::AccountId,
	/// Its offer.
	pub offer: OfferOf<T>,
	/// How many offers were within the rate (1 for a named provider).
	pub within_rate: u32,
	/// The service type's terms.
	pub terms: TermsOf<T>,
}

impl<T: Config> Pallet<T> {
	/// The negotiation seed of instance `id` with `definition` in a block whose parent is
	/// `parent`: blake2-256 of the domain, the parent block hash, the definition and the id.
	pub fn negotiation_seed(parent: &T::Hash, definition: &T::Hash, id: InstanceId) -> [u8; 32] {
		sp_crypto_hashing::blake2_256(&(NEGOTIATION_DOMAIN, parent, definition, id).encode())
	}

	/// Picks the provider of an instance of `volume` at up to `max_rate` (or checks the named
	/// `provider`), without changing anything.
	pub(crate) fn negotiate(
		service_type: ServiceTypeId,
		volume: Volume,
		max_rate: BalanceOf<T>,
		provider: Option<T::AccountId>,
		seed: &[u8; 32],
	) -> Result<Assignment<T>, Error<T>> {
		let terms = ServiceTypes::<T>::get(service_type)
			.ok_or(Error::<T>::UnknownServiceType)?
			.terms;
		ensure!(volume > 0, Error::<T>::ZeroVolume);
		let max_key = Self::rate_key(max_rate).unwrap_or(u64::MAX);
		if let Some(provider) = provider {
			let offer =
				Offers::<T>::get(service_type, &provider).ok_or(Error::<T>::ProviderNotOffering)?;
			ensure!(offer.rate <= max_rate, Error::<T>::ProviderRateTooHigh);
			// The offer's leaf, as negotiation without a name sees it.
			let leaf = Self::index_leaf(service_type, Self::offer_key_of(&offer));
			ensure!(leaf.max_free >= volume, Error::<T>::ProviderLacksCapacity);
			return Ok(Assignment { provider, offer, within_rate: 1, terms });
		}
		let pick =
			Self::index_pick(service_type, max_key, volume, seed).map_err(|why| match why {
				NoFit::NoOffers => Error::<T>::NoOffers,
				NoFit::Rate => Error::<T>::NoProviderWithinRate,
				NoFit::Capacity => Error::<T>::NoProviderWithCapacity,
			})?;
		let provider = OfferProviders::<T>::get(service_type, pick.offer)
			.ok_or(Error::<T>::ProviderNotOffering)?;
		let offer =
			Offers::<T>::get(service_type, &provider).ok_or(Error::<T>::ProviderNotOffering)?;
		Ok(Assignment { provider, offer, within_rate: pick.within_rate, terms })
	}

	/// The REP of `offer`'s stake that backs a new instance of `volume`: its share of the
	/// stake by volume, at most what is not committed yet.
	fn backing_for(offer: &OfferOf<T>, volume: Volume) -> Rep {
		let share = multiply_by_rational_with_rounding(
			offer.stake,
			u128::from(volume),
			u128::from(offer.capacity.max(1)),
			Rounding::Down,
		)
		.unwrap_or(0);
		share.min(offer.stake.saturating_sub(offer.committed))
	}

	/// The fee of `volume` units at `rate`.
	pub(crate) fn fee_of(rate: BalanceOf<T>, volume: Volume) -> Result<BalanceOf<T>, Error<T>> {
		rate.saturated_into::<u128>()
			.checked_mul(u128::from(volume))
			.and_then(|fee| BalanceOf::<T>::try_from(fee).ok())
			.ok_or(Error::<T>::FeeOverflow)
	}

	/// Requests an instance; see [`Pallet::request`]. Returns its id.
	pub(crate) fn do_request(
		consumer: &T::AccountId,
		service_type: ServiceTypeId,
		definition: T::Hash,
		payload: BoundedVec<u8, T::MaxPayloadLen>,
		volume: Volume,
		max_rate: BalanceOf<T>,
		provider: Option<T::AccountId>,
	) -> Result<InstanceId, DispatchError> {
		let id = NextInstanceId::<T>::get();
		let following = id.checked_add(1).ok_or(Error::<T>::IdsExhausted)?;
		let seed =
			Self::negotiation_seed(&frame_system::Pallet::<T>::parent_hash(), &definition, id);
		let Assignment { provider, mut offer, terms, .. } =
			Self::negotiate(service_type, volume, max_rate, provider, &seed)?;
		let fee = Self::fee_of(offer.rate, volume)?;

		if !fee.is_zero() {
			T::Currency::hold(&HoldReason::Escrow.into(), consumer, fee)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		let now = frame_system::Pallet::<T>::block_number();
		let deadline = now.saturating_add(terms.deadline);
		let backing = Self::backing_for(&offer, volume);
		let rate = offer.rate;
		offer.used = offer.used.saturating_add(volume);
		offer.committed = offer.committed.saturating_add(backing);
		offer.active = offer.active.saturating_add(1);
		Self::index_offer(service_type, &offer, terms.min_stake);
		Offers::<T>::insert(service_type, &provider, offer);

		let footprint = Footprint::from_parts(1, InstanceOf::<T>::max_encoded_len());
		let instance = InstanceRecord {
			service_type,
			consumer: consumer.clone(),
			provider: provider.clone(),
			definition,
			payload,
			volume,
			rate,
			fee,
			backing,
			requested_at: now,
			deadline,
			status: InstanceStatus::Assigned,
			ticket: T::InstanceConsideration::new(consumer, footprint)?,
		};
		Instances::<T>::insert(id, instance);
		NextInstanceId::<T>::put(following);
		TotalEscrow::<T>::mutate(|e| *e = e.saturating_add(fee));
		Self::deposit_event(Event::Requested {
			instance: id,
			service_type,
			consumer: consumer.clone(),
			provider,
			volume,
			fee,
			deadline,
		});
		Ok(id)
	}
}

impl<T: Config> Pallet<T> {
	/// The pool fee the provider pays to have `instance_fee` evaluated under `terms`: the
	/// validators' share, at least the parameter set's minimum fee and the existential deposit.
	pub fn evaluation_fee(terms: &TermsOf<T>, instance_fee: BalanceOf<T>) -> BalanceOf<T> {
		let min_fee = <T::Reputation as ValidationPools<_, _>>::min_fee(&terms.param_set)
			.unwrap_or_else(Zero::zero);
		terms
			.validators_share
			.mul_floor(instance_fee)
			.max(min_fee)
			.max(T::Currency::minimum_balance())
	}

	/// Submits a result; see [`Pallet::submit_result`].
	pub(crate) fn do_submit_result(
		provider: &T::AccountId,
		id: InstanceId,
		result: T::Hash,
		evidence: T::Hash,
	) -> DispatchResult {
		let mut instance = Instances::<T>::get(id).ok_or(Error::<T>::UnknownInstance)?;
		ensure!(&instance.provider == provider, Error::<T>::NotProvider);
		ensure!(instance.status == InstanceStatus::Assigned, Error::<T>::NotAssigned);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < instance.deadline, Error::<T>::DeadlinePassed);
		let record =
			ServiceTypes::<T>::get(instance.service_type).ok_or(Error::<T>::UnknownServiceType)?;
		let terms = record.terms;

		let post = T::Reputation::add_post(
			provider,
			alloc::vec![(provider.clone(), Perbill::one())],
			evidence,
			Vec::new(),
		)?;
		let evaluation_fee = Self::evaluation_fee(&terms, instance.fee);
		let pool = T::Reputation::open_backed_pool(
			provider,
			post,
			&terms.param_set,
			terms.panel_size,
			evaluation_fee,
			provider,
			instance.backing,
			// The consumer never judges its own purchase.
			core::slice::from_ref(&instance.consumer),
		)?;
		// The backing left the bond for the pool.
		Self::change_offer(instance.service_type, provider, terms.min_stake, |offer| {
			offer.stake = offer.stake.saturating_sub(instance.backing);
			offer.committed = offer.committed.saturating_sub(instance.backing);
		});
		instance.status = InstanceStatus::Evaluating { pool, post, result };
		Instances::<T>::insert(id, instance);
		PoolInstances::<T>::insert(pool, id);
		Self::deposit_event(Event::ResultSubmitted {
			instance: id,
			result,
			post,
			pool,
			evaluation_fee,
		});
		Ok(())
	}

	/// Applies `f` to `provider`'s offer of `service_type` and re-indexes it.
	fn change_offer(
		service_type: ServiceTypeId,
		provider: &T::AccountId,
		min_stake: Rep,
		f: impl FnOnce(&mut OfferOf<T>),
	) {
		let Some(mut offer) = Offers::<T>::get(service_type, provider) else {
			// An offer with active instances cannot be withdrawn.
			log::error!(target: "services", "offer of an active instance is missing");
			return;
		};
		f(&mut offer);
		Self::index_offer(service_type, &offer, min_stake);
		Offers::<T>::insert(service_type, provider, offer);
	}

	/// Ends active `instance` with `status`: releases its capacity (and `committed` backing),
	/// adds `returned` REP back to the offer's stake, re-indexes the offer under its type's
	/// `min_stake`, and takes the fee out of the escrow total.
	fn finish(
		id: InstanceId,
		mut instance: InstanceOf<T>,
		status: InstanceStatus<T::Hash>,
		min_stake: Rep,
		committed: Rep,
		returned: Rep,
		slashed: Rep,
	) {
		let volume = instance.volume;
		Self::change_offer(instance.service_type, &instance.provider, min_stake, |offer| {
			offer.used = offer.used.saturating_sub(volume);
			offer.active = offer.active.saturating_sub(1);
			offer.committed = offer.committed.saturating_sub(committed);
			offer.stake = offer.stake.saturating_add(returned).saturating_sub(slashed);
		});
		TotalEscrow::<T>::mutate(|e| *e = e.saturating_sub(instance.fee));
		instance.status = status;
		Instances::<T>::insert(id, instance);
	}

	/// Gives the consumer of `instance` its fee back.
	fn refund(id: InstanceId, instance: &InstanceOf<T>, status: InstanceStatus<T::Hash>) {
		if !instance.fee.is_zero() {
			let released = T::Currency::release(
				&HoldReason::Escrow.into(),
				&instance.consumer,
				instance.fee,
				Precision::BestEffort,
			);
			if released.ok() != Some(instance.fee) {
				log::error!(target: "services", "escrow of instance {id} was not fully held");
			}
		}
		Self::deposit_event(Event::Refunded { instance: id, amount: instance.fee, status });
	}

	/// Pays a passed instance's fee out of escrow: the author's share to the service author,
	/// the rest to the provider. A part that cannot be paid (an account it would not create)
	/// goes to the provider, then back to the consumer.
	fn pay(id: InstanceId, instance: &InstanceOf<T>, author: &T::AccountId, share: Perbill) {
		let escrow = HoldReason::Escrow.into();
		let pay = |to: &T::AccountId, amount: BalanceOf<T>| {
			amount.is_zero()
				|| T::Currency::transfer_on_hold(
					&escrow,
					&instance.consumer,
					to,
					amount,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Polite,
				)
				.is_ok()
		};
		let mut author_amount = share.mul_floor(instance.fee);
		if !pay(author, author_amount) {
			author_amount = Zero::zero();
		}
		let mut provider_amount = instance.fee.saturating_sub(author_amount);
		if !pay(&instance.provider, provider_amount) {
			let _ = T::Currency::release(
				&escrow,
				&instance.consumer,
				provider_amount,
				Precision::BestEffort,
			);
			provider_amount = Zero::zero();
		}
		Self::deposit_event(Event::Paid { instance: id, provider_amount, author_amount });
	}

	/// Cancels an instance whose provider missed the deadline; see [`Pallet::cancel`].
	pub(crate) fn do_cancel(consumer: &T::AccountId, id: InstanceId) -> DispatchResult {
		let instance = Instances::<T>::get(id).ok_or(Error::<T>::UnknownInstance)?;
		ensure!(&instance.consumer == consumer, Error::<T>::NotConsumer);
		ensure!(instance.status == InstanceStatus::Assigned, Error::<T>::NotAssigned);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= instance.deadline, Error::<T>::DeadlineNotReached);

		Self::refund(id, &instance, InstanceStatus::Cancelled);
		let slashed = T::Reputation::slash_bond(&instance.provider, instance.backing);
		Self::deposit_event(Event::Slashed {
			instance: id,
			provider: instance.provider.clone(),
			amount: slashed,
		});
		let backing = instance.backing;
		let min_stake =
			ServiceTypes::<T>::get(instance.service_type).map_or(0, |t| t.terms.min_stake);
		Self::finish(id, instance, InstanceStatus::Cancelled, min_stake, backing, 0, slashed);
		Ok(())
	}

	/// Declines an assigned instance; see [`Pallet::decline`].
	pub(crate) fn do_decline(provider: &T::AccountId, id: InstanceId) -> DispatchResult {
		let instance = Instances::<T>::get(id).ok_or(Error::<T>::UnknownInstance)?;
		ensure!(&instance.provider == provider, Error::<T>::NotProvider);
		ensure!(instance.status == InstanceStatus::Assigned, Error::<T>::NotAssigned);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			now < decline_until(instance.requested_at, instance.deadline),
			Error::<T>::DeclineWindowClosed
		);

		Self::refund(id, &instance, InstanceStatus::Declined);
		let backing = instance.backing;
		let min_stake =
			ServiceTypes::<T>::get(instance.service_type).map_or(0, |t| t.terms.min_stake);
		Self::finish(id, instance, InstanceStatus::Declined, min_stake, backing, 0, 0);
		Ok(())
	}

	/// Removes a finished instance; see [`Pallet::close_instance`].
	pub(crate) fn do_close_instance(consumer: &T::AccountId, id: InstanceId) -> DispatchResult {
		let instance = Instances::<T>::get(id).ok_or(Error::<T>::UnknownInstance)?;
		ensure!(&instance.consumer == consumer, Error::<T>::NotConsumer);
		ensure!(!instance.status.is_active(), Error::<T>::InstanceActive);
		instance.ticket.drop(consumer)?;
		Instances::<T>::remove(id);
		Self::deposit_event(Event::InstanceClosed { instance: id });
		Ok(())
	}

	// ---- Reads for the runtime API ----

	/// A dry run of negotiation for the next instance with `definition`, as a request in the
	/// block after `best` (the block whose state this runs on) would negotiate it: seeded with
	/// `best`'s hash and the next instance id. A request that another one precedes in that
	/// block gets a later id and so another seed; whether anything fits does not change.
	pub fn quote(
		service_type: ServiceTypeId,
		volume: Volume,
		max_rate: BalanceOf<T>,
		definition: T::Hash,
		best: T::Hash,
	) -> Result<Quote<T::AccountId, BalanceOf<T>>, QuoteError> {
		let seed = Self::negotiation_seed(&best, &definition, NextInstanceId::<T>::get());
		let assignment = Self::negotiate(service_type, volume, max_rate, None, &seed)
			.map_err(QuoteError::from)?;
		let rate = assignment.offer.rate;
		Ok(Quote {
			provider: assignment.provider,
			rate,
			fee: Self::fee_of(rate, volume).map_err(QuoteError::from)?,
			within_rate: assignment.within_rate,
		})
	}

	/// The offers of `service_type`.
	pub fn offers_of(service_type: ServiceTypeId) -> Vec<OfferInfo<T::AccountId, BalanceOf<T>>> {
		Offers::<T>::iter_prefix(service_type)
			.map(|(provider, o)| OfferInfo {
				provider,
				id: o.id,
				capacity: o.capacity,
				used: o.used,
				rate: o.rate,
				endpoint: o.endpoint.into_inner(),
				stake: o.stake,
				committed: o.committed,
				active: o.active,
			})
			.collect()
	}

	/// An instance and its status.
	pub fn instance_info(id: InstanceId) -> Option<InstanceInfoOf<T>> {
		Instances::<T>::get(id).map(|i| InstanceInfo {
			service_type: i.service_type,
			consumer: i.consumer,
			provider: i.provider,
			definition: i.definition,
			payload: i.payload.into_inner(),
			volume: i.volume,
			rate: i.rate,
			fee: i.fee,
			backing: i.backing,
			requested_at: i.requested_at,
			deadline: i.deadline,
			status: i.status,
		})
	}
}

impl<T: Config> From<Error<T>> for QuoteError {
	fn from(e: Error<T>) -> Self {
		match e {
			Error::<T>::UnknownServiceType => Self::UnknownServiceType,
			Error::<T>::ZeroVolume => Self::ZeroVolume,
			Error::<T>::NoOffers => Self::NoOffers,
			Error::<T>::NoProviderWithinRate => Self::NoProviderWithinRate,
			Error::<T>::NoProviderWithCapacity => Self::NoProviderWithCapacity,
			_ => Self::FeeOverflow,
		}
	}
}

impl<T: Config> PoolOutcomeHandler<T::AccountId> for Pallet<T> {
	fn on_pool_settled(outcome: &PoolOutcome<T::AccountId>) {
		let Some(id) = PoolInstances::<T>::take(outcome.pool) else { return };
		let Some(instance) = Instances::<T>::get(id) else { return };
		let returned = outcome.backing_returned.as_ref().map_or(0, |(_, rep)| *rep);
		let terms = ServiceTypes::<T>::get(instance.service_type).map(|t| t.terms);
		let min_stake = terms.as_ref().map_or(0, |t| t.min_stake);
		let status = match outcome.verdict {
			Verdict::Passed => InstanceStatus::Completed,
			Verdict::Failed => InstanceStatus::Failed,
			Verdict::NoQuorum => InstanceStatus::Unjudged,
		};
		match (status, terms) {
			(InstanceStatus::Completed, Some(terms)) => {
				Self::pay(id, &instance, &terms.author, terms.author_share)
			},
			_ => Self::refund(id, &instance, status),
		}
		Self::finish(id, instance, status, min_stake, 0, returned, 0);
	}

	fn weight() -> Weight {
		T::WeightInfo::on_pool_settled()
	}
}
