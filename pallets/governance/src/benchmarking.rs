//! Benchmarks of the governance pallet (frame-benchmarking v2): every call and the settlement
//! hook in its worst case.
//!
//! `enact` and `on_pool_settled` take `h`, the number of REP holders, from 10 to 10,000: neither
//! reads anything per holder, so their cost must not depend on `h` (the weight functions drop
//! it). `propose` takes `l`, the encoded length of the call, up to `MaxCallLen`.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::{Inspect, Mutate};
use gpow_primitives_reputation::{PoolOutcome, PoolOutcomeHandler, Rep, Verdict};
use sp_runtime::{traits::Saturating, Perbill};

const SEED: u32 = 0;
/// The REP of every benchmark holder.
const REP: Rep = 1_000;

/// An account with plenty of currency for deposits and pool fees.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let plenty = T::Currency::minimum_balance().saturating_mul(1_000_000_000u32.into());
	let tracks = Tracks::<T>::iter_values()
		.map(|t| t.deposit.saturating_add(t.pool_fee))
		.fold(plenty, |a, b| a.saturating_add(b.saturating_mul(4u32.into())));
	T::Currency::set_balance(&who, tracks);
	who
}

/// `h` REP holders besides the proposer.
fn holders<T: Config>(h: u32) {
	for i in 0..h {
		T::BenchmarkHelper::endow_rep(&account("holder", i, SEED), REP);
	}
}

/// A post authored by `who` alone.
fn post<T: Config>(who: &T::AccountId) -> PostId {
	T::Reputation::add_post(
		who,
		alloc::vec![(who.clone(), Perbill::one())],
		T::Hash::default(),
		alloc::vec![],
	)
	.expect("benchmark setup: a post by one author")
}

/// A proposal of an allowed call about `len` bytes long, by a funded REP holder; returns the
/// proposer and the proposal.
fn proposal<T: Config>(len: u32) -> (T::AccountId, ProposalId) {
	let who = funded::<T>("proposer", 0);
	T::BenchmarkHelper::endow_rep(&who, REP);
	let (track, call) = T::BenchmarkHelper::allowed_call(len);
	let post = post::<T>(&who);
	let id = Pallet::<T>::do_propose(&who, post, track, call).expect("benchmark setup: propose");
	(who, id)
}

/// Settles the pool of `id` as passed (directly through the hook); returns the enactment block.
fn passed<T: Config>(id: ProposalId) -> BlockNumberFor<T> {
	let p = Proposals::<T>::get(id).expect("benchmark setup: proposal");
	Pallet::<T>::on_pool_settled(&outcome::<T>(p.pool, p.post));
	match Proposals::<T>::get(id).map(|p| p.status) {
		Some(ProposalStatus::Scheduled { at }) => at,
		other => panic!("benchmark setup: not scheduled: {other:?}"),
	}
}

fn outcome<T: Config>(pool: PoolId, post: PostId) -> PoolOutcome<T::AccountId> {
	PoolOutcome {
		pool,
		post,
		verdict: Verdict::Passed,
		total_for: REP,
		total_against: 0,
		bootstrap: false,
		backing_returned: None,
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn propose(l: Linear<0, { T::MaxCallLen::get() }>) -> Result<(), BenchmarkError> {
		let who = funded::<T>("proposer", 0);
		T::BenchmarkHelper::endow_rep(&who, REP);
		let (track, call) = T::BenchmarkHelper::allowed_call(l);
		let post = post::<T>(&who);
		#[extrinsic_call]
		_(frame_system::RawOrigin::Signed(who.clone()), post, track, alloc::boxed::Box::new(call));
		assert_eq!(ProposalOfPost::<T>::get(post), Some(0));
		Ok(())
	}

	#[benchmark]
	fn enact(h: Linear<10, 10_000>) -> Result<(), BenchmarkError> {
		holders::<T>(h);
		let (_, id) = proposal::<T>(0);
		let at = passed::<T>(id);
		frame_system::Pallet::<T>::set_block_number(at);
		let p = Proposals::<T>::get(id).expect("scheduled");
		// Measure enact without the call itself (its weight is added to the declared weight).
		let origin = Pallet::<T>::track_origin(p.track);
		#[extrinsic_call]
		_(origin as <T as frame_system::Config>::RuntimeOrigin, id, p.call_weight);
		assert!(matches!(
			Proposals::<T>::get(id).map(|p| p.status),
			Some(ProposalStatus::Enacted { .. })
		));
		Ok(())
	}

	#[benchmark]
	fn cancel() -> Result<(), BenchmarkError> {
		let (_, id) = proposal::<T>(0);
		passed::<T>(id);
		let origin =
			T::CancelOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as <T as frame_system::Config>::RuntimeOrigin, id);
		assert_eq!(Proposals::<T>::get(id).map(|p| p.status), Some(ProposalStatus::Cancelled));
		Ok(())
	}

	#[benchmark]
	fn authorize_upgrade() -> Result<(), BenchmarkError> {
		let origin =
			T::UpgradeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let code_hash = T::Hash::default();
		#[extrinsic_call]
		_(origin as <T as frame_system::Config>::RuntimeOrigin, code_hash);
		assert!(frame_system::Pallet::<T>::authorized_upgrade().is_some());
		Ok(())
	}

	/// The settlement hook when a pool passes: the enactment is scheduled and the deposit
	/// returned (the failed and no-quorum paths do less: no scheduling).
	#[benchmark]
	fn on_pool_settled(h: Linear<10, 10_000>) -> Result<(), BenchmarkError> {
		holders::<T>(h);
		let (_, id) = proposal::<T>(T::MaxCallLen::get());
		let p = Proposals::<T>::get(id).expect("proposed");
		let outcome = outcome::<T>(p.pool, p.post);
		#[block]
		{
			Pallet::<T>::on_pool_settled(&outcome);
		}
		assert!(matches!(
			Proposals::<T>::get(id).map(|p| p.status),
			Some(ProposalStatus::Scheduled { .. })
		));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
