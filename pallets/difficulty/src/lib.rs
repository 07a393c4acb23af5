//! # Difficulty Pallet
//!
//! Retargets the proof-of-work difficulty of GPoW toward a target block time, in the manner of
//! Kulupu's difficulty pallet: a moving window of recent blocks, damping toward the goal and
//! clamping the adjustment.
//!
//! ## Overview
//!
//! Every block, [`pallet_timestamp`] tells this pallet the block's timestamp through
//! [`OnTimestampSet`](frame_support::traits::OnTimestampSet) (the runtime sets
//! `type OnTimestampSet = Difficulty;`). The pallet then:
//!
//! 1. pushes `(difficulty of this block, timestamp of this block)` into
//!    [`PastDifficultiesAndTimestamps`], a bounded window of at most [`Config::WindowSize`] entries
//!    (the oldest entry is dropped when the window is full);
//! 2. computes the difficulty the **next** block must meet with [`next_difficulty`] and stores it
//!    in [`CurrentDifficulty`].
//!
//! The node's proof-of-work engine reads that value through the runtime API
//! `sp_consensus_pow::DifficultyApi<Block, U256>`, implemented with [`Pallet::difficulty`] and
//! called on the parent block's state.
//!
//! The target block time lives in storage ([`TargetBlockTime`]), is set at genesis and can be
//! changed by [`Config::AdminOrigin`] with [`Pallet::set_target_block_time`].
//!
//! ## Terms
//!
//! - **Difficulty**: linear difficulty, the expected number of hashes needed to mine one block
//!   (`sp_core::U256`). It is never 0: every value this pallet produces is at least
//!   `max(MinDifficulty, 1)`.
//! - **Target block time**: the wanted average time between blocks, in milliseconds.
//! - **Window**: the last [`Config::WindowSize`] `(difficulty, timestamp)` pairs, oldest first.
//! - **Timespan**: the time the window's blocks actually took: the sum of the positive deltas
//!   between consecutive timestamps in the window (a timestamp that does not move forward counts
//!   as 0), and 1 if that sum is 0.
//! - **Goal**: the time the window's blocks should have taken: `(entries - 1) * target`.
//! - **Damping** ([`Config::DampFactor`]): moves the timespan only part of the way from the goal,
//!   so one window of unlucky blocks does not swing the difficulty fully.
//! - **Clamping** ([`Config::ClampFactor`]): bounds the adjusted timespan to
//!   `[goal / ClampFactor, goal * ClampFactor]`, so one retarget changes the difficulty by at most
//!   that factor relative to the window's mean difficulty.
//!
//! ## The formula
//!
//! With `n >= 2` entries `(d_i, t_i)` in the window (fewer entries: the difficulty is kept):
//!
//! ```text
//! timespan = max(1, Σ_{i=1}^{n-1} max(0, t_i - t_{i-1}))
//! goal     = (n - 1) * target
//! damped   = damp(timespan, goal, DampFactor)  = (timespan + (DampFactor - 1) * goal) / DampFactor
//! adjusted = clamp(damped, goal, ClampFactor)  = max(goal / ClampFactor, min(damped, goal * ClampFactor))
//! mean     = (Σ_{i=0}^{n-1} d_i) / n
//! next     = mean * goal / adjusted
//!          = (Σ d_i) * goal / (n * adjusted)
//! ```
//!
//! `next` is then bounded to `[mean / ClampFactor, mean * ClampFactor]` (this only matters when
//! the integer division `goal / ClampFactor` rounds down) and finally to
//! `[max(MinDifficulty, 1), U256::MAX]`.
//!
//! Kulupu computes `diff_sum * block_time / adjusted` with a goal of `window * block_time` while
//! its timespan covers `window - 1` intervals. Dividing the difficulty sum by the number of
//! entries `n` and the goal by the number of intervals `n - 1` instead makes a window of blocks
//! exactly on target keep the difficulty **exactly** unchanged, also while the window is still
//! filling up after genesis.
//!
//! All arithmetic is done in `U256`/`U512` with checked or saturating operations: the sum of up to
//! `u32::MAX` difficulties times the goal fits in a `U512`, so nothing overflows or saturates
//! before the final conversion back to `U256`. A `DampFactor` or `ClampFactor` of 0 is treated as
//! 1 (no damping, respectively no adjustment).
//!
//! ## Example
//!
//! A window of three blocks mined at difficulty 1000, each taking a quarter of the 60 s target:
//!
//! ```
//! use pallet_difficulty::next_difficulty;
//! use sp_core::U256;
//!
//! let d = U256::from(1000u64);
//! let window = [(d, 0u64), (d, 15_000), (d, 30_000)];
//! // goal = 2 * 60_000 = 120_000, timespan = 30_000,
//! // damped = (30_000 + 2 * 120_000) / 3 = 90_000, clamp keeps it: next = 1000 * 120 / 90.
//! let next = next_difficulty(&window, 60_000, 3, 2, U256::one());
//! assert_eq!(next, Some(U256::from(1333u64)));
//!
//! // Exactly on target: unchanged.
//! let window = [(d, 0u64), (d, 60_000), (d, 120_000)];
//! assert_eq!(next_difficulty(&window, 60_000, 3, 2, U256::one()), Some(d));
//! ```
//!
//! ## Weights
//!
//! [`OnTimestampSet`](frame_support::traits::OnTimestampSet) returns no weight, so the pallet's
//! `on_initialize` hook returns [`WeightInfo::on_timestamp_set`] (3 reads, 2 writes and the window
//! arithmetic), which is the work `on_timestamp_set` does later in the same block.

#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "runtime-benchmarks")]
extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use core::cmp::{max, min};
use frame_support::traits::{Get, OnTimestampSet};
use sp_core::{U256, U512};
use sp_runtime::traits::UniqueSaturatedInto;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::difficulty";

/// Target block time of a default [`GenesisConfig`], in milliseconds (Kulupu's 60 s).
pub const DEFAULT_TARGET_BLOCK_TIME_MS: u64 = 60_000;

/// Initial difficulty of a default [`GenesisConfig`]; raised to the floor at genesis.
pub const DEFAULT_INITIAL_DIFFICULTY: u128 = 1;

/// Moves `actual` linearly toward `goal`: `(actual + (factor - 1) * goal) / factor`.
///
/// A `factor` of 1 (or 0, treated as 1) returns `actual` unchanged; larger factors keep the
/// result closer to `goal`. Saturating, never panics.
pub fn damp(actual: U256, goal: U256, factor: u32) -> U256 {
	let factor = U256::from(max(factor, 1));
	let weighted_goal = goal.saturating_mul(factor.saturating_sub(U256::one()));
	actual.saturating_add(weighted_goal).checked_div(factor).unwrap_or(actual)
}

/// Limits `actual` to `[goal / factor, goal * factor]`:
/// `max(goal / factor, min(actual, goal * factor))`.
///
/// A `factor` of 1 (or 0, treated as 1) returns `goal`. Saturating, never panics.
pub fn clamp(actual: U256, goal: U256, factor: u32) -> U256 {
	let factor = U256::from(max(factor, 1));
	let lower = goal.checked_div(factor).unwrap_or(goal);
	let upper = goal.saturating_mul(factor);
	max(lower, min(actual, upper))
}

/// Computes the difficulty of the block after the last one in `window`.
///
/// `window` holds `(difficulty, timestamp in ms)` pairs, oldest first; `target_ms` is the target
/// block time; `min_difficulty` is the floor (a floor of 0 is treated as 1). See the crate
/// documentation for the formula.
///
/// Returns `None` when there is nothing to compute from: fewer than 2 entries, or a target block
/// time of 0. Otherwise returns a value in `[max(min_difficulty, 1), U256::MAX]`. Never panics.
pub fn next_difficulty(
	window: &[(U256, u64)],
	target_ms: u64,
	damp_factor: u32,
	clamp_factor: u32,
	min_difficulty: U256,
) -> Option<U256> {
	if window.len() < 2 || target_ms == 0 {
		return None;
	}
	let entries = U512::from(u64::try_from(window.len()).ok()?);
	let intervals = u64::try_from(window.len().saturating_sub(1)).ok()?;

	// Time actually taken: positive deltas only, at least 1 ms.
	let timespan = window
		.iter()
		.zip(window.iter().skip(1))
		.map(|((_, prev), (_, cur))| cur.saturating_sub(*prev))
		.fold(U256::zero(), |acc, delta| acc.saturating_add(U256::from(delta)));
	let timespan = max(timespan, U256::one());

	// Time the window should have taken.
	let goal = U256::from(intervals).saturating_mul(U256::from(target_ms));

	let adjusted = clamp(damp(timespan, goal, damp_factor), goal, clamp_factor);
	let adjusted = max(adjusted, U256::one());

	// Exact for any window the pallet stores: `WindowSize` (a `u32`) values below 2^256 sum to
	// less than 2^288.
	let diff_sum = window
		.iter()
		.fold(U512::zero(), |acc, (difficulty, _)| acc.saturating_add(U512::from(*difficulty)));

	// next = diff_sum * goal / (entries * adjusted); `goal` < 2^128, so the product stays below
	// 2^416 and fits in a `U512`.
	let numerator = diff_sum.saturating_mul(U512::from(goal));
	let denominator = entries.saturating_mul(U512::from(adjusted));
	let next = numerator.checked_div(denominator).unwrap_or(U512::zero());

	// At most one clamp factor away from the window's mean difficulty, whatever the rounding.
	let clamp_factor = U512::from(max(clamp_factor, 1));
	let mean = diff_sum.checked_div(entries).unwrap_or(U512::zero());
	let lower = mean.checked_div(clamp_factor).unwrap_or(mean);
	let upper = mean.saturating_mul(clamp_factor);
	let next = max(lower, min(next, upper));

	let next = U256::try_from(next).unwrap_or(U256::MAX);
	Some(max(next, max(min_difficulty, U256::one())))
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The window of past blocks: `(difficulty, timestamp in ms)`, oldest first.
	pub type Window<T> = BoundedVec<(U256, u64), <T as Config>::WindowSize>;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration trait of this pallet.
	///
	/// There is no `type RuntimeEvent`: in this FRAME version it is deprecated, the pallet macro
	/// appends the bound `frame_system::Config<RuntimeEvent: From<Event<Self>>>` itself
	/// (polkadot-sdk #7229).
	#[pallet::config]
	pub trait Config: frame_system::Config + pallet_timestamp::Config {
		/// Number of past blocks the retarget averages over (Kulupu: 60).
		///
		/// Also the bound of [`PastDifficultiesAndTimestamps`]. Values below 2 mean the
		/// difficulty never changes. Lowering it in a runtime upgrade makes the stored window
		/// undecodable, which resets it (the difficulty is kept and the window refills).
		#[pallet::constant]
		type WindowSize: Get<u32>;

		/// Damping factor applied to the window's timespan (Kulupu: 3). 0 is treated as 1.
		#[pallet::constant]
		type DampFactor: Get<u32>;

		/// Clamp factor bounding one retarget (Kulupu: 2). 0 is treated as 1.
		#[pallet::constant]
		type ClampFactor: Get<u32>;

		/// Lowest difficulty the pallet ever requires. 0 is treated as 1: the difficulty is
		/// never 0.
		///
		/// Not a metadata constant: a runtime may govern it (read it through the runtime's API).
		type MinDifficulty: Get<u128>;

		/// Origin allowed to change the target block time (the runtime: Root or the governance
		/// `parameters` track).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weight information for the extrinsics and hooks of this pallet.
		type WeightInfo: WeightInfo;
	}

	/// The difficulty the next block must meet.
	///
	/// Read it with [`Pallet::difficulty`], which also applies the floor.
	#[pallet::storage]
	pub type CurrentDifficulty<T: Config> = StorageValue<_, U256, ValueQuery>;

	/// The target block time, in milliseconds. Never 0 once genesis has been built.
	#[pallet::storage]
	pub type TargetBlockTime<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// The last [`Config::WindowSize`] blocks' `(difficulty, timestamp in ms)`, oldest first.
	#[pallet::storage]
	pub type PastDifficultiesAndTimestamps<T: Config> = StorageValue<_, Window<T>, ValueQuery>;

	/// Genesis configuration.
	///
	/// Plain integers (not `U256`) so that it serializes with serde in `no_std`. In JSON (chain
	/// specs, presets) the fields are `initialDifficulty` and `targetBlockTime`.
	///
	/// The default is [`DEFAULT_INITIAL_DIFFICULTY`] and [`DEFAULT_TARGET_BLOCK_TIME_MS`], so that
	/// building a default genesis does not fail; real chains set both.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// Difficulty of block 1. Raised to `max(MinDifficulty, 1)` if lower.
		pub initial_difficulty: u128,
		/// Target block time in milliseconds. Must not be 0: genesis building panics on 0.
		pub target_block_time: u64,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self {
				initial_difficulty: DEFAULT_INITIAL_DIFFICULTY,
				target_block_time: DEFAULT_TARGET_BLOCK_TIME_MS,
				_config: Default::default(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(
				self.target_block_time > 0,
				"pallet-difficulty genesis: `target_block_time` must be greater than 0 ms"
			);
			let initial = max(U256::from(self.initial_difficulty), Pallet::<T>::min_difficulty());
			CurrentDifficulty::<T>::put(initial);
			TargetBlockTime::<T>::put(self.target_block_time);
		}
	}

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The target block time was changed.
		TargetBlockTimeSet {
			/// The new target block time, in milliseconds.
			target_ms: u64,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The target block time must be greater than 0 ms.
		ZeroTargetBlockTime,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Accounts for the retarget that `on_timestamp_set` performs later in this block, since
		/// [`OnTimestampSet`](frame_support::traits::OnTimestampSet) cannot return a weight.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			<T as Config>::WeightInfo::on_timestamp_set()
		}

		fn integrity_test() {
			assert!(
				T::WindowSize::get() >= 2,
				"pallet-difficulty: `WindowSize` must be at least 2 for the difficulty to adjust"
			);
			assert!(T::DampFactor::get() >= 1, "pallet-difficulty: `DampFactor` must be >= 1");
			assert!(T::ClampFactor::get() >= 1, "pallet-difficulty: `ClampFactor` must be >= 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets the target block time, in milliseconds.
		///
		/// The origin must be [`Config::AdminOrigin`]. The new target applies from the next
		/// retarget on, to the whole window. Emits [`Event::TargetBlockTimeSet`].
		///
		/// Fails with [`Error::ZeroTargetBlockTime`] if `target_ms` is 0.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::set_target_block_time())]
		pub fn set_target_block_time(origin: OriginFor<T>, target_ms: u64) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(target_ms > 0, Error::<T>::ZeroTargetBlockTime);
			TargetBlockTime::<T>::put(target_ms);
			Self::deposit_event(Event::TargetBlockTimeSet { target_ms });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The difficulty the next block must meet, never below `max(MinDifficulty, 1)`.
	///
	/// This is what the runtime's `sp_consensus_pow::DifficultyApi` returns.
	pub fn difficulty() -> U256 {
		max(CurrentDifficulty::<T>::get(), Self::min_difficulty())
	}

	/// The target block time, in milliseconds.
	pub fn target_block_time() -> u64 {
		TargetBlockTime::<T>::get()
	}

	/// The window of past `(difficulty, timestamp in ms)` pairs, oldest first.
	pub fn past_difficulties_and_timestamps() -> Window<T> {
		PastDifficultiesAndTimestamps::<T>::get()
	}

	/// The difficulty floor: `max(MinDifficulty, 1)`.
	pub fn min_difficulty() -> U256 {
		max(U256::from(T::MinDifficulty::get()), U256::one())
	}

	/// Records a block with timestamp `now_ms` and computes the next block's difficulty.
	///
	/// This is the body of [`OnTimestampSet::on_timestamp_set`]; 3 reads and 2 writes.
	fn retarget(now_ms: u64) {
		let current = Self::difficulty();
		let target_ms = TargetBlockTime::<T>::get();

		let mut window = PastDifficultiesAndTimestamps::<T>::get();
		// Append at the end; when full, the oldest entry (index 0) is dropped. Only fails if
		// `WindowSize` is 0, in which case there is nothing to record.
		let _ = window.force_insert_keep_right(window.len(), (current, now_ms));

		let next = match next_difficulty(
			&window,
			target_ms,
			T::DampFactor::get(),
			T::ClampFactor::get(),
			Self::min_difficulty(),
		) {
			Some(next) => next,
			None => {
				if target_ms == 0 {
					log::warn!(
						target: LOG_TARGET,
						"target block time is 0 (genesis not built?), keeping difficulty {current}",
					);
				}
				current
			},
		};
		log::trace!(target: LOG_TARGET, "timestamp {now_ms}: next difficulty {next}");

		PastDifficultiesAndTimestamps::<T>::put(window);
		CurrentDifficulty::<T>::put(next);
	}

	/// Checks the pallet's invariants.
	///
	/// - the stored difficulty is not 0 (it may lie below the current floor: `MinDifficulty` may
	///   be raised between retargets, by governance in the runtime; [`Pallet::difficulty`]
	///   serves the floor until the next retarget stores it);
	/// - the target block time is not 0;
	/// - the window holds at most [`Config::WindowSize`] entries.
	///
	/// Called by the `try_state` hook (feature `try-runtime`), the tests and the runtime's fuzzer.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		frame_support::ensure!(!CurrentDifficulty::<T>::get().is_zero(), "CurrentDifficulty is 0");
		frame_support::ensure!(TargetBlockTime::<T>::get() > 0, "TargetBlockTime is 0");
		let bound = usize::try_from(T::WindowSize::get()).unwrap_or(usize::MAX);
		frame_support::ensure!(
			PastDifficultiesAndTimestamps::<T>::get().len() <= bound,
			"window longer than WindowSize"
		);
		Ok(())
	}
}

impl<T: Config> OnTimestampSet<T::Moment> for Pallet<T> {
	/// Called by `pallet_timestamp` once per block with the block's timestamp (ms).
	///
	/// Records the block in the window and retargets. Its weight is accounted for in
	/// `on_initialize` ([`WeightInfo::on_timestamp_set`]).
	fn on_timestamp_set(moment: T::Moment) {
		let now_ms: u64 = moment.unique_saturated_into();
		Self::retarget(now_ms);
	}
}
