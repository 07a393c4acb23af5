//! `set_terms`: who may set them and the bounds they must keep.

use super::*;
use crate::{Error, Event, Terms};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{DispatchError, Perbill};

#[test]
fn root_sets_terms_and_an_event_says_so() {
	new_test_ext().execute_with(|| {
		let terms = crate::TermsOf::<Test> { base_effort: 1_000, ..test_terms() };
		assert_ok!(WorkPayment::set_terms(frame_system::RawOrigin::Root.into(), terms.clone()));
		assert_eq!(Terms::<Test>::get(), terms);
		System::assert_last_event(Event::TermsSet { terms }.into());
	});
}

#[test]
fn a_signed_account_cannot_set_terms() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			WorkPayment::set_terms(Some(RICH).into(), test_terms()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn terms_out_of_bounds_are_refused() {
	new_test_ext().execute_with(|| {
		let root = || frame_system::RawOrigin::Root.into();
		assert_noop!(
			WorkPayment::set_terms(
				root(),
				crate::TermsOf::<Test> { base_effort: 1, ..test_terms() }
			),
			Error::<Test>::BaseEffortTooLow
		);
		assert_noop!(
			WorkPayment::set_terms(
				root(),
				crate::TermsOf::<Test> { block_share: Perbill::from_percent(51), ..test_terms() }
			),
			Error::<Test>::ShareTooLarge
		);
		let unsorted = crate::TermsOf::<Test> {
			allowed_calls: vec![[0, 7], [0, 0]].try_into().unwrap(),
			..test_terms()
		};
		assert_noop!(WorkPayment::set_terms(root(), unsorted), Error::<Test>::AllowListNotSorted);
		let twice = crate::TermsOf::<Test> {
			allowed_calls: vec![[0, 0], [0, 0]].try_into().unwrap(),
			..test_terms()
		};
		assert_noop!(WorkPayment::set_terms(root(), twice), Error::<Test>::AllowListNotSorted);
		// `WorkPayment` is pallet 3 of the mock; `with_work` is its call 0.
		let itself = crate::TermsOf::<Test> {
			allowed_calls: vec![[0, 0], [3, 0]].try_into().unwrap(),
			..test_terms()
		};
		assert_noop!(WorkPayment::set_terms(root(), itself), Error::<Test>::WithWorkNotAllowed);
	});
}

#[test]
fn the_default_terms_allow_nothing() {
	new_test_ext().execute_with(|| {
		let terms = crate::TermsOf::<Test>::default();
		assert!(!terms.allows(REMARK));
		Terms::<Test>::put(terms);
		let call = sealed_with_any_nonce();
		assert_eq!(validate(EMPTY, 0, 0, &call), Err(refused(WorkRefusal::CallNotAllowed)));
	});
}

fn sealed_with_any_nonce() -> RuntimeCall {
	with_work(1, 0, remark(b"anything"))
}

#[test]
fn a_quote_is_what_the_extension_checks() {
	new_test_ext().execute_with(|| {
		run_to_block(5);
		let call = remark(b"quoted");
		let quote = WorkPayment::quote(&EMPTY, 0, &call).unwrap();
		assert_eq!(quote.anchor, 4);
		assert_eq!(quote.expires, 4 + WINDOW);
		assert_eq!(quote.required_effort, required(&call));
		assert_eq!(quote.pre_image, pre_image_of(EMPTY, 0, 4, &call));
		let nonce = mine_from(&quote.pre_image, quote.required_effort, 0);
		validate(EMPTY, 0, 0, &with_work(quote.anchor, nonce, call)).unwrap();
		assert_eq!(
			WorkPayment::quote(&EMPTY, 0, &remark_with_event(b"no")),
			Err(WorkRefusal::CallNotAllowed)
		);
	});
}
