//! Tests of the reputation pallet: the ledger, the forum and REP flow, validation pools, panel
//! pools, fees, every error path, and a randomized run checking the supply and fee invariants.

use crate::{mock::*, *};
use alloc::collections::BTreeMap;
use frame_support::assert_ok;
use gpow_primitives_reputation::CitationTarget::{Incinerator, Post};
use sp_core::H256;

mod bonds;
mod fees;
mod forum;
mod panel;
mod pools;
mod random;

/// Founding members used by most tests.
pub const A: AccountId = 1;
pub const B: AccountId = 2;
pub const C: AccountId = 3;
pub const D: AccountId = 4;
pub const E: AccountId = 5;
/// Authors of the bootstrap post (cites the Incinerator 100%, so gains nothing).
pub const BOOT: AccountId = 39;
/// An account without any currency.
pub const POOR: AccountId = 999;

/// `p` percent in citation parts per billion.
pub fn pct(p: i32) -> i32 {
	p * 10_000_000
}

/// Adds a post by `poster` with `authors` (percent weights) and `citations`; returns its id.
pub fn add_post(
	poster: AccountId,
	authors: &[(AccountId, u32)],
	citations: &[(CitationTarget, i32)],
) -> PostId {
	let id = NextPostId::<Test>::get();
	assert_ok!(Reputation::add_post(
		RuntimeOrigin::signed(poster),
		authors.iter().map(|(a, p)| (*a, Perbill::from_percent(*p))).collect(),
		H256::repeat_byte(id as u8),
		citations.to_vec(),
	));
	id
}

/// A post by `author` alone, citing `citations`.
pub fn solo(author: AccountId, citations: &[(CitationTarget, i32)]) -> PostId {
	add_post(author, &[(author, 100)], citations)
}

/// Opens an open pool on `post` with the default parameters; returns its id.
pub fn open(initiator: AccountId, post: PostId, fee: u64) -> PoolId {
	let id = NextPoolId::<Test>::get();
	assert_ok!(Reputation::initiate_pool(
		RuntimeOrigin::signed(initiator),
		post,
		default_param_set(),
		0,
		fee
	));
	id
}

/// Opens a pool with the parameter set `name`.
pub fn open_with(initiator: AccountId, post: PostId, fee: u64, name: &[u8]) -> PoolId {
	let id = NextPoolId::<Test>::get();
	assert_ok!(Reputation::initiate_pool(
		RuntimeOrigin::signed(initiator),
		post,
		name.to_vec().try_into().unwrap(),
		0,
		fee
	));
	id
}

/// Stores the parameter set `name` as the default set changed by `f`.
pub fn set_params(name: &[u8], f: impl FnOnce(&mut PoolParams<u64, u64>)) {
	let mut params = default_params();
	f(&mut params);
	assert_ok!(Reputation::set_parameter_set(
		RuntimeOrigin::root(),
		name.to_vec().try_into().unwrap(),
		params
	));
}

/// Stakes `amount` of `who` in `pool`.
pub fn stake(who: AccountId, pool: PoolId, side: Side, amount: Rep) {
	assert_ok!(Reputation::stake(RuntimeOrigin::signed(who), pool, side, amount));
}

/// Moves to block `n`.
pub fn run_to(n: u64) {
	System::set_block_number(n);
}

/// Moves past `pool`'s window and settles it.
pub fn settle(pool: PoolId) {
	let ends_at = Pools::<Test>::get(pool).unwrap().ends_at;
	if System::block_number() < ends_at {
		run_to(ends_at);
	}
	assert_ok!(Reputation::settle(RuntimeOrigin::signed(E), pool));
}

/// Claims `who`'s stake in `pool`.
pub fn claim(who: AccountId, pool: PoolId) {
	assert_ok!(Reputation::claim(RuntimeOrigin::signed(who), pool));
}

/// Uses up the bootstrap pool (pool 0) on a post that burns everything it receives.
pub fn bootstrap() {
	assert_eq!(NextPoolId::<Test>::get(), 0);
	let post = solo(BOOT, &[(Incinerator, pct(100))]);
	let pool = open(BOOT, post, MIN_FEE);
	settle(pool);
}

/// An account's free REP.
pub fn free(who: AccountId) -> Rep {
	Accounts::<Test>::get(who).map_or(0, |a| a.free)
}

/// An account's staked REP.
pub fn staked(who: AccountId) -> Rep {
	Accounts::<Test>::get(who).map_or(0, |a| a.staked)
}

/// The total REP supply.
pub fn supply() -> Rep {
	TotalIssuance::<Test>::get()
}

/// A post's value.
pub fn value(post: PostId) -> Rep {
	Posts::<Test>::get(post).unwrap().value
}

/// What has flowed along citation `i` of `post`.
pub fn flowed(post: PostId, i: usize) -> Rep {
	Posts::<Test>::get(post).unwrap().citations[i].flowed
}

/// The verdict of a settled pool.
pub fn verdict(pool: PoolId) -> Verdict {
	match Pools::<Test>::get(pool).unwrap().state {
		PoolState::Settled { verdict, .. } => verdict,
		PoolState::Open => panic!("pool {pool} is open"),
	}
}

/// The pallet's events, most recent last.
pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Reputation(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// `who`'s bonded REP.
pub fn bonded(who: AccountId) -> Rep {
	Accounts::<Test>::get(who).map_or(0, |a| a.bonded)
}

/// Checks the ledger's invariants ([`Pallet::do_try_state`]) and what only the mock ensures (its
/// sortition tree never fills: every holder of free REP has a slot); returns the fee dust (pot
/// minus its reserve, undistributed fees and all claimable fees).
pub fn check_invariants() -> u128 {
	Reputation::do_try_state().expect("the ledger's invariants hold");
	for (who, a) in Accounts::<Test>::iter() {
		assert!(a.slot.is_some() || a.free == 0, "{who} holds free REP without a slot");
	}
	Reputation::fee_surplus().expect("the pot covers what it owes")
}

#[test]
fn genesis_members_hold_rep_and_the_default_set_exists() {
	new_test_ext_with(vec![(A, 1000), (B, 3000)]).execute_with(|| {
		assert_eq!(free(A), 1000);
		assert_eq!(free(B), 3000);
		assert_eq!(supply(), 4000);
		assert_eq!(ParameterSets::<Test>::get(default_param_set()), Some(default_params()));
		check_invariants();
	});
}

#[test]
fn genesis_stores_further_sets_and_may_skip_the_bootstrap_pool() {
	use sp_runtime::BuildStorage;
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> { balances: vec![(A, 1_000_000)], ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let fast = PoolParams { duration: 3, ..default_params() };
	crate::GenesisConfig::<Test> {
		members: vec![(A, 1000)],
		parameter_sets: vec![(b"fast".to_vec().try_into().unwrap(), fast.clone())],
		no_bootstrap_pool: true,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	sp_io::TestExternalities::new(storage).execute_with(|| {
		System::set_block_number(1);
		assert_eq!(
			ParameterSets::<Test>::get(ParamSetName::truncate_from(b"fast".to_vec())),
			Some(fast)
		);
		let post = solo(A, &[]);
		// The first pool is an ordinary pool: without quorum it does not pass.
		let pool = open_with(A, post, 100, b"fast");
		assert_eq!(pool, 1);
		assert!(!Pools::<Test>::get(pool).unwrap().bootstrap);
		run_to(System::block_number() + 3);
		settle(pool);
		assert_eq!(verdict(pool), Verdict::NoQuorum);
	});
}
