//! Tests of the SSK pallet: every call, every error, deposits, and that failures change nothing.

use crate::{mock::*, EncryptionKeys, Envelopes, Error, Event, HoldReason};
use codec::Encode;
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use gpow_primitives_ssk::{Envelope, EnvelopeHeader, PublishedKey};

const A: AccountId = 1;
const B: AccountId = 2;

fn held(who: AccountId, reason: HoldReason) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Ssk(reason), &who)
}

fn header(epoch: u64, recipient_key_version: u32) -> EnvelopeHeader {
	EnvelopeHeader { suite: 1, epoch, recipient_key_version, expiry: None }
}

fn post(
	from: AccountId,
	to: AccountId,
	header: EnvelopeHeader,
	len: usize,
) -> frame_support::dispatch::DispatchResult {
	Ssk::post_envelope(RuntimeOrigin::signed(from), to, header, [5u8; 32], vec![6u8; len])
}

/// A and B with published keys (version 1).
fn with_keys(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		assert_ok!(Ssk::publish_key(RuntimeOrigin::signed(A), [0xa; 32]));
		assert_ok!(Ssk::publish_key(RuntimeOrigin::signed(B), [0xb; 32]));
		test()
	})
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::Ssk(e) => Some(e),
			_ => None,
		})
		.expect("an Ssk event")
}

fn envelope_deposit(len: usize) -> u64 {
	let envelope = Envelope { header: header(0, 0), enc: [0u8; 32], ciphertext: vec![0u8; len] };
	BASE + PER_BYTE * envelope.encoded_size() as u64
}

#[test]
fn publishing_a_key_holds_a_deposit_and_rotating_bumps_the_version() {
	new_test_ext().execute_with(|| {
		assert_ok!(Ssk::publish_key(RuntimeOrigin::signed(A), [1; 32]));
		assert_eq!(Ssk::encryption_key(&A), Some(PublishedKey { version: 1, key: [1; 32] }));
		assert_eq!(last_event(), Event::KeyPublished { who: A, version: 1, key: [1; 32] });
		let deposit = held(A, HoldReason::EncryptionKey);
		assert_eq!(deposit, BASE + 36);

		assert_ok!(Ssk::publish_key(RuntimeOrigin::signed(A), [2; 32]));
		assert_eq!(Ssk::encryption_key(&A), Some(PublishedKey { version: 2, key: [2; 32] }));
		assert_eq!(last_event(), Event::KeyPublished { who: A, version: 2, key: [2; 32] });
		assert_eq!(held(A, HoldReason::EncryptionKey), deposit, "one deposit per account");
	});
}

#[test]
fn bad_keys_are_refused_and_change_nothing() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Ssk::publish_key(RuntimeOrigin::signed(A), [0; 32]),
			Error::<Test>::InvalidEncryptionKey
		);
		assert_ok!(Ssk::publish_key(RuntimeOrigin::signed(A), [1; 32]));
		assert_noop!(
			Ssk::publish_key(RuntimeOrigin::signed(A), [1; 32]),
			Error::<Test>::KeyUnchanged
		);
		assert_noop!(
			Ssk::publish_key(RuntimeOrigin::none(), [1; 32]),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn posting_an_envelope_stores_it_with_a_deposit_and_an_event() {
	with_keys(|| {
		assert_ok!(post(A, B, header(1, 1), 48));
		assert_eq!(last_event(), Event::EnvelopePosted { from: A, to: B, epoch: 1 });
		let posted = Ssk::latest(&A, &B).expect("stored");
		assert_eq!(posted.envelope.header, header(1, 1));
		assert_eq!(posted.envelope.enc, [5u8; 32]);
		assert_eq!(posted.envelope.ciphertext, vec![6u8; 48]);
		assert_eq!(posted.posted_at, 1);
		assert_eq!(held(A, HoldReason::Envelope), envelope_deposit(48));
		assert!(Ssk::latest(&B, &A).is_none(), "pairs are directed");
	});
}

#[test]
fn reposting_rotates_and_adjusts_the_deposit() {
	with_keys(|| {
		assert_ok!(post(A, B, header(1, 1), 48));
		System::set_block_number(5);
		assert_ok!(post(A, B, header(2, 1), 200));
		let posted = Ssk::latest(&A, &B).expect("stored");
		assert_eq!(posted.envelope.header.epoch, 2);
		assert_eq!(posted.posted_at, 5);
		assert_eq!(held(A, HoldReason::Envelope), envelope_deposit(200));
		assert_ok!(post(A, B, header(7, 1), 10));
		assert_eq!(held(A, HoldReason::Envelope), envelope_deposit(10));
	});
}

#[test]
fn epochs_must_increase() {
	with_keys(|| {
		assert_ok!(post(A, B, header(3, 1), 48));
		assert_noop!(post(A, B, header(3, 1), 48), Error::<Test>::EpochNotIncreasing);
		assert_noop!(post(A, B, header(2, 1), 48), Error::<Test>::EpochNotIncreasing);
	});
}

#[test]
fn recipient_and_sender_need_keys() {
	new_test_ext().execute_with(|| {
		assert_ok!(Ssk::publish_key(RuntimeOrigin::signed(A), [0xa; 32]));
		assert_noop!(post(A, B, header(1, 1), 48), Error::<Test>::RecipientHasNoEncryptionKey);
		assert_noop!(post(B, A, header(1, 1), 48), Error::<Test>::SenderHasNoEncryptionKey);
	});
}

#[test]
fn stale_recipient_key_is_refused() {
	with_keys(|| {
		assert_ok!(Ssk::publish_key(RuntimeOrigin::signed(B), [0xc; 32]));
		assert_noop!(post(A, B, header(1, 1), 48), Error::<Test>::StaleRecipientKey);
		assert_noop!(post(A, B, header(1, 3), 48), Error::<Test>::StaleRecipientKey);
		assert_ok!(post(A, B, header(1, 2), 48));
	});
}

#[test]
fn sizes_and_suites_are_checked() {
	with_keys(|| {
		assert_noop!(
			post(A, B, header(1, 1), MAX_CIPHERTEXT as usize + 1),
			Error::<Test>::EnvelopeTooLarge
		);
		assert_noop!(post(A, B, header(1, 1), 0), Error::<Test>::EmptyCiphertext);
		let other_suite = EnvelopeHeader { suite: 2, ..header(1, 1) };
		assert_noop!(post(A, B, other_suite, 48), Error::<Test>::UnsupportedSuite);
		assert_ok!(post(A, B, header(1, 1), MAX_CIPHERTEXT as usize));
	});
}

#[test]
fn expiry_must_be_in_the_future() {
	with_keys(|| {
		System::set_block_number(10);
		for expiry in [0, 9, 10] {
			let h = EnvelopeHeader { expiry: Some(expiry), ..header(1, 1) };
			assert_noop!(post(A, B, h, 48), Error::<Test>::ExpiryInPast);
		}
		assert_ok!(post(A, B, EnvelopeHeader { expiry: Some(11), ..header(1, 1) }, 48));
	});
}

#[test]
fn revoking_removes_the_envelope_and_releases_the_deposit() {
	with_keys(|| {
		let free = Balances::free_balance(A);
		assert_ok!(post(A, B, header(4, 1), 48));
		assert!(Balances::free_balance(A) < free);
		assert_ok!(Ssk::revoke(RuntimeOrigin::signed(A), B));
		assert_eq!(last_event(), Event::EnvelopeRevoked { from: A, to: B, epoch: 4 });
		assert!(Envelopes::<Test>::get(A, B).is_none());
		assert_eq!(held(A, HoldReason::Envelope), 0);
		assert_eq!(Balances::free_balance(A), free);
		assert_noop!(Ssk::revoke(RuntimeOrigin::signed(A), B), Error::<Test>::NoEnvelope);
		// After a revocation the pair starts afresh.
		assert_ok!(post(A, B, header(1, 1), 48));
	});
}

#[test]
fn a_deposit_that_cannot_be_held_fails_cleanly() {
	new_test_ext().execute_with(|| {
		assert_ok!(Ssk::publish_key(RuntimeOrigin::signed(9), [9; 32]));
		assert_ok!(Ssk::publish_key(RuntimeOrigin::signed(B), [0xb; 32]));
		assert_noop!(post(9, B, header(1, 1), 48), sp_runtime::TokenError::FundsUnavailable);
		assert!(Envelopes::<Test>::get(9, B).is_none());
		assert_eq!(held(9, HoldReason::Envelope), 0);
		assert!(EncryptionKeys::<Test>::get(9).is_some());
	});
}
