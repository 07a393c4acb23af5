//! Tests of the difficulty pallet.

use crate::{
	clamp, damp, mock::*, next_difficulty, pallet::Window, CurrentDifficulty, Error, Event,
	PastDifficultiesAndTimestamps, TargetBlockTime,
};
use codec::MaxEncodedLen;
use frame_support::{
	assert_noop, assert_ok,
	traits::{BuildGenesisConfig, Get, Hooks},
	weights::{RuntimeDbWeight, Weight},
};
use sp_core::{U256, U512};
use sp_runtime::DispatchError;

type DifficultyPallet = crate::Pallet<Test>;

fn u(v: u128) -> U256 {
	U256::from(v)
}

/// A small deterministic PRNG (xorshift64*), so the "random" tests are reproducible.
struct XorShift(u64);

impl XorShift {
	fn new(seed: u64) -> Self {
		// The state must not be 0.
		Self(seed ^ 0x9E37_79B9_7F4A_7C15)
	}

	fn next(&mut self) -> u64 {
		let mut x = self.0;
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		self.0 = x;
		x.wrapping_mul(0x2545_F491_4F6C_DD1D)
	}

	/// Uniform-ish in `0..bound` (`bound > 0`).
	fn below(&mut self, bound: u64) -> u64 {
		self.next() % bound
	}
}

/// The mean difficulty of the stored window.
fn window_mean() -> U256 {
	let window = PastDifficultiesAndTimestamps::<Test>::get();
	let sum = window.iter().fold(U512::zero(), |acc, (d, _)| acc + U512::from(*d));
	U256::try_from(sum / U512::from(window.len())).unwrap()
}

/// Checks that the difficulty just computed is within one clamp factor of the window's mean
/// (and above the floor), the bound one retarget must respect.
fn assert_within_clamp_of_window_mean() {
	let window = PastDifficultiesAndTimestamps::<Test>::get();
	let next = DifficultyPallet::difficulty();
	let floor = DifficultyPallet::min_difficulty();
	assert!(next >= floor, "{next} below the floor {floor}");
	assert!(!next.is_zero());
	if window.len() < 2 {
		return;
	}
	let cf = U256::from(ClampFactor::get().max(1));
	let mean = window_mean();
	assert!(next <= mean.saturating_mul(cf), "{next} more than {cf} x mean {mean}");
	assert!(next >= (mean / cf).max(floor), "{next} less than mean {mean} / {cf}");
}

// ---------------------------------------------------------------------------------------------
// Pure math
// ---------------------------------------------------------------------------------------------

#[test]
fn damp_and_clamp_follow_kulupu_formulas() {
	// damp(actual, goal, f) = (actual + (f - 1) * goal) / f
	assert_eq!(damp(u(30), u(120), 3), u(90));
	assert_eq!(damp(u(120), u(120), 3), u(120));
	assert_eq!(damp(u(1_000), u(100), 1), u(1_000));
	// A factor of 0 is treated as 1: no damping, no division by zero.
	assert_eq!(damp(u(1_000), u(100), 0), u(1_000));
	// Saturates instead of overflowing.
	assert_eq!(damp(U256::MAX, U256::MAX, 3), U256::MAX / 3);

	// clamp(actual, goal, f) = max(goal / f, min(actual, goal * f))
	assert_eq!(clamp(u(90), u(120), 2), u(90));
	assert_eq!(clamp(u(10), u(120), 2), u(60));
	assert_eq!(clamp(u(1_000), u(120), 2), u(240));
	// A factor of 1 (or 0) pins the result to the goal.
	assert_eq!(clamp(u(10), u(120), 1), u(120));
	assert_eq!(clamp(u(1_000), u(120), 0), u(120));
	assert_eq!(clamp(U256::MAX, U256::MAX, 2), U256::MAX);
}

#[test]
fn next_difficulty_needs_two_entries_and_a_target() {
	let d = u(1_000);
	assert_eq!(next_difficulty(&[], 60_000, 3, 2, U256::one()), None);
	assert_eq!(next_difficulty(&[(d, 5)], 60_000, 3, 2, U256::one()), None);
	assert_eq!(next_difficulty(&[(d, 5), (d, 10)], 0, 3, 2, U256::one()), None);
	assert_eq!(next_difficulty(&[(d, 0), (d, 60_000)], 60_000, 3, 2, U256::one()), Some(d));
}

#[test]
fn next_difficulty_on_target_is_exact_for_every_window_length() {
	let target = 7_919; // prime, so nothing divides evenly by accident
	for len in 2..=64u64 {
		for d in [1u128, 3, 1_000_003, u128::MAX] {
			let window: Vec<_> = (0..len).map(|i| (u(d), 1_000 + i * target)).collect();
			assert_eq!(next_difficulty(&window, target, 3, 2, U256::one()), Some(u(d)));
		}
		let window: Vec<_> = (0..len).map(|i| (U256::MAX, i * target)).collect();
		assert_eq!(next_difficulty(&window, target, 3, 2, U256::one()), Some(U256::MAX));
	}
}

#[test]
fn next_difficulty_never_returns_zero_or_below_the_floor() {
	// Extremely slow blocks at difficulty 1 with a floor of 0 (treated as 1).
	let window = [(U256::one(), 0u64), (U256::one(), u64::MAX)];
	assert_eq!(next_difficulty(&window, 1, 1, 1_000, U256::zero()), Some(U256::one()));
	let window = [(U256::zero(), 0u64), (U256::zero(), 1)];
	assert_eq!(next_difficulty(&window, 1, 3, 2, U256::zero()), Some(U256::one()));
	assert_eq!(next_difficulty(&window, 1, 3, 2, u(77)), Some(u(77)));
}

#[test]
fn next_difficulty_saturates_at_u256_max() {
	// Huge difficulties, timestamps not moving, extreme factors: saturates, never overflows.
	let window: Vec<_> = (0..60).map(|_| (U256::MAX, 42u64)).collect();
	assert_eq!(next_difficulty(&window, u64::MAX, 1, u32::MAX, U256::one()), Some(U256::MAX));
	assert_eq!(next_difficulty(&window, 1, 3, 2, U256::MAX), Some(U256::MAX));
}

// ---------------------------------------------------------------------------------------------
// Genesis
// ---------------------------------------------------------------------------------------------

#[test]
fn genesis_config_lands_in_storage() {
	new_test_ext_with(123_456_789, 6_000).execute_with(|| {
		assert_eq!(CurrentDifficulty::<Test>::get(), u(123_456_789));
		assert_eq!(DifficultyPallet::difficulty(), u(123_456_789));
		assert_eq!(TargetBlockTime::<Test>::get(), 6_000);
		assert_eq!(DifficultyPallet::target_block_time(), 6_000);
		assert!(PastDifficultiesAndTimestamps::<Test>::get().is_empty());
		assert_ok!(DifficultyPallet::do_try_state());
	});
	new_test_ext_with(u128::MAX, 1).execute_with(|| {
		assert_eq!(DifficultyPallet::difficulty(), u(u128::MAX));
	});
}

#[test]
fn genesis_raises_initial_difficulty_to_the_floor() {
	new_test_ext_with(5, TARGET).execute_with(|| {
		assert_eq!(CurrentDifficulty::<Test>::get(), u(DEFAULT_MIN_DIFFICULTY));
	});
	// With no floor configured the difficulty is still at least 1.
	MinDifficulty::set(0);
	new_test_ext_with(0, TARGET).execute_with(|| {
		assert_eq!(CurrentDifficulty::<Test>::get(), U256::one());
		assert_eq!(DifficultyPallet::difficulty(), U256::one());
	});
}

#[test]
#[should_panic(expected = "`target_block_time` must be greater than 0 ms")]
fn genesis_rejects_a_zero_target_block_time() {
	let _ = new_test_ext_with(INITIAL_DIFFICULTY, 0);
}

#[test]
fn default_genesis_config_builds() {
	sp_io::TestExternalities::default().execute_with(|| {
		crate::GenesisConfig::<Test>::default().build();
		assert_eq!(TargetBlockTime::<Test>::get(), crate::DEFAULT_TARGET_BLOCK_TIME_MS);
		assert_eq!(DifficultyPallet::difficulty(), u(DEFAULT_MIN_DIFFICULTY));
		assert_ok!(DifficultyPallet::do_try_state());
	});
}

// ---------------------------------------------------------------------------------------------
// Retargeting
// ---------------------------------------------------------------------------------------------

#[test]
fn first_block_keeps_the_difficulty() {
	new_test_ext().execute_with(|| {
		assert_eq!(run_block(1_000), u(INITIAL_DIFFICULTY));
		assert_eq!(
			PastDifficultiesAndTimestamps::<Test>::get().into_inner(),
			vec![(u(INITIAL_DIFFICULTY), 1_000)]
		);
	});
}

#[test]
fn blocks_on_target_keep_the_difficulty_stable() {
	new_test_ext().execute_with(|| {
		let mut now = 1_700_000_000_000;
		for _ in 0..300 {
			now += TARGET;
			assert_eq!(run_block(now), u(INITIAL_DIFFICULTY));
		}
		assert_eq!(PastDifficultiesAndTimestamps::<Test>::get().len(), 60);
	});
}

#[test]
fn fast_blocks_raise_the_difficulty_within_the_clamp() {
	new_test_ext().execute_with(|| {
		let mut now = 1_000;
		run_block(now);
		// Second block after a quarter of the target: timespan 15 s, goal 60 s,
		// damped (15 + 2 * 60) / 3 = 45 s, so the difficulty grows by 60 / 45.
		now += TARGET / 4;
		assert_eq!(run_block(now), u(INITIAL_DIFFICULTY * 4 / 3));

		let mut previous = DifficultyPallet::difficulty();
		for _ in 0..200 {
			now += TARGET / 4;
			let next = run_block(now);
			assert!(next > previous, "fast blocks must raise the difficulty");
			assert_within_clamp_of_window_mean();
			previous = next;
		}
		// Over a full window of blocks 4x too fast the difficulty has grown a lot, but the per
		// retarget bound holds: at most ClampFactor (and, with damping 3, at most 1.5) times the
		// window's mean.
		assert!(previous > u(INITIAL_DIFFICULTY * 3));
		let mean = window_mean();
		assert!(previous <= mean * 3 / 2);
	});
}

#[test]
fn the_clamp_bounds_a_single_retarget() {
	// Without damping the clamp is what limits the change: a block 60 000 times too fast
	// doubles the difficulty, one 1000 times too slow halves it.
	DampFactor::set(1);
	new_test_ext().execute_with(|| {
		run_block(10_000);
		assert_eq!(run_block(10_001), u(INITIAL_DIFFICULTY * 2));
	});
	new_test_ext().execute_with(|| {
		run_block(10_000);
		assert_eq!(run_block(10_000 + 1_000 * TARGET), u(INITIAL_DIFFICULTY / 2));
	});
	// The clamp holds even when goal / ClampFactor rounds down: goal 3 ms, 3 / 2 = 1 ms, yet
	// the difficulty at most doubles (not triples).
	new_test_ext_with(INITIAL_DIFFICULTY, 3).execute_with(|| {
		run_block(10_000);
		assert_eq!(run_block(10_000), u(INITIAL_DIFFICULTY * 2));
	});
}

#[test]
fn slow_blocks_lower_the_difficulty_to_the_floor_but_never_zero() {
	new_test_ext().execute_with(|| {
		let mut now = 1_000;
		run_block(now);
		// 4x too slow: damped timespan (240 + 120) / 3 = 120 s hits the clamp (2 x goal).
		now += 4 * TARGET;
		assert_eq!(run_block(now), u(INITIAL_DIFFICULTY / 2));

		let mut previous = DifficultyPallet::difficulty();
		for _ in 0..1_000 {
			now += 10 * TARGET;
			let next = run_block(now);
			assert!(next <= previous, "slow blocks must not raise the difficulty");
			assert!(next >= u(DEFAULT_MIN_DIFFICULTY));
			assert_within_clamp_of_window_mean();
			previous = next;
		}
		assert_eq!(previous, u(DEFAULT_MIN_DIFFICULTY));
	});
}

/// Regression (found by the runtime fuzzer): a floor raised between retargets (governance sets
/// `MinDifficulty`) leaves the stored difficulty below it until the next retarget. The served
/// difficulty is the floor at once, and the invariants hold throughout.
#[test]
fn a_floor_raised_between_retargets_is_served_at_once() {
	new_test_ext().execute_with(|| {
		let stored = run_block(TARGET);
		let floor = stored.low_u128() * 10;
		MinDifficulty::set(floor);
		assert!(CurrentDifficulty::<Test>::get() < u(floor));
		assert_eq!(DifficultyPallet::difficulty(), u(floor));
		assert_ok!(DifficultyPallet::do_try_state());
		assert!(run_block(2 * TARGET) >= u(floor));
		assert!(CurrentDifficulty::<Test>::get() >= u(floor));
	});
}

#[test]
fn without_a_floor_the_difficulty_bottoms_out_at_one() {
	MinDifficulty::set(0);
	new_test_ext_with(64, 1).execute_with(|| {
		let mut now = 0;
		for _ in 0..1_000 {
			now += 1_000_000;
			let next = run_block(now);
			assert!(!next.is_zero());
			assert_within_clamp_of_window_mean();
		}
		assert_eq!(DifficultyPallet::difficulty(), U256::one());
		assert_eq!(CurrentDifficulty::<Test>::get(), U256::one());
	});
}

#[test]
fn equal_timestamps_saturate_at_u256_max_without_overflow() {
	new_test_ext().execute_with(|| {
		CurrentDifficulty::<Test>::put(U256::MAX / 1_000);
		let mut reached_max_after = None;
		for block in 0..5_000 {
			// The timestamp never moves.
			let next = run_block(1_000);
			assert_within_clamp_of_window_mean();
			if next == U256::MAX {
				reached_max_after = Some(block);
				break;
			}
		}
		assert!(reached_max_after.is_some(), "difficulty must grow to U256::MAX");
		for _ in 0..100 {
			assert_eq!(run_block(1_000), U256::MAX);
		}
	});
}

#[test]
fn huge_difficulties_near_u256_max_do_not_overflow() {
	new_test_ext().execute_with(|| {
		CurrentDifficulty::<Test>::put(U256::MAX);
		let mut now = 1_000;
		// On target: stays exactly at the maximum (the sum of 60 maxima does not wrap).
		for _ in 0..100 {
			now += TARGET;
			assert_eq!(run_block(now), U256::MAX);
		}
		// Fast blocks cannot go higher.
		for _ in 0..10 {
			now += 1;
			assert_eq!(run_block(now), U256::MAX);
		}
		// Slow blocks bring it down, at most by the clamp factor per retarget.
		let mut previous = U256::MAX;
		for _ in 0..100 {
			now += 100 * TARGET;
			let next = run_block(now);
			assert!(next < previous);
			assert_within_clamp_of_window_mean();
			previous = next;
		}
	});
}

#[test]
fn non_increasing_timestamps_never_panic() {
	new_test_ext().execute_with(|| {
		let mut now = 10 * TARGET;
		for i in 0..500u64 {
			// Mostly backwards, sometimes equal, sometimes forward.
			now = match i % 5 {
				0 | 1 => now.saturating_sub(TARGET),
				2 => now,
				3 => now + 3 * TARGET,
				_ => 0,
			};
			run_block(now);
			assert_within_clamp_of_window_mean();
		}
	});
}

#[test]
fn alternating_block_times_stay_near_the_starting_difficulty() {
	new_test_ext().execute_with(|| {
		let mut now = 1_000;
		for i in 0..1_000u64 {
			// 6 s, 114 s, 6 s, ...: 60 s on average.
			now += if i % 2 == 0 { TARGET / 10 } else { TARGET * 19 / 10 };
			run_block(now);
			assert_within_clamp_of_window_mean();
		}
		let d = DifficultyPallet::difficulty();
		assert!(d > u(INITIAL_DIFFICULTY * 2 / 3) && d < u(INITIAL_DIFFICULTY * 3 / 2), "{d}");
	});
}

#[test]
fn random_block_times_stay_in_bounds() {
	for seed in 0..8u64 {
		new_test_ext().execute_with(|| {
			let mut rng = XorShift::new(seed);
			let mut now: u64 = 1_600_000_000_000;
			for _ in 0..1_500 {
				now = match rng.below(16) {
					// Timestamp goes backwards.
					0 => now.saturating_sub(rng.below(5 * TARGET)),
					// Timestamp does not move.
					1 => now,
					// Wildly slow block.
					2 => now.saturating_add(rng.below(u64::MAX / 1_000)),
					// Anything from 0 to 4x the target.
					_ => now.saturating_add(rng.below(4 * TARGET)),
				};
				if rng.below(100) == 0 {
					let target = 1 + rng.below(10 * TARGET);
					assert_ok!(DifficultyPallet::set_target_block_time(
						RuntimeOrigin::root(),
						target
					));
				}
				run_block(now);
				assert_within_clamp_of_window_mean();
				assert!(PastDifficultiesAndTimestamps::<Test>::get().len() <= 60);
			}
		});
	}
}

#[test]
fn difficulty_converges_to_the_miners_hashrate() {
	// A miner doing `HASHRATE` hashes per ms needs difficulty / HASHRATE ms per block, so the
	// equilibrium difficulty is HASHRATE * TARGET.
	const HASHRATE: u128 = 50;
	let equilibrium = HASHRATE * TARGET as u128;
	for start in [equilibrium / 3, equilibrium * 5] {
		new_test_ext_with(start, TARGET).execute_with(|| {
			let mut now = 1_000;
			let mut times = Vec::new();
			for _ in 0..2_000 {
				let d = DifficultyPallet::difficulty().as_u128();
				let block_time = (d / HASHRATE) as u64;
				now += block_time;
				times.push(block_time);
				run_block(now);
			}
			let d = DifficultyPallet::difficulty().as_u128();
			assert!(d.abs_diff(equilibrium) * 100 < equilibrium, "{d} vs {equilibrium}");
			let last: u64 = times[times.len() - 500..].iter().sum::<u64>() / 500;
			assert!(last.abs_diff(TARGET) * 100 < TARGET, "average block time {last}");
		});
	}
}

#[test]
fn the_window_is_bounded_and_drops_the_oldest_entry() {
	new_test_ext().execute_with(|| {
		for i in 1..=200u64 {
			run_block(i * TARGET);
			let window = PastDifficultiesAndTimestamps::<Test>::get();
			assert_eq!(window.len() as u64, i.min(60));
			assert_eq!(window.last().map(|e| e.1), Some(i * TARGET));
		}
		let timestamps: Vec<u64> =
			PastDifficultiesAndTimestamps::<Test>::get().iter().map(|e| e.1).collect();
		assert_eq!(timestamps, (141..=200).map(|i| i * TARGET).collect::<Vec<_>>());
		// The window's encoding is bounded: 60 * (32 + 8) bytes plus a one-byte length.
		assert_eq!(Window::<Test>::max_encoded_len(), 60 * 40 + 1);
	});
}

#[test]
fn a_window_shorter_than_two_keeps_the_difficulty() {
	for size in [0, 1] {
		WindowSize::set(size);
		new_test_ext().execute_with(|| {
			for i in 1..=20u64 {
				assert_eq!(run_block(i), u(INITIAL_DIFFICULTY));
				assert_eq!(PastDifficultiesAndTimestamps::<Test>::get().len(), size as usize);
			}
		});
	}
}

#[test]
fn a_smaller_window_retargets_over_fewer_blocks() {
	WindowSize::set(2);
	new_test_ext().execute_with(|| {
		run_block(0);
		// Each retarget only sees the last interval.
		assert_eq!(run_block(TARGET / 4), u(INITIAL_DIFFICULTY * 4 / 3));
		assert_eq!(PastDifficultiesAndTimestamps::<Test>::get().len(), 2);
		// Back on target: the window is now [(D, T/4), (4D/3, 5T/4)], so the next difficulty
		// is the mean of those two.
		assert_eq!(
			run_block(TARGET / 4 + TARGET),
			(u(INITIAL_DIFFICULTY) + u(INITIAL_DIFFICULTY * 4 / 3)) / 2
		);
	});
}

#[test]
fn zero_factors_do_not_panic() {
	DampFactor::set(0);
	ClampFactor::set(0);
	new_test_ext().execute_with(|| {
		let mut now = 0;
		for i in 0..100u64 {
			now += if i % 3 == 0 { 1 } else { 5 * TARGET };
			// A clamp factor of 0 (treated as 1) pins the timespan to the goal: no change.
			assert_eq!(run_block(now), u(INITIAL_DIFFICULTY));
		}
	});
}

#[test]
fn zero_target_in_storage_keeps_the_difficulty() {
	// As if the pallet were added to a live chain without its genesis being built.
	new_test_ext().execute_with(|| {
		TargetBlockTime::<Test>::kill();
		CurrentDifficulty::<Test>::kill();
		assert_eq!(DifficultyPallet::difficulty(), u(DEFAULT_MIN_DIFFICULTY));
		for i in 1..=10u64 {
			assert_eq!(run_block_unchecked(i * 7), u(DEFAULT_MIN_DIFFICULTY));
		}
		assert_eq!(PastDifficultiesAndTimestamps::<Test>::get().len(), 10);
		// Once a target is set, retargeting resumes.
		assert_ok!(DifficultyPallet::set_target_block_time(RuntimeOrigin::root(), 7));
		assert_eq!(run_block_unchecked(11 * 7), u(DEFAULT_MIN_DIFFICULTY));
		assert!(run_block_unchecked(11 * 7 + 1) > u(DEFAULT_MIN_DIFFICULTY));
	});
}

/// Like [`run_block`] without the invariant check (for states that break it on purpose).
fn run_block_unchecked(now: u64) -> U256 {
	System::set_block_number(System::block_number() + 1);
	pallet_timestamp::Pallet::<Test>::set_timestamp(now);
	DifficultyPallet::difficulty()
}

#[test]
fn a_new_target_moves_the_difficulty() {
	new_test_ext().execute_with(|| {
		let mut now = 0;
		for _ in 0..60 {
			now += TARGET;
			run_block(now);
		}
		assert_eq!(DifficultyPallet::difficulty(), u(INITIAL_DIFFICULTY));
		// Halve the target; blocks keep coming every 60 s, now too slow: difficulty falls.
		assert_ok!(DifficultyPallet::set_target_block_time(RuntimeOrigin::root(), TARGET / 2));
		now += TARGET;
		assert!(run_block(now) < u(INITIAL_DIFFICULTY));
		// And the other way round.
		assert_ok!(DifficultyPallet::set_target_block_time(RuntimeOrigin::root(), TARGET * 2));
		let before = DifficultyPallet::difficulty();
		now += TARGET;
		assert!(run_block(now) > before);
	});
}

// ---------------------------------------------------------------------------------------------
// set_target_block_time
// ---------------------------------------------------------------------------------------------

#[test]
fn set_target_block_time_works_for_root_and_emits_an_event() {
	new_test_ext().execute_with(|| {
		assert_ok!(DifficultyPallet::set_target_block_time(RuntimeOrigin::root(), 12_345));
		assert_eq!(TargetBlockTime::<Test>::get(), 12_345);
		System::assert_last_event(Event::TargetBlockTimeSet { target_ms: 12_345 }.into());
		// Through the dispatchable call as well.
		use frame_support::traits::UnfilteredDispatchable;
		let call = crate::Call::<Test>::set_target_block_time { target_ms: 1 };
		assert_ok!(call.dispatch_bypass_filter(RuntimeOrigin::root()));
		assert_eq!(TargetBlockTime::<Test>::get(), 1);
		System::assert_last_event(Event::TargetBlockTimeSet { target_ms: 1 }.into());
	});
}

#[test]
fn set_target_block_time_rejects_other_origins() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			DifficultyPallet::set_target_block_time(RuntimeOrigin::signed(1), 12_345),
			DispatchError::BadOrigin
		);
		assert_noop!(
			DifficultyPallet::set_target_block_time(RuntimeOrigin::none(), 12_345),
			DispatchError::BadOrigin
		);
		assert_eq!(TargetBlockTime::<Test>::get(), TARGET);
		assert!(System::events().is_empty());
	});
}

#[test]
fn set_target_block_time_rejects_zero() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			DifficultyPallet::set_target_block_time(RuntimeOrigin::root(), 0),
			Error::<Test>::ZeroTargetBlockTime
		);
		assert_eq!(TargetBlockTime::<Test>::get(), TARGET);
		assert!(System::events().is_empty());
	});
}

#[test]
fn set_target_block_time_weight_comes_from_weight_info() {
	use crate::WeightInfo;
	use frame_support::dispatch::GetDispatchInfo;
	let call = crate::Call::<Test>::set_target_block_time { target_ms: 1 };
	assert_eq!(call.get_dispatch_info().call_weight, <() as WeightInfo>::set_target_block_time());
}

// ---------------------------------------------------------------------------------------------
// Hooks and configuration
// ---------------------------------------------------------------------------------------------

#[test]
fn on_initialize_accounts_for_the_retarget() {
	use crate::WeightInfo;
	new_test_ext().execute_with(|| {
		let weight = <DifficultyPallet as Hooks<u64>>::on_initialize(2);
		assert_eq!(weight, <() as WeightInfo>::on_timestamp_set());
		let db: RuntimeDbWeight = <Test as frame_system::Config>::DbWeight::get();
		assert!(weight.all_gte(db.reads_writes(3, 2)));
		assert!(weight.all_gt(Weight::zero()));
	});
}

#[test]
fn integrity_test_passes_for_kulupu_parameters() {
	new_test_ext().execute_with(|| {
		<DifficultyPallet as Hooks<u64>>::integrity_test();
	});
}

#[test]
#[should_panic(expected = "`WindowSize` must be at least 2")]
fn integrity_test_rejects_a_window_of_one() {
	WindowSize::set(1);
	<DifficultyPallet as Hooks<u64>>::integrity_test();
}

#[test]
fn constants_are_in_metadata() {
	let names: Vec<_> = DifficultyPallet::pallet_constants_metadata()
		.into_iter()
		.map(|c| c.name)
		.collect();
	for name in ["WindowSize", "DampFactor", "ClampFactor"] {
		assert!(names.contains(&name), "{name} missing from {names:?}");
	}
	// A runtime may govern the floor: a metadata constant must not change at run time.
	assert!(!names.contains(&"MinDifficulty"), "{names:?}");
}
