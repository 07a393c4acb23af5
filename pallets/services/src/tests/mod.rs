//! Tests of the services pallet: service types, offers, negotiation, evaluation and
//! compensation, every error path, and a randomized run checking the escrow and capacity
//! invariants after each step.

use crate::{mock::*, *};
use frame_support::{
	assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use gpow_primitives_reputation::{default_param_set, CitationTarget, PostId, Side, Verdict};
use pallet_reputation::{Accounts, Pools};
use sp_core::H256;
use sp_runtime::Perbill;

mod evaluation;
mod negotiation;
mod offers;
mod random;

mod service_types;

/// Validators: REP holders who sit on panels.
pub const VALIDATORS: [AccountId; 6] = [11, 12, 13, 14, 15, 16];
/// Providers, each with REP to bond.
pub const P1: AccountId = 21;
/// A second provider.
pub const P2: AccountId = 22;
/// A third provider.
pub const P3: AccountId = 23;
/// A consumer.
pub const CONSUMER: AccountId = 31;
/// The service type's author.
pub const AUTHOR: AccountId = 41;
/// The REP each validator and provider starts with.
pub const START_REP: Rep = 1000;
/// The deadline of the test type, in blocks.
pub const DEADLINE: u64 = 20;
/// The minimum availability stake of the test type.
pub const MIN_STAKE: Rep = 100;

/// The test type's terms: a panel of 3 with the default pool parameters, 10% to the author and
/// 10% to validators.
pub fn terms() -> TermsOf<Test> {
	Terms {
		panel_size: 3,
		param_set: default_param_set(),
		deadline: DEADLINE,
		author: AUTHOR,
		author_share: Perbill::from_percent(10),
		validators_share: Perbill::from_percent(10),
		min_stake: MIN_STAKE,
	}
}

/// A bounded byte string.
pub fn bytes<S: Get<u32>>(b: &[u8]) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(b.to_vec())
}

/// Registers a type with `terms`; returns its id.
pub fn register(terms: TermsOf<Test>) -> ServiceTypeId {
	let id = NextTypeId::<Test>::get();
	assert_ok!(Services::register_type(
		RuntimeOrigin::root(),
		bytes(b"transcode"),
		H256::repeat_byte(1),
		bytes(b"minute"),
		terms
	));
	id
}

/// `provider` offers type 0.
pub fn offer(provider: AccountId, capacity: Volume, rate: u64, stake: Rep) {
	assert_ok!(Services::offer(
		RuntimeOrigin::signed(provider),
		0,
		capacity,
		rate,
		bytes(b"tcp://127.0.0.1:4000"),
		stake
	));
}

/// `consumer` requests `volume` of type 0 at up to `max_rate`; returns the instance id.
pub fn request(
	consumer: AccountId,
	volume: Volume,
	max_rate: u64,
	provider: Option<AccountId>,
) -> InstanceId {
	let id = NextInstanceId::<Test>::get();
	assert_ok!(Services::request(
		RuntimeOrigin::signed(consumer),
		0,
		H256::from_low_u64_be(id),
		bytes(b"ssk://envelope/1"),
		volume,
		max_rate,
		provider
	));
	id
}

/// The instance's provider submits its result; returns the evaluation pool.
pub fn submit(instance: InstanceId) -> PoolId {
	let provider = Instances::<Test>::get(instance).unwrap().provider;
	assert_ok!(Services::submit_result(
		RuntimeOrigin::signed(provider),
		instance,
		H256::repeat_byte(0xaa),
		H256::repeat_byte(0xbb)
	));
	match Instances::<Test>::get(instance).unwrap().status {
		InstanceStatus::Evaluating { pool, .. } => pool,
		s => panic!("instance {instance} is {s:?}"),
	}
}

/// Every panel member of `pool` stakes all its free REP on `side`; then the pool settles.
pub fn judge(pool: PoolId, side: Side) {
	let panel = Pools::<Test>::get(pool).unwrap().panel.unwrap();
	for member in panel {
		assert_ok!(Reputation::stake(RuntimeOrigin::signed(member), pool, side, free_rep(member)));
	}
	assert_ok!(Reputation::settle(RuntimeOrigin::signed(CONSUMER), pool));
}

/// Moves to block `n`.
pub fn run_to(n: u64) {
	System::set_block_number(n);
}

/// An account's free REP.
pub fn free_rep(who: AccountId) -> Rep {
	Accounts::<Test>::get(who).map_or(0, |a| a.free)
}

/// An account's bonded REP.
pub fn bonded(who: AccountId) -> Rep {
	Accounts::<Test>::get(who).map_or(0, |a| a.bonded)
}

/// The REP supply.
pub fn supply() -> Rep {
	pallet_reputation::TotalIssuance::<Test>::get()
}

/// An account's spendable balance.
pub fn balance(who: AccountId) -> u64 {
	Balances::balance(&who)
}

/// What `who` has in escrow.
pub fn escrow_of(who: AccountId) -> u64 {
	Balances::balance_on_hold(&HoldReason::Escrow.into(), &who)
}

/// The instance's status.
pub fn status(instance: InstanceId) -> InstanceStatus<H256> {
	Instances::<Test>::get(instance).unwrap().status
}

/// The provider's offer of type 0.
pub fn offer_of(provider: AccountId) -> OfferOf<Test> {
	Offers::<Test>::get(0, provider).unwrap()
}

/// The pallet's events, most recent last.
pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Services(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Uses up the reputation pallet's bootstrap pool (pool 0, which always passes) on a post that
/// burns what it receives, so evaluation pools judge for real.
pub fn bootstrap() {
	let boot = 50;
	let post: PostId = pallet_reputation::NextPostId::<Test>::get();
	assert_ok!(Reputation::add_post(
		RuntimeOrigin::signed(boot),
		vec![(boot, Perbill::one())],
		H256::zero(),
		vec![(CitationTarget::Incinerator, 1_000_000_000)]
	));
	assert_ok!(Reputation::initiate_pool(
		RuntimeOrigin::signed(boot),
		post,
		default_param_set(),
		0,
		MIN_FEE
	));
	run_to(System::block_number() + WINDOW);
	assert_ok!(Reputation::settle(RuntimeOrigin::signed(boot), 0));
	assert!(pallet_reputation::Pools::<Test>::get(0).unwrap().bootstrap);
}

/// Validators and providers hold REP, the bootstrap pool is spent and the test type is
/// registered.
pub fn new_market() -> sp_io::TestExternalities {
	let members = VALIDATORS
		.iter()
		.chain([P1, P2, P3].iter())
		.map(|who| (*who, START_REP))
		.collect();
	let mut ext = new_test_ext_with(members);
	ext.execute_with(|| {
		bootstrap();
		register(terms());
	});
	ext
}

/// Checks the market's invariants ([`Pallet::do_try_state`]) and the ledger's
/// (`pallet_reputation::Pallet::do_try_state`), and what only the mock knows: every account of
/// the tests is below 60 (so no escrow is held outside an active instance), and the market
/// is the only pallet that bonds REP.
pub fn check_invariants() {
	Services::do_try_state().expect("the market's invariants hold");
	Reputation::do_try_state().expect("the ledger's invariants hold");

	let held: u64 = (1..60).map(escrow_of).sum();
	assert_eq!(held, TotalEscrow::<Test>::get(), "escrow holds = Σ F of active instances");
	let mut bonds: alloc::collections::BTreeMap<AccountId, Rep> = Default::default();
	for (_, provider, offer) in Offers::<Test>::iter() {
		*bonds.entry(provider).or_default() += offer.stake;
	}
	for (who, account) in Accounts::<Test>::iter() {
		assert_eq!(account.bonded, bonds.get(&who).copied().unwrap_or(0), "bond of {who}");
	}
}
