//! Registering service types and changing their terms.

use super::*;
use frame_support::assert_noop;
use sp_runtime::DispatchError;

#[test]
fn root_registers_a_type_with_its_terms() {
	new_test_ext().execute_with(|| {
		let id = register(terms());
		assert_eq!(id, 0);
		let record = ServiceTypes::<Test>::get(0).unwrap();
		assert_eq!(record.name.to_vec(), b"transcode".to_vec());
		assert_eq!(record.unit.to_vec(), b"minute".to_vec());
		assert_eq!(record.terms, terms());
		assert_eq!((record.next_offer, record.offers), (0, 0));
		assert!(events()
			.contains(&Event::TypeRegistered { service_type: 0, name: b"transcode".to_vec() }));
		assert_eq!(register(terms()), 1);
	});
}

#[test]
fn only_the_type_origin_registers_or_changes_terms() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Services::register_type(
				RuntimeOrigin::signed(1),
				bytes(b"x"),
				H256::zero(),
				bytes(b"u"),
				terms()
			),
			DispatchError::BadOrigin
		);
		register(terms());
		assert_noop!(
			Services::set_terms(RuntimeOrigin::signed(1), 0, terms()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn bad_terms_are_refused_by_name() {
	new_test_ext().execute_with(|| {
		let cases: Vec<(TermsOf<Test>, Error<Test>)> = vec![
			(
				Terms {
					author_share: Perbill::from_percent(60),
					validators_share: Perbill::from_percent(41),
					..terms()
				},
				Error::<Test>::SharesExceedWhole,
			),
			(Terms { panel_size: 0, ..terms() }, Error::<Test>::InvalidPanelSize),
			(Terms { panel_size: 9, ..terms() }, Error::<Test>::InvalidPanelSize),
			(Terms { deadline: 0, ..terms() }, Error::<Test>::ZeroDeadline),
			(
				Terms { param_set: bytes(b"no-such-set"), ..terms() },
				Error::<Test>::UnknownParameterSet,
			),
		];
		for (bad, error) in cases {
			assert_noop!(
				Services::register_type(
					RuntimeOrigin::root(),
					bytes(b"x"),
					H256::zero(),
					bytes(b"u"),
					bad.clone()
				),
				error
			);
		}
		register(terms());
		assert_noop!(
			Services::set_terms(RuntimeOrigin::root(), 0, Terms { deadline: 0, ..terms() }),
			Error::<Test>::ZeroDeadline
		);
	});
}

#[test]
fn terms_change_for_later_instances() {
	new_market().execute_with(|| {
		let new_terms = Terms { deadline: 5, author_share: Perbill::from_percent(20), ..terms() };
		assert_ok!(Services::set_terms(RuntimeOrigin::root(), 0, new_terms.clone()));
		assert_eq!(ServiceTypes::<Test>::get(0).unwrap().terms, new_terms);
		assert!(events().contains(&Event::TermsChanged { service_type: 0 }));
		assert_noop!(
			Services::set_terms(RuntimeOrigin::root(), 7, terms()),
			Error::<Test>::UnknownServiceType
		);
		offer(P1, 100, 5, 500);
		let now = System::block_number();
		let id = request(CONSUMER, 10, 5, None);
		assert_eq!(Instances::<Test>::get(id).unwrap().deadline, now + 5);
	});
}

#[test]
fn a_raised_minimum_stake_applies_to_an_offer_when_it_next_changes() {
	new_market().execute_with(|| {
		offer(P1, 100, 5, 200);
		assert_ok!(Services::set_terms(
			RuntimeOrigin::root(),
			0,
			Terms { min_stake: 300, ..terms() }
		));
		// Untouched, the offer is still picked, named or not.
		let first = request(CONSUMER, 10, 5, None);
		assert_eq!(Instances::<Test>::get(first).unwrap().provider, P1);
		// The request rewrote the offer: it is now below the minimum and cannot be picked.
		assert_noop!(
			Services::request(
				RuntimeOrigin::signed(CONSUMER),
				0,
				H256::zero(),
				bytes(b"p"),
				1,
				5,
				Some(P1)
			),
			Error::<Test>::ProviderLacksCapacity
		);
		check_invariants();
	});
}
