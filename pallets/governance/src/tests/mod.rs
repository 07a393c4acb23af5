//! Tests of the governance pallet: proposing and every error, the pool's outcomes, enactment
//! with the track's origin, cancelling, upgrades, and a randomized run checking that nothing is
//! enacted without a passed pool and that deposits add up.

use crate::{self as pallet_governance, mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		OnFinalize, OnInitialize,
	},
};
use gpow_primitives_reputation::{ParamSetName, PoolParams, Rep, Side, Verdict};
use pallet_reputation::{NextPoolId, ParameterSets};
use sp_core::H256;
use sp_runtime::{traits::Hash, BuildStorage, Perbill};

mod cancel;
mod outcome;
mod propose;
mod random;

/// REP holders: every test's voters.
pub const A: AccountId = 1;
pub const B: AccountId = 2;
pub const C: AccountId = 3;
/// An endowed account with no REP.
pub const NOBODY: AccountId = 50;
/// An account with no currency at all.
pub const POOR: AccountId = 999;
/// The REP each holder starts with.
pub const START_REP: Rep = 1_000;

/// Externalities with A, B and C holding `START_REP`, the bootstrap pool already used.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut ext = new_test_ext_with(vec![(A, START_REP), (B, START_REP), (C, START_REP)]);
	ext.execute_with(use_bootstrap_pool);
	ext
}

/// Opens pool 0 (the bootstrap pool, which always passes) on a post of its own and settles it,
/// so the tests' proposals get ordinary pools.
pub fn use_bootstrap_pool() {
	let post = post_by(A);
	assert_ok!(Reputation::initiate_pool(
		RuntimeOrigin::signed(A),
		post,
		set_name(b"default"),
		0,
		MIN_FEE
	));
	run_to(System::block_number() + WINDOW);
	assert_ok!(Reputation::settle(RuntimeOrigin::signed(A), 0));
	assert_eq!(NextPoolId::<Test>::get(), 1);
}

/// Adds a post authored by `author` alone; returns its id.
pub fn post_by(author: AccountId) -> PostId {
	let id = pallet_reputation::NextPostId::<Test>::get();
	assert_ok!(Reputation::add_post(
		RuntimeOrigin::signed(author),
		vec![(author, Perbill::one())],
		H256::repeat_byte(id as u8),
		vec![],
	));
	id
}

/// A short call the `parameters` track allows: stores the parameter set `name`.
pub fn set_params_call(name: &[u8], duration: u64) -> RuntimeCall {
	RuntimeCall::Reputation(pallet_reputation::Call::set_parameter_set {
		name: set_name(name),
		params: PoolParams { duration, ..default_params() },
	})
}

/// Proposes `call` on `track` with a fresh post by `who`; returns the proposal id.
pub fn propose(who: AccountId, track: TrackId, call: RuntimeCall) -> ProposalId {
	let post = post_by(who);
	let id = NextProposalId::<Test>::get();
	assert_ok!(Governance::propose(RuntimeOrigin::signed(who), post, track, Box::new(call)));
	id
}

/// `propose` by `who` fails with `error` and changes nothing.
pub fn assert_refused(
	who: AccountId,
	post: PostId,
	track: TrackId,
	call: RuntimeCall,
	error: impl Into<DispatchError>,
) {
	assert_noop!(
		Governance::propose(RuntimeOrigin::signed(who), post, track, Box::new(call)),
		error.into()
	);
}

/// The pool of `proposal`.
pub fn pool_of(proposal: ProposalId) -> PoolId {
	Proposals::<Test>::get(proposal).unwrap().pool
}

/// The status of `proposal`.
pub fn status(proposal: ProposalId) -> ProposalStatus<u64> {
	Proposals::<Test>::get(proposal).unwrap().status
}

/// Stakes `amount` of `who` for or against the pool of `proposal`.
pub fn vote(who: AccountId, proposal: ProposalId, side: Side, amount: Rep) {
	assert_ok!(Reputation::stake(RuntimeOrigin::signed(who), pool_of(proposal), side, amount));
}

/// Runs to the end of the pool's window and settles it.
pub fn settle(proposal: ProposalId) {
	let pool = pool_of(proposal);
	let ends = pallet_reputation::Pools::<Test>::get(pool).unwrap().ends_at;
	if System::block_number() < ends {
		run_to(ends);
	}
	assert_ok!(Reputation::settle(RuntimeOrigin::signed(NOBODY), pool));
}

/// Votes `proposal` through with B's and C's REP and settles it.
pub fn pass(proposal: ProposalId) {
	vote(B, proposal, Side::For, 500);
	vote(C, proposal, Side::For, 500);
	settle(proposal);
	assert_eq!(verdict(proposal), Some(Verdict::Passed));
}

/// Runs blocks (with the scheduler's hooks) up to block `n`.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let now = System::block_number();
		<Scheduler as OnFinalize<u64>>::on_finalize(now);
		System::set_block_number(now + 1);
		<Scheduler as OnInitialize<u64>>::on_initialize(now + 1);
	}
}

/// The governance events so far.
pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Governance(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// The deposit held from `who`.
pub fn held(who: AccountId) -> u64 {
	Balances::balance_on_hold(&HoldReason::ProposalDeposit.into(), &who)
}

/// Whether the preimage of `hash` is stored.
pub fn preimage_stored(hash: H256) -> bool {
	<Preimage as QueryPreimage>::len(&hash).is_some()
}

/// The encoded bytes of every storage item of the pallets governance may change: the test of a
/// failed vote compares them before and after.
pub fn governed_state() -> Vec<(Vec<u8>, Vec<u8>)> {
	let mut items: Vec<_> = ParameterSets::<Test>::iter()
		.map(|(name, params)| (name.encode(), params.encode()))
		.collect();
	items.push((b"authorized_upgrade".to_vec(), System::authorized_upgrade().encode()));
	items
}

#[test]
fn genesis_stores_the_tracks() {
	new_test_ext().execute_with(|| {
		let tracks = Governance::track_details();
		assert_eq!(tracks.len(), 3);
		let emergency = tracks.iter().find(|t| t.id == EMERGENCY).unwrap();
		assert_eq!(emergency.info.name.to_vec(), b"emergency".to_vec());
		assert_eq!(emergency.info.param_set, set_name(b"strict"));
		assert_eq!(emergency.allowed_calls, vec![(b"Governance".to_vec(), b"cancel".to_vec())]);
		assert_eq!(emergency.active, 0);
	});
}

#[test]
#[should_panic(expected = "no reputation parameter set")]
fn genesis_refuses_a_track_on_an_unknown_parameter_set() {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_governance::GenesisConfig::<Test> { tracks: vec![(0, track(b"x", b"missing"))] }
		.assimilate_storage(&mut storage)
		.unwrap();
}

/// The verdict of the pool of `proposal`, once settled.
pub fn verdict(proposal: ProposalId) -> Option<Verdict> {
	<Reputation as ValidationPools<AccountId, u64>>::verdict(pool_of(proposal))
}
