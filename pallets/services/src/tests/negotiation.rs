//! Negotiation: filtering by rate and free capacity, weighting by stake, named providers, and
//! every way a request can fail.

use super::*;
use frame_support::assert_noop;

/// A request of type 0 that is expected to fail.
fn try_request(
	consumer: AccountId,
	volume: Volume,
	max_rate: u64,
	provider: Option<AccountId>,
) -> sp_runtime::DispatchResult {
	Services::request(
		RuntimeOrigin::signed(consumer),
		0,
		H256::zero(),
		bytes(b"p"),
		volume,
		max_rate,
		provider,
	)
}

#[test]
fn a_request_holds_the_fee_and_uses_capacity() {
	new_market().execute_with(|| {
		offer(P1, 100, 5, 400);
		let before = balance(CONSUMER);
		let id = request(CONSUMER, 10, 5, None);
		let i = Instances::<Test>::get(id).unwrap();
		assert_eq!((i.provider, i.volume, i.rate, i.fee, i.backing), (P1, 10, 5, 50, 40));
		assert_eq!(i.deadline, System::block_number() + DEADLINE);
		assert_eq!(i.status, InstanceStatus::Assigned);
		assert_eq!(escrow_of(CONSUMER), 50);
		assert!(balance(CONSUMER) < before - 50, "the fee and the record's deposit are held");
		assert_eq!((offer_of(P1).used, offer_of(P1).committed, offer_of(P1).active), (10, 40, 1));
		assert!(events().iter().any(|e| matches!(
			e,
			Event::Requested { instance: 0, provider: P1, volume: 10, fee: 50, .. }
		)));
		check_invariants();
	});
}

#[test]
fn negotiation_drops_offers_above_the_rate_or_without_capacity() {
	new_market().execute_with(|| {
		offer(P1, 100, 5, 400);
		offer(P2, 100, 10, 400);
		offer(P3, 5, 3, 400);
		for _ in 0..20 {
			let id = request(CONSUMER, 2, 5, None);
			let provider = Instances::<Test>::get(id).unwrap().provider;
			assert!(provider == P1 || provider == P3, "P2's rate is above 5");
		}
		check_invariants();
		// P3 is now full or nearly: a volume of 6 fits only P1 at rate 5.
		for _ in 0..10 {
			let id = request(CONSUMER, 6, 5, None);
			assert_eq!(Instances::<Test>::get(id).unwrap().provider, P1);
		}
		check_invariants();
	});
}

#[test]
fn no_fit_says_which_criterion_failed_and_changes_nothing() {
	new_market().execute_with(|| {
		assert_noop!(try_request(CONSUMER, 1, 100, None), Error::<Test>::NoOffers);
		offer(P1, 100, 5, 400);
		offer(P2, 50, 8, 400);
		assert_noop!(try_request(CONSUMER, 1, 4, None), Error::<Test>::NoProviderWithinRate);
		assert_noop!(try_request(CONSUMER, 101, 10, None), Error::<Test>::NoProviderWithCapacity);
		assert_noop!(try_request(CONSUMER, 101, 5, None), Error::<Test>::NoProviderWithCapacity);
		assert_noop!(try_request(CONSUMER, 0, 10, None), Error::<Test>::ZeroVolume);
		assert_noop!(
			Services::request(
				RuntimeOrigin::signed(CONSUMER),
				3,
				H256::zero(),
				bytes(b"p"),
				1,
				10,
				None
			),
			Error::<Test>::UnknownServiceType
		);
		// An account without funds cannot pay the fee.
		assert_noop!(try_request(ENDOWED + 1, 1, 10, None), Error::<Test>::InsufficientBalance);
		assert_noop!(
			try_request(CONSUMER, u64::MAX, 10, Some(P1)),
			Error::<Test>::ProviderLacksCapacity
		);
	});
}

#[test]
fn a_named_provider_is_taken_if_it_fits() {
	new_market().execute_with(|| {
		offer(P1, 100, 5, 400);
		offer(P2, 50, 8, 400);
		let id = request(CONSUMER, 10, 8, Some(P2));
		assert_eq!(Instances::<Test>::get(id).unwrap().provider, P2);
		assert_noop!(try_request(CONSUMER, 1, 10, Some(P3)), Error::<Test>::ProviderNotOffering);
		assert_noop!(try_request(CONSUMER, 1, 7, Some(P2)), Error::<Test>::ProviderRateTooHigh);
		assert_noop!(try_request(CONSUMER, 41, 8, Some(P2)), Error::<Test>::ProviderLacksCapacity);
	});
}

#[test]
fn a_fee_that_overflows_is_refused() {
	new_market().execute_with(|| {
		offer(P1, u64::MAX, u64::MAX / 2, 400);
		assert_noop!(try_request(CONSUMER, 3, u64::MAX, None), Error::<Test>::FeeOverflow);
	});
}

#[test]
fn an_offer_whose_stake_is_below_the_minimum_is_not_picked() {
	new_market().execute_with(|| {
		offer(P1, 100, 5, MIN_STAKE);
		let id = request(CONSUMER, 10, 5, None);
		// The backing (10% of the stake) leaves the bond for the evaluation pool.
		submit(id);
		assert_eq!(offer_of(P1).stake, MIN_STAKE - 10);
		assert_noop!(try_request(CONSUMER, 1, 5, None), Error::<Test>::NoProviderWithCapacity);
		assert_noop!(try_request(CONSUMER, 1, 5, Some(P1)), Error::<Test>::ProviderLacksCapacity);
		check_invariants();
	});
}

#[test]
fn the_pick_is_weighted_by_stake() {
	new_market().execute_with(|| {
		offer(P1, 10_000, 5, 900);
		offer(P2, 10_000, 5, 100);
		let mut p1 = 0;
		for _ in 0..400 {
			let id = request(CONSUMER, 1, 5, None);
			if Instances::<Test>::get(id).unwrap().provider == P1 {
				p1 += 1;
			}
		}
		// Weights 901 : 101, so P1 is expected ~360 times of 400; the seeds are fixed, so the
		// count is too, and a uniform pick (~200) is far outside the band.
		assert!((320..=390).contains(&p1), "P1 picked {p1} times of 400");
	});
}

/// Brute force: the answer negotiation must give for (`max_rate`, `volume`) over `offers`
/// (rate, free capacity).
fn expected(offers: &[(u64, u64)], max_rate: u64, volume: u64) -> Result<(), QuoteError> {
	if offers.is_empty() {
		return Err(QuoteError::NoOffers);
	}
	let within: Vec<&(u64, u64)> = offers.iter().filter(|(r, _)| *r <= max_rate).collect();
	if within.is_empty() {
		return Err(QuoteError::NoProviderWithinRate);
	}
	if within.iter().all(|(_, free)| *free < volume) {
		return Err(QuoteError::NoProviderWithCapacity);
	}
	Ok(())
}

#[test]
fn the_index_agrees_with_a_brute_force_scan() {
	new_test_ext().execute_with(|| {
		register(Terms { min_stake: 0, ..terms() });
		let mut seed = 0x9e37_79b9_7f4a_7c15u64;
		let mut next = move || {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			seed
		};
		let mut offers = Vec::new();
		for provider in 100..400u64 {
			// Rates cluster (many equal) and spread over the whole key width.
			let rate = match next() % 3 {
				0 => next() % 50,
				1 => next() % 1_000_000,
				_ => next() >> (next() % 64),
			};
			let capacity = 1 + next() % 1_000;
			offer(provider, capacity, rate, 0);
			offers.push((provider, rate, capacity));
		}
		check_invariants();
		let table: Vec<(u64, u64)> = offers.iter().map(|(_, r, c)| (*r, *c)).collect();
		for query in 0..2_000u64 {
			let max_rate = match query % 4 {
				0 => next() % 60,
				1 => next() % 2_000_000,
				2 => u64::MAX,
				_ => table[(next() % table.len() as u64) as usize].0,
			};
			let volume = 1 + next() % 1_100;
			let quote =
				Services::quote(0, volume, max_rate, H256::from_low_u64_be(query), H256::zero());
			match (quote, expected(&table, max_rate, volume)) {
				(Ok(q), Ok(())) => {
					let (_, rate, capacity) =
						offers.iter().find(|(p, _, _)| *p == q.provider).unwrap();
					assert!(*rate <= max_rate && *capacity >= volume, "query {query}");
					assert_eq!(q.rate, *rate);
					assert_eq!(q.fee, rate * volume);
				},
				(Err(got), Err(want)) => assert_eq!(got, want, "query {query}"),
				// A fitting offer was found but rate × volume overflows the balance type.
				(Err(QuoteError::FeeOverflow), Ok(())) => {},
				(got, want) => panic!("query {query}: got {got:?}, want {want:?}"),
			}
		}
	});
}
