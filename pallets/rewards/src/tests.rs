//! Tests of the rewards pallet.

use crate::{mock::*, Author, Event};
use codec::Encode;
use frame_support::traits::{
	fungible::{Balanced, Inspect},
	tokens::{Fortitude, Precision, Preservation},
	Hooks, OnUnbalanced,
};
use gpow_primitives_pow::POW_ENGINE_ID;
use sp_runtime::DigestItem;

/// Runs one block's hooks with the given digest items.
fn run_block(digest: Vec<DigestItem>) {
	let n = System::block_number() + 1;
	System::reset_events();
	System::initialize(&n, &Default::default(), &sp_runtime::Digest { logs: digest });
	Rewards::on_initialize(n);
	Rewards::on_finalize(n);
	Rewards::do_try_state().expect("no author outlives its block");
}

fn author_digest(who: AccountId) -> DigestItem {
	DigestItem::PreRuntime(POW_ENGINE_ID, who.encode())
}

fn reward_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Rewards(e) => Some(e),
			_ => None,
		})
		.collect()
}

#[test]
fn author_in_digest_gets_the_reward() {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		run_block(vec![author_digest(7)]);
		assert_eq!(Balances::balance(&7), REWARD);
		assert_eq!(Balances::total_issuance(), issuance + REWARD);
		assert_eq!(reward_events(), vec![Event::Rewarded { author: 7, amount: REWARD }]);
		assert_eq!(Author::<Test>::get(), None, "the author does not outlive its block");
		run_block(vec![author_digest(7)]);
		assert_eq!(Balances::balance(&7), 2 * REWARD);
	});
}

#[test]
fn block_without_author_digest_rewards_nobody() {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		run_block(vec![]);
		assert_eq!(Balances::total_issuance(), issuance);
		assert!(reward_events().is_empty());
	});
}

#[test]
fn malformed_or_foreign_or_duplicate_digests_reward_nobody() {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		let mut too_long = 7u64.encode();
		too_long.push(0);
		for digest in [
			vec![DigestItem::PreRuntime(POW_ENGINE_ID, vec![1, 2, 3])],
			vec![DigestItem::PreRuntime(POW_ENGINE_ID, too_long)],
			vec![DigestItem::PreRuntime(*b"aura", 7u64.encode())],
			vec![author_digest(7), author_digest(8)],
			vec![DigestItem::Seal(POW_ENGINE_ID, 7u64.encode())],
		] {
			run_block(digest);
			assert!(reward_events().is_empty());
		}
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(Balances::balance(&7), 0);
	});
}

#[test]
fn foreign_digests_beside_the_author_are_ignored() {
	new_test_ext().execute_with(|| {
		run_block(vec![DigestItem::PreRuntime(*b"aura", vec![9]), author_digest(5)]);
		assert_eq!(Balances::balance(&5), REWARD);
	});
}

/// Withdraws `amount` from account 1 as a fee credit.
fn fee(amount: u64) -> frame_support::traits::fungible::Credit<AccountId, Balances> {
	Balances::withdraw(&1, amount, Precision::Exact, Preservation::Preserve, Fortitude::Polite)
		.unwrap()
}

#[test]
fn fees_and_tips_go_to_the_author() {
	new_test_ext().execute_with(|| {
		let n = System::block_number() + 1;
		System::initialize(
			&n,
			&Default::default(),
			&sp_runtime::Digest { logs: vec![author_digest(9)] },
		);
		Rewards::on_initialize(n);
		let issuance = Balances::total_issuance();
		crate::FeesToAuthor::<Test>::on_unbalanceds([fee(100), fee(5)].into_iter());
		assert_eq!(Balances::balance(&9), 105);
		assert_eq!(Balances::balance(&1), 1_000_000 - 105);
		assert_eq!(Balances::total_issuance(), issuance, "fees move, nothing is minted");
		Rewards::on_finalize(n);
		assert_eq!(Balances::balance(&9), 105 + REWARD);
	});
}

#[test]
fn fees_without_author_are_burned() {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		crate::FeesToAuthor::<Test>::on_unbalanceds([fee(100)].into_iter());
		assert_eq!(Balances::total_issuance(), issuance - 100);
		assert_eq!(Balances::balance(&1), 1_000_000 - 100);
	});
}

#[test]
fn dust_fee_to_a_new_author_is_burned_not_lost_silently() {
	new_test_ext().execute_with(|| {
		let n = System::block_number() + 1;
		System::initialize(
			&n,
			&Default::default(),
			&sp_runtime::Digest { logs: vec![author_digest(4)] },
		);
		Rewards::on_initialize(n);
		let issuance = Balances::total_issuance();
		// Below the existential deposit: the new account cannot be created by it.
		crate::FeesToAuthor::<Test>::on_unbalanceds([fee(ED - 1)].into_iter());
		assert_eq!(Balances::balance(&4), 0);
		assert_eq!(Balances::total_issuance(), issuance - (ED - 1));
	});
}
