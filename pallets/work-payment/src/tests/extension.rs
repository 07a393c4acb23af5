//! The `WorkOrFee` extension: fee-paying transactions unchanged, work-paid ones accepted once
//! with the right seal and refused with their own code otherwise.

use super::*;
use crate::{Event, ProofsByBlock, Usage, UsedProofs};
use codec::Encode;
use frame_support::dispatch::GetDispatchInfo;
use gpow_primitives_pow::{nonce_effort, U256};
use pallet_transaction_payment::ChargeTransactionPayment;
use sp_runtime::{
	traits::{DispatchTransaction, TransactionExtension},
	transaction_validity::TransactionSource,
};

fn events() -> Vec<RuntimeEvent> {
	System::events().into_iter().map(|r| r.event).collect()
}

fn fee_events() -> usize {
	events()
		.iter()
		.filter(|e| {
			matches!(
				e,
				RuntimeEvent::TransactionPayment(
					pallet_transaction_payment::Event::TransactionFeePaid { .. }
				)
			)
		})
		.count()
}

#[test]
fn a_fee_paying_transaction_is_unchanged() {
	let call = remark(b"pays its fee");
	let info = call.get_dispatch_info();
	let len = call.encoded_size() + 100;
	let plain = new_test_ext().execute_with(|| {
		let ext =
			(frame_system::CheckNonce::<Test>::from(0), ChargeTransactionPayment::<Test>::from(5));
		let validity = ext
			.validate_only(Some(RICH).into(), &call, &info, len, TransactionSource::External, 0)
			.unwrap()
			.0;
		ext.dispatch_transaction(Some(RICH).into(), call.clone(), &info, len, 0)
			.unwrap()
			.unwrap();
		(validity, Balances::free_balance(RICH), System::account_nonce(RICH), events())
	});
	let wrapped = new_test_ext().execute_with(|| {
		let validity = validate(RICH, 0, 5, &call).unwrap();
		apply(RICH, 0, 5, call.clone()).unwrap().unwrap();
		(validity, Balances::free_balance(RICH), System::account_nonce(RICH), events())
	});
	assert_eq!(plain, wrapped);
	assert!(wrapped.1 < 1_000_000_000, "a fee was charged");
	assert_eq!(wrapped.0.priority, plain.0.priority);
}

#[test]
fn the_wrapper_lists_the_wrapped_extensions_in_the_metadata() {
	let names: Vec<_> = <crate::WorkOrFee<Test> as TransactionExtension<RuntimeCall>>::metadata()
		.into_iter()
		.map(|m| m.identifier)
		.collect();
	assert_eq!(names, ["CheckNonce", "ChargeTransactionPayment"]);
	let encoded = crate::WorkOrFee::<Test>::new(3, 7).encode();
	assert_eq!(
		encoded,
		(frame_system::CheckNonce::<Test>::from(3), ChargeTransactionPayment::<Test>::from(7))
			.encode()
	);
}

#[test]
fn an_account_with_nothing_pays_an_allowed_call_by_work() {
	new_test_ext().execute_with(|| {
		assert!(!System::account_exists(&EMPTY));
		let call = sealed(EMPTY, 0, remark(b"by work"));
		validate(EMPTY, 0, 0, &call).unwrap();
		apply(EMPTY, 0, 0, call).unwrap().unwrap();
		assert_eq!(System::account_nonce(EMPTY), 1);
		assert_eq!(Balances::free_balance(EMPTY), 0);
		assert_eq!(fee_events(), 0);
		assert!(events()
			.iter()
			.any(|e| matches!(e, RuntimeEvent::WorkPayment(Event::PaidByWork { who: EMPTY, .. }))));
		assert_eq!(Usage::<Test>::get().count, 1);
		assert_eq!(ProofsByBlock::<Test>::get(2).len(), 1);
		WorkPayment::do_try_state().unwrap();
	});
}

#[test]
fn the_same_call_without_a_seal_is_refused_for_an_empty_account() {
	new_test_ext().execute_with(|| {
		assert_eq!(
			validate(EMPTY, 0, 0, &remark(b"no seal")),
			Err(InvalidTransaction::Payment.into())
		);
	});
}

#[test]
fn a_replayed_proof_is_refused() {
	new_test_ext().execute_with(|| {
		let call = sealed(EMPTY, 0, remark(b"once"));
		apply(EMPTY, 0, 0, call.clone()).unwrap().unwrap();
		assert_eq!(validate(EMPTY, 0, 0, &call), Err(refused(WorkRefusal::ProofUsed)));
		assert_eq!(apply(EMPTY, 0, 0, call).err(), Some(refused(WorkRefusal::ProofUsed)));
		assert_eq!(System::account_nonce(EMPTY), 1);
	});
}

#[test]
fn a_proof_is_bound_to_its_call_signer_nonce_and_anchor() {
	new_test_ext().execute_with(|| {
		run_to_block(4);
		set_terms(crate::TermsOf::<Test> { base_effort: 1 << 16, ..test_terms() });
		let call = remark(b"bound");
		let anchor = System::block_number() - 1;
		let nonce = mine_from(&pre_image_of(EMPTY, 0, anchor, &call), required(&call), 0);
		validate(EMPTY, 0, 0, &with_work(anchor, nonce, call.clone())).unwrap();
		// Another call, another signer, another transaction nonce, another anchor.
		let other_call = with_work(anchor, nonce, remark(b"other"));
		assert_eq!(validate(EMPTY, 0, 0, &other_call), Err(refused(WorkRefusal::InsufficientWork)));
		let sealed_call = with_work(anchor, nonce, call.clone());
		assert_eq!(validate(RICH, 0, 0, &sealed_call), Err(refused(WorkRefusal::InsufficientWork)));
		assert_eq!(
			validate(EMPTY, 1, 0, &sealed_call),
			Err(refused(WorkRefusal::InsufficientWork))
		);
		let other_anchor = with_work(anchor - 1, nonce, call);
		assert_eq!(
			validate(EMPTY, 0, 0, &other_anchor),
			Err(refused(WorkRefusal::InsufficientWork))
		);
	});
}

#[test]
fn one_unit_short_of_the_required_effort_is_refused() {
	new_test_ext().execute_with(|| {
		let call = remark(b"exact");
		let anchor = System::block_number() - 1;
		let pre_image = pre_image_of(EMPTY, 0, anchor, &call);
		let nonce = mine_from(&pre_image, 1000, 0);
		let achieved: u128 = nonce_effort(&pre_image, nonce).try_into().unwrap();
		let exact = |base: u128| crate::TermsOf::<Test> {
			base_effort: base as u64,
			effort_per_byte: 0,
			..test_terms()
		};
		set_terms(exact(achieved + 1));
		assert_eq!(required(&call), achieved + 1);
		let sealed_call = with_work(anchor, nonce, call);
		assert_eq!(
			validate(EMPTY, 0, 0, &sealed_call),
			Err(refused(WorkRefusal::InsufficientWork))
		);
		set_terms(exact(achieved));
		validate(EMPTY, 0, 0, &sealed_call).unwrap();
	});
}

#[test]
fn anchors_must_be_recent_and_past() {
	new_test_ext().execute_with(|| {
		run_to_block(WINDOW + 5);
		let call = remark(b"anchor");
		let now = System::block_number();
		let seal_at = |anchor: u64| {
			let nonce = mine_from(&pre_image_of(EMPTY, 0, anchor, &call), required(&call), 0);
			with_work(anchor, nonce, call.clone())
		};
		assert_eq!(validate(EMPTY, 0, 0, &seal_at(now)), Err(refused(WorkRefusal::AnchorInFuture)));
		assert_eq!(
			validate(EMPTY, 0, 0, &seal_at(now + 3)),
			Err(refused(WorkRefusal::AnchorInFuture))
		);
		validate(EMPTY, 0, 0, &seal_at(now - WINDOW)).unwrap();
		assert_eq!(
			validate(EMPTY, 0, 0, &seal_at(now - WINDOW - 1)),
			Err(refused(WorkRefusal::AnchorStale))
		);
		// A seal that was good goes stale as blocks pass.
		let good = seal_at(now - 1);
		validate(EMPTY, 0, 0, &good).unwrap();
		run_to_block(now + WINDOW);
		assert_eq!(validate(EMPTY, 0, 0, &good), Err(refused(WorkRefusal::AnchorStale)));
	});
}

#[test]
fn cheap_refusals_come_first() {
	new_test_ext().execute_with(|| {
		let call = sealed(EMPTY, 0, remark(b"tip"));
		assert_eq!(validate(EMPTY, 0, 1, &call), Err(refused(WorkRefusal::TipWithWork)));
		let long = with_work(1, 0, remark(&[0u8; 1024]));
		assert_eq!(validate(EMPTY, 0, 0, &long), Err(refused(WorkRefusal::TooLong)));
		let not_allowed = with_work(1, 0, remark_with_event(b"event"));
		assert_eq!(validate(EMPTY, 0, 0, &not_allowed), Err(refused(WorkRefusal::CallNotAllowed)));
		let info = call.get_dispatch_info();
		let unsigned = crate::WorkOrFee::<Test>::new(0, 0).validate_only(
			frame_system::RawOrigin::None.into(),
			&call,
			&info,
			100,
			TransactionSource::External,
			0,
		);
		assert_eq!(unsigned.err(), Some(refused(WorkRefusal::NotSigned)));
		// None of them wrote anything.
		assert_eq!(Usage::<Test>::get().count, 0);
		assert_eq!(UsedProofs::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_block_takes_at_most_its_share_of_work_paid_transactions() {
	new_test_ext().execute_with(|| {
		// `MaxWorkPerBlock` is 4 in the mock.
		for nonce in 0..4 {
			apply(EMPTY, nonce, 0, sealed(EMPTY, nonce, remark(b"fill"))).unwrap().unwrap();
		}
		let fifth = sealed(EMPTY, 4, remark(b"fill"));
		assert_eq!(
			apply(EMPTY, 4, 0, fifth.clone()).err(),
			Some(InvalidTransaction::ExhaustsResources.into())
		);
		assert_eq!(System::account_nonce(EMPTY), 4, "a refused transaction changes nothing");
		run_to_block(3);
		apply(EMPTY, 4, 0, fifth).unwrap().unwrap();
	});
}

#[test]
fn work_ranks_below_a_fee_of_the_same_size_and_more_work_ranks_higher() {
	new_test_ext().execute_with(|| {
		set_terms(crate::TermsOf::<Test> { base_effort: 1 << 10, ..test_terms() });
		let call = remark(b"rank");
		let anchor = System::block_number() - 1;
		let pre_image = pre_image_of(EMPTY, 0, anchor, &call);
		let need = required(&call);
		let low = mine_between(&pre_image, need, need * 2);
		let high = mine_from(&pre_image, need * 4, 0);
		let low_call = with_work(anchor, low, call.clone());
		let high_call = with_work(anchor, high, call.clone());
		let low_priority = validate(EMPTY, 0, 0, &low_call).unwrap().priority;
		let high_priority = validate(EMPTY, 0, 0, &high_call).unwrap().priority;
		// The same transaction paying a fee with no tip (same weight and length).
		let info = high_call.get_dispatch_info();
		let len = high_call.encoded_size() + 100;
		let fee_priority = ChargeTransactionPayment::<Test>::get_priority(&info, len, 0, 0);
		assert!(low_priority < high_priority, "{low_priority} < {high_priority}");
		assert!(high_priority < fee_priority, "{high_priority} < {fee_priority}");
		assert!(U256::from(need) <= nonce_effort(&pre_image, low));
	});
}

#[test]
fn used_proofs_are_forgotten_after_the_window() {
	new_test_ext().execute_with(|| {
		let call = sealed(EMPTY, 0, remark(b"forget"));
		apply(EMPTY, 0, 0, call).unwrap().unwrap();
		assert_eq!(UsedProofs::<Test>::iter().count(), 1);
		run_to_block(2 + WINDOW);
		assert_eq!(UsedProofs::<Test>::iter().count(), 1);
		WorkPayment::do_try_state().unwrap();
		run_to_block(3 + WINDOW);
		assert_eq!(UsedProofs::<Test>::iter().count(), 0);
		assert_eq!(ProofsByBlock::<Test>::iter().count(), 0);
	});
}

#[test]
fn the_extension_weighs_a_seal_check_for_work_and_the_wrapped_ones_otherwise() {
	new_test_ext().execute_with(|| {
		use crate::WeightInfo;
		let plain = remark(b"w");
		let inner =
			(frame_system::CheckNonce::<Test>::from(0), ChargeTransactionPayment::<Test>::from(0));
		assert_eq!(extension_weight(&plain), inner.weight(&plain));
		assert_eq!(extension_weight(&sealed(EMPTY, 0, plain)), <() as WeightInfo>::work_seal());
	});
}
