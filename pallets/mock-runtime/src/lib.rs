//! # GPoW mock runtime
//!
//! [`mock_runtime!`] declares the test runtime the pallets' `mock.rs` files share: `System`
//! (index 0) and `Balances` (index 1) with `u64` account ids and balances, the hold reasons,
//! events and calls of every pallet derived, and the pallets a test adds after them. The caller
//! configures its own pallets; `frame_support`, `frame_system`, `pallet_balances` and
//! `sp_runtime` must be (dev-)dependencies of the calling crate.

#![no_std]

/// Declares `$runtime` with System, Balances (existential deposit `$ed`) and the listed pallets
/// at the given indices, and configures System and Balances for tests.
///
/// ```ignore
/// use crate as pallet_services;
/// gpow_mock_runtime::mock_runtime!(
///     Test, existential_deposit: ED;
///     2 => Reputation: pallet_reputation,
///     3 => Services: pallet_services,
/// );
/// ```
#[macro_export]
macro_rules! mock_runtime {
	(
		$runtime:ident, existential_deposit: $ed:expr;
		$( $index:tt => $name:ident : $pallet:ident ),+ $(,)?
	) => {
		#[frame_support::runtime]
		mod runtime {
			#[runtime::runtime]
			#[runtime::derive(
				RuntimeCall,
				RuntimeEvent,
				RuntimeError,
				RuntimeOrigin,
				RuntimeFreezeReason,
				RuntimeHoldReason,
				RuntimeSlashReason,
				RuntimeLockId,
				RuntimeTask,
				RuntimeViewFunction
			)]
			pub struct $runtime;

			#[runtime::pallet_index(0)]
			pub type System = frame_system;
			#[runtime::pallet_index(1)]
			pub type Balances = pallet_balances;
			$(
				#[runtime::pallet_index($index)]
				pub type $name = $pallet;
			)+
		}

		use frame_support::derive_impl;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
		impl frame_system::Config for $runtime {
			type Block = frame_system::mocking::MockBlock<$runtime>;
			type AccountData = pallet_balances::AccountData<u64>;
		}

		#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
		impl pallet_balances::Config for $runtime {
			type AccountStore = System;
			type RuntimeHoldReason = RuntimeHoldReason;
			type ExistentialDeposit = frame_support::traits::ConstU64<{ $ed }>;
		}
	};
}

/// A small seeded generator (xorshift64*) for the pallets' randomized tests: reproducible from
/// its seed, good enough to pick operations.
pub struct Rng(pub u64);

impl Rng {
	/// The next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
	}

	/// A number in `0..n` (0 when `n` is 0).
	pub fn below(&mut self, n: u64) -> u64 {
		if n == 0 {
			0
		} else {
			self.next_u64() % n
		}
	}

	/// `true` with a chance of `percent` in 100.
	pub fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}
}
