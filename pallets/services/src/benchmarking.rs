//! Benchmarks of the services pallet (frame-benchmarking v2): every call in its worst case.
//!
//! `request` takes `o`, the number of offers of the type, from 10 to 10,000: negotiation reads
//! a fixed number of nodes of the offer index, so its cost must not depend on `o` (the weight
//! function drops it). Every offer fits, so the pick descends the full depth of the index.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::{Inspect, Mutate};
use frame_system::RawOrigin;
use gpow_primitives_reputation::{default_param_set, PoolOutcome, PoolOutcomeHandler, Verdict};
use sp_runtime::{
	traits::{Bounded, SaturatedConversion, Saturating},
	Perbill,
};

const SEED: u32 = 0;
/// The REP of every benchmark provider and validator.
const REP: Rep = 1_000_000;
/// The capacity of every benchmark offer.
const CAPACITY: Volume = 1_000_000;

/// An account with a million existential deposits and the deposits of an offer and an
/// instance.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let amount = T::Currency::minimum_balance().saturating_mul(1_000_000u32.into());
	T::Currency::set_balance(&who, amount);
	T::OfferConsideration::ensure_successful(
		&who,
		Footprint::from_parts(1, OfferOf::<T>::max_encoded_len()),
	);
	T::InstanceConsideration::ensure_successful(
		&who,
		Footprint::from_parts(1, InstanceOf::<T>::max_encoded_len()),
	);
	who
}

/// A REP holder with plenty of currency.
fn member<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who = funded::<T>(name, index);
	T::BenchmarkHelper::endow_rep(&who, REP);
	who
}

/// The benchmark type's terms: a panel of one, the default pool parameters.
fn terms<T: Config>() -> TermsOf<T> {
	Terms {
		panel_size: 1,
		param_set: default_param_set(),
		deadline: 100u32.into(),
		author: account("author", 0, SEED),
		author_share: Perbill::from_percent(10),
		validators_share: Perbill::from_percent(10),
		min_stake: 1,
	}
}

/// Registers the benchmark type (id 0) with the longest names.
fn service_type<T: Config>() -> ServiceTypeId {
	let name = BoundedVec::truncate_from(alloc::vec![b'n'; T::MaxNameLen::get() as usize]);
	Pallet::<T>::do_register_type(name.clone(), T::Hash::default(), name, terms::<T>())
		.expect("benchmark setup: the terms are valid");
	NextTypeId::<T>::get() - 1
}

/// The longest endpoint.
fn endpoint<T: Config>() -> BoundedVec<u8, T::MaxEndpointLen> {
	BoundedVec::truncate_from(alloc::vec![b'e'; T::MaxEndpointLen::get() as usize])
}

/// `n` offers of `ty` by `n` providers, at rates spread over the key width; returns the
/// providers.
fn offers<T: Config>(ty: ServiceTypeId, n: u32) -> Vec<T::AccountId> {
	(0..n)
		.map(|i| {
			let provider = member::<T>("provider", i);
			// Spread rates so the index's paths diverge early and stay full depth.
			let rate: BalanceOf<T> =
				(u64::from(i).wrapping_mul(0x9e37_79b9) % 1_000 + 1).saturated_into();
			Pallet::<T>::do_offer(&provider, ty, CAPACITY, rate, endpoint::<T>(), REP / 2)
				.expect("benchmark setup: the offer is valid");
			provider
		})
		.collect()
}

/// A consumer's assigned instance of `ty` with `provider` (named); returns its id and the
/// consumer.
fn instance<T: Config>(ty: ServiceTypeId, provider: &T::AccountId) -> (InstanceId, T::AccountId) {
	let consumer = funded::<T>("consumer", 0);
	let payload = BoundedVec::truncate_from(alloc::vec![b'p'; T::MaxPayloadLen::get() as usize]);
	let id = Pallet::<T>::do_request(
		&consumer,
		ty,
		T::Hash::default(),
		payload,
		10,
		BalanceOf::<T>::max_value(),
		Some(provider.clone()),
	)
	.expect("benchmark setup: the request fits");
	(id, consumer)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_type() {
		let name = BoundedVec::truncate_from(alloc::vec![b'n'; T::MaxNameLen::get() as usize]);
		#[extrinsic_call]
		_(RawOrigin::Root, name.clone(), T::Hash::default(), name, terms::<T>());

		assert!(ServiceTypes::<T>::contains_key(0));
	}

	#[benchmark]
	fn set_terms() {
		let ty = service_type::<T>();
		let new_terms = Terms { panel_size: 2, ..terms::<T>() };
		#[extrinsic_call]
		_(RawOrigin::Root, ty, new_terms);

		assert_eq!(ServiceTypes::<T>::get(ty).map(|t| t.terms.panel_size), Some(2));
	}

	#[benchmark]
	fn offer() {
		let ty = service_type::<T>();
		offers::<T>(ty, 10);
		let provider = member::<T>("new-provider", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), ty, CAPACITY, 7u32.into(), endpoint::<T>(), REP);

		assert!(Offers::<T>::contains_key(ty, provider));
	}

	#[benchmark]
	fn update_offer() {
		let ty = service_type::<T>();
		let provider = offers::<T>(ty, 10).remove(0);
		// A new rate moves the offer's leaf: two index paths are written.
		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), ty, CAPACITY * 2, 999u32.into(), REP);

		assert_eq!(Offers::<T>::get(ty, provider).map(|o| o.capacity), Some(CAPACITY * 2));
	}

	#[benchmark]
	fn withdraw_offer() {
		let ty = service_type::<T>();
		let provider = offers::<T>(ty, 10).remove(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), ty);

		assert!(!Offers::<T>::contains_key(ty, provider));
	}

	#[benchmark]
	fn request(o: Linear<10, 10_000>) {
		let ty = service_type::<T>();
		offers::<T>(ty, o);
		let consumer = funded::<T>("consumer", 0);
		let payload =
			BoundedVec::truncate_from(alloc::vec![b'p'; T::MaxPayloadLen::get() as usize]);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(consumer),
			ty,
			T::Hash::default(),
			payload,
			10,
			BalanceOf::<T>::max_value(),
			None,
		);

		assert!(Instances::<T>::contains_key(0));
	}

	#[benchmark]
	fn submit_result() {
		let ty = service_type::<T>();
		let provider = offers::<T>(ty, 1).remove(0);
		member::<T>("validator", 0);
		let (id, _) = instance::<T>(ty, &provider);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id, T::Hash::default(), T::Hash::default());

		assert!(matches!(
			Instances::<T>::get(id).map(|i| i.status),
			Some(InstanceStatus::Evaluating { .. })
		));
	}

	#[benchmark]
	fn cancel() {
		let ty = service_type::<T>();
		let provider = offers::<T>(ty, 1).remove(0);
		let (id, consumer) = instance::<T>(ty, &provider);
		let deadline = Instances::<T>::get(id).map(|i| i.deadline).unwrap_or_default();
		frame_system::Pallet::<T>::set_block_number(deadline);
		#[extrinsic_call]
		_(RawOrigin::Signed(consumer), id);

		assert_eq!(Instances::<T>::get(id).map(|i| i.status), Some(InstanceStatus::Cancelled));
	}

	#[benchmark]
	fn decline() {
		let ty = service_type::<T>();
		let provider = offers::<T>(ty, 1).remove(0);
		let (id, _) = instance::<T>(ty, &provider);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id);

		assert_eq!(Instances::<T>::get(id).map(|i| i.status), Some(InstanceStatus::Declined));
	}

	#[benchmark]
	fn close_instance() {
		let ty = service_type::<T>();
		let provider = offers::<T>(ty, 1).remove(0);
		let (id, consumer) = instance::<T>(ty, &provider);
		let deadline = Instances::<T>::get(id).map(|i| i.deadline).unwrap_or_default();
		frame_system::Pallet::<T>::set_block_number(deadline);
		Pallet::<T>::do_cancel(&consumer, id).expect("benchmark setup: the deadline passed");
		#[extrinsic_call]
		_(RawOrigin::Signed(consumer), id);

		assert!(!Instances::<T>::contains_key(id));
	}

	#[benchmark]
	fn on_pool_settled() -> Result<(), BenchmarkError> {
		let ty = service_type::<T>();
		let provider = offers::<T>(ty, 1).remove(0);
		member::<T>("validator", 0);
		let (id, _) = instance::<T>(ty, &provider);
		Pallet::<T>::do_submit_result(&provider, id, T::Hash::default(), T::Hash::default())
			.expect("benchmark setup: the result is in time");
		let Some(InstanceStatus::Evaluating { pool, post, .. }) =
			Instances::<T>::get(id).map(|i| i.status)
		else {
			return Err(BenchmarkError::Stop("the instance is not being evaluated"));
		};
		// A pass pays the provider and the author: the most transfers.
		let outcome = PoolOutcome {
			pool,
			post,
			verdict: Verdict::Passed,
			total_for: 1,
			total_against: 0,
			bootstrap: false,
			backing_returned: Some((provider, 1)),
		};
		#[block]
		{
			<Pallet<T> as PoolOutcomeHandler<T::AccountId>>::on_pool_settled(&outcome);
		}

		assert_eq!(Instances::<T>::get(id).map(|i| i.status), Some(InstanceStatus::Completed));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
