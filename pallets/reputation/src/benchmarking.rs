//! Benchmarks of the reputation pallet (frame-benchmarking v2): every call in its worst case.
//!
//! `initiate_pool`, `stake`, `settle_passed`, `settle_failed` and `claim` take `n`, the number
//! of REP holders, from 10 to 10,000; in `stake`, `settle_*` and `claim` every holder has also
//! voted in the pool, so `n` is the number of voters too. Their cost must not depend on it (the
//! weight functions drop `n`). `initiate_pool` with `m` panel seats is the panel-draw
//! benchmark: a draw reads one sortition node per level whatever `n` is.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::{Inspect, Mutate};
use frame_system::RawOrigin;
use gpow_primitives_reputation::CITATION_WEIGHT_ONE;
use sp_runtime::traits::{Get, One, SaturatedConversion, Zero};

const SEED: u32 = 0;
/// Every member holds this much REP.
const MEMBER_REP: Rep = 1_000_000;

/// An account with plenty of currency and its post deposit affordable.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let amount: BalanceOf<T> = 1_000_000_000_000_000_000u128.saturated_into();
	T::Currency::set_balance(&who, amount);
	T::PostConsideration::ensure_successful(
		&who,
		Footprint::from_parts(1, PostRecordOf::<T>::max_encoded_len()),
	);
	who
}

/// `n` members holding `MEMBER_REP` each; the setup's events are cleared, as at a block's start.
fn members<T: Config>(n: u32) -> Vec<T::AccountId> {
	let holders = (0..n)
		.map(|i| {
			let who: T::AccountId = account("member", i, SEED);
			Pallet::<T>::mint_free(&who, MEMBER_REP);
			who
		})
		.collect();
	frame_system::Pallet::<T>::reset_events();
	holders
}

/// Equal author weights summing to exactly 100%.
fn equal_weights<T: Config>(authors: Vec<T::AccountId>) -> Vec<(T::AccountId, Perbill)> {
	let n = authors.len().max(1) as u32;
	let each = Perbill::one().deconstruct() / n;
	let first = Perbill::one().deconstruct() - each * (n - 1);
	authors
		.into_iter()
		.enumerate()
		.map(|(i, a)| (a, Perbill::from_parts(if i == 0 { first } else { each })))
		.collect()
}

/// Positive citations of `posts` with equal weights summing to at most 100%.
fn cite(posts: &[PostId]) -> Vec<(CitationTarget, i32)> {
	let weight = CITATION_WEIGHT_ONE / (posts.len().max(1) as i32);
	posts.iter().map(|p| (CitationTarget::Post(*p), weight)).collect()
}

/// A post by `poster` with `authors` and `citations`.
fn post<T: Config>(
	poster: &T::AccountId,
	authors: Vec<T::AccountId>,
	citations: Vec<(CitationTarget, i32)>,
) -> PostId {
	Pallet::<T>::do_add_post(poster, equal_weights::<T>(authors), T::Hash::default(), citations)
		.expect("benchmark setup: the post is valid")
}

/// The default parameter set (stored again in case genesis did not) and a fee it accepts.
fn default_params<T: Config>() -> (PoolParamsOf<T>, BalanceOf<T>) {
	let params = T::DefaultParams::get();
	ParameterSets::<T>::insert(default_param_set(), params.clone());
	let fee = params
		.min_fee
		.max(T::Currency::minimum_balance())
		.max(1_000_000_000_000u128.saturated_into());
	(params, fee)
}

/// Opens a pool on `post` paid by `initiator`; `bootstrap` keeps pool 0 (which always passes),
/// otherwise pool 0 is skipped.
fn open<T: Config>(initiator: &T::AccountId, post: PostId, bootstrap: bool) -> PoolId {
	if !bootstrap && NextPoolId::<T>::get() == 0 {
		NextPoolId::<T>::put(1);
	}
	let (_, fee) = default_params::<T>();
	Pallet::<T>::do_open_pool(initiator, post, &default_param_set(), 0, fee)
		.expect("benchmark setup: the pool opens")
}

/// Every one of `voters` stakes one REP unit in `pool`, alternately for and against (for first),
/// so a benchmark runs among as many voters as holders.
fn votes<T: Config>(pool: PoolId, voters: &[T::AccountId]) {
	for (i, voter) in voters.iter().enumerate() {
		let side = if i % 2 == 0 { Side::For } else { Side::Against };
		Pallet::<T>::do_stake(voter, pool, side, 1).expect("benchmark setup: the vote is valid");
	}
}

/// Moves past `pool`'s window.
fn end_window<T: Config>(pool: PoolId) {
	let ends_at = Pools::<T>::get(pool).map(|p| p.ends_at).unwrap_or_default();
	frame_system::Pallet::<T>::set_block_number(ends_at);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A post with `a` authors citing `c` older posts.
	#[benchmark]
	fn add_post(a: Linear<1, { T::MaxAuthors::get() }>, c: Linear<0, { T::MaxCitations::get() }>) {
		let poster = funded::<T>("poster", 0);
		let cited: Vec<PostId> = (0..c)
			.map(|_| post::<T>(&poster, alloc::vec![poster.clone()], Vec::new()))
			.collect();
		let authors = equal_weights::<T>((0..a).map(|i| account("author", i, SEED)).collect());

		#[extrinsic_call]
		_(RawOrigin::Signed(poster.clone()), authors, T::Hash::default(), cite(&cited));

		assert!(Posts::<T>::contains_key(PostId::from(c)));
	}

	/// Removing a post that cites `MaxCitations` posts.
	#[benchmark]
	fn remove_post() {
		let poster = funded::<T>("poster", 0);
		let cited: Vec<PostId> = (0..T::MaxCitations::get())
			.map(|_| post::<T>(&poster, alloc::vec![poster.clone()], Vec::new()))
			.collect();
		let authors = (0..T::MaxAuthors::get()).map(|i| account("author", i, SEED)).collect();
		let target = post::<T>(&poster, authors, cite(&cited));

		#[extrinsic_call]
		_(RawOrigin::Signed(poster.clone()), target);

		assert!(!Posts::<T>::contains_key(target));
	}

	/// Opening a pool among `n` REP holders with a panel of `m` (0: an open pool). The panel
	/// draw reads one sortition node per level per draw, whatever `n` is.
	#[benchmark]
	fn initiate_pool(n: Linear<10, 10_000>, m: Linear<0, { T::MaxPanelSize::get() }>) {
		members::<T>(n);
		let initiator = funded::<T>("initiator", 0);
		let author = funded::<T>("author", 0);
		let target = post::<T>(&author, alloc::vec![author.clone()], Vec::new());
		let (_, fee) = default_params::<T>();
		NextPoolId::<T>::put(1);

		#[extrinsic_call]
		_(RawOrigin::Signed(initiator), target, default_param_set(), m, fee);

		let pool = Pools::<T>::get(1).expect("the pool is open");
		let seats = pool.panel.map_or(0, |p| p.len() as u32);
		assert!(seats <= m && (m == 0 || seats > 0));
	}

	/// A member stakes all its free REP (its sortition slot is released) among `n` holders.
	#[benchmark]
	fn stake(n: Linear<10, 10_000>) {
		let holders = members::<T>(n);
		let initiator = funded::<T>("initiator", 0);
		let target = post::<T>(&initiator, alloc::vec![initiator.clone()], Vec::new());
		let pool = open::<T>(&initiator, target, false);
		votes::<T>(pool, &holders[1..]);
		let staker = holders[0].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(staker.clone()), pool, Side::For, MEMBER_REP);

		assert_eq!(Stakes::<T>::get(pool, &staker).map(|s| s.amount), Some(MEMBER_REP));
	}

	/// Settling a pool that passes, among `n` holders: the REP flow's worst case. Layers of
	/// `MaxCitations` posts down to `MaxCitationDepth`, each post citing every post of the next
	/// layer and written by `MaxAuthors` new accounts, so the walk spends its whole visit budget
	/// and every visit credits `MaxAuthors` authors who get a new sortition slot.
	#[benchmark]
	fn settle_passed(n: Linear<10, 10_000>) -> Result<(), BenchmarkError> {
		let holders = members::<T>(n);
		let initiator = funded::<T>("initiator", 0);
		let mut params = T::DefaultParams::get();
		params.citation_depth = T::MaxCitationDepth::get();
		params.duration = One::one();
		let fee = params
			.min_fee
			.max(T::Currency::minimum_balance())
			.max(1_000_000_000_000_000u128.saturated_into());
		ParameterSets::<T>::insert(default_param_set(), params);
		let mut next_author = 0u32;
		let mut layer: Vec<PostId> = Vec::new();
		for _ in 0..T::MaxCitationDepth::get() {
			let citations = cite(&layer);
			layer = (0..T::MaxCitations::get())
				.map(|_| {
					let authors = (0..T::MaxAuthors::get())
						.map(|_| {
							next_author += 1;
							account("author", next_author, SEED)
						})
						.collect();
					post::<T>(&initiator, authors, citations.clone())
				})
				.collect();
		}
		let authors = (0..T::MaxAuthors::get()).map(|i| account("root", i, SEED)).collect();
		let root = post::<T>(&initiator, authors, cite(&layer));
		// Pool 0 is the bootstrap pool: it passes whatever the stakes.
		let pool = Pallet::<T>::do_open_pool(&initiator, root, &default_param_set(), 0, fee)
			.map_err(|_| BenchmarkError::Stop("the pool opens"))?;
		Pallet::<T>::do_stake(&holders[0], pool, Side::For, MEMBER_REP)
			.map_err(|_| BenchmarkError::Stop("the stake is valid"))?;
		votes::<T>(pool, &holders[1..]);
		end_window::<T>(pool);

		#[extrinsic_call]
		settle(RawOrigin::Signed(initiator), pool);

		assert!(Posts::<T>::get(root).is_some_and(|p| !p.value.is_zero()));
		Ok(())
	}

	/// Settling a pool that fails (no REP flow), among `n` holders.
	#[benchmark]
	fn settle_failed(n: Linear<10, 10_000>) -> Result<(), BenchmarkError> {
		let holders = members::<T>(n);
		// The whale holds at least half of all free REP (genesis members included), so its stake
		// meets the quorum and the pool fails rather than lacking a quorum.
		let whale: T::AccountId = account("whale", 0, SEED);
		let whale_rep = TotalFree::<T>::get().max(MEMBER_REP.saturating_mul(n.into()));
		Pallet::<T>::mint_free(&whale, whale_rep);
		let initiator = funded::<T>("initiator", 0);
		let target = post::<T>(&initiator, alloc::vec![initiator.clone()], Vec::new());
		let pool = open::<T>(&initiator, target, false);
		Pallet::<T>::do_stake(&whale, pool, Side::Against, whale_rep)
			.map_err(|_| BenchmarkError::Stop("the stake is valid"))?;
		votes::<T>(pool, &holders);
		end_window::<T>(pool);

		#[extrinsic_call]
		settle(RawOrigin::Signed(initiator), pool);

		assert!(matches!(
			Pools::<T>::get(pool).map(|p| p.state),
			Some(PoolState::Settled { verdict: Verdict::Failed, .. })
		));
		Ok(())
	}

	/// A winner claims among `n` holders; it had staked all its REP, so it gets a new slot.
	#[benchmark]
	fn claim(n: Linear<10, 10_000>) -> Result<(), BenchmarkError> {
		let holders = members::<T>(n);
		let initiator = funded::<T>("initiator", 0);
		let target = post::<T>(&initiator, alloc::vec![initiator.clone()], Vec::new());
		let pool = open::<T>(&initiator, target, true);
		let winner = holders[0].clone();
		Pallet::<T>::do_stake(&winner, pool, Side::For, MEMBER_REP)
			.map_err(|_| BenchmarkError::Stop("the stake is valid"))?;
		Pallet::<T>::do_stake(&holders[1], pool, Side::Against, MEMBER_REP)
			.map_err(|_| BenchmarkError::Stop("the stake is valid"))?;
		votes::<T>(pool, &holders[2..]);
		end_window::<T>(pool);
		Pallet::<T>::do_settle(pool).map_err(|_| BenchmarkError::Stop("the pool settles"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(winner.clone()), pool);

		assert!(Accounts::<T>::get(&winner).is_some_and(|a| a.free > MEMBER_REP));
		Ok(())
	}

	/// A member claims its fees.
	#[benchmark]
	fn claim_fees() {
		let holders = members::<T>(10);
		// `who` holds about half of all free REP (genesis members included), so its share of the
		// fee is above the existential deposit whatever the runtime's genesis holds.
		let who = holders[0].clone();
		Pallet::<T>::mint_free(&who, TotalFree::<T>::get());
		let initiator = funded::<T>("initiator", 0);
		let target = post::<T>(&initiator, alloc::vec![initiator.clone()], Vec::new());
		open::<T>(&initiator, target, false);
		assert!(Pallet::<T>::claimable_fees(&who) > 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert_eq!(Pallet::<T>::claimable_fees(&who), 0);
	}

	#[benchmark]
	fn set_parameter_set() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let name: ParamSetName = alloc::vec![7u8; 32].try_into().unwrap_or_default();
		let params = T::DefaultParams::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, name.clone(), params);

		assert!(ParameterSets::<T>::contains_key(&name));
		Ok(())
	}

	#[benchmark]
	fn remove_parameter_set() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let name: ParamSetName = alloc::vec![7u8; 32].try_into().unwrap_or_default();
		ParameterSets::<T>::insert(&name, T::DefaultParams::get());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, name.clone());

		assert!(!ParameterSets::<T>::contains_key(&name));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
