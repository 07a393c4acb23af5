//! # Rewards pallet
//!
//! Pays the miner of each block: a fixed block reward, minted, plus the transaction fees of the
//! block.
//!
//! ## Overview
//!
//! GPoW blocks are mined by proof of work. The node that mines a block puts the miner's account
//! (SCALE-encoded `AccountId`) into the block's pre-runtime digest under the PoW engine id
//! ([`gpow_primitives_pow::POW_ENGINE_ID`]). At the start of each block this pallet reads that
//! digest and remembers the author for the block; at the end of the block it mints
//! [`Config::BlockReward`] into the author's account and emits [`Event::Rewarded`].
//! [`FeesToAuthor`] is the transaction-payment fee handler that credits the same author with the
//! fees and tips of the block's transactions.
//!
//! ## Terms
//!
//! - **Author digest**: a `PreRuntime(*b"pow_", data)` digest item where `data` decodes to exactly
//!   one account id.
//! - **Block without a valid author**: no author digest, a digest that does not decode exactly,
//!   or more than one author digest. Such a block mints no reward and burns its fees; it is not an
//!   error and nothing panics.
//!
//! ## Example
//!
//! In the runtime:
//!
//! ```ignore
//! impl pallet_rewards::Config for Runtime {
//!     type Currency = Balances;
//!     type BlockReward = ConstU128<{ 10 * UNIT }>;
//!     type WeightInfo = pallet_rewards::weights::SubstrateWeight<Runtime>;
//! }
//! impl pallet_transaction_payment::Config for Runtime {
//!     type OnChargeTransaction = FungibleAdapter<Balances, pallet_rewards::FeesToAuthor<Runtime>>;
//!     // ...
//! }
//! ```

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod fees;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use fees::FeesToAuthor;

use codec::DecodeAll;
use frame_support::traits::{fungible, FindAuthor};
use gpow_primitives_pow::POW_ENGINE_ID;

/// The balance type of the rewarded currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the rewards pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency the reward is minted in and fees are paid in.
		type Currency: fungible::Mutate<Self::AccountId> + fungible::Balanced<Self::AccountId>;

		/// The amount minted to the author of each block.
		///
		/// Not a metadata constant: a runtime may govern it (read it through the runtime's API).
		type BlockReward: Get<BalanceOf<Self>>;

		/// Weights of this pallet's hooks.
		type WeightInfo: WeightInfo;
	}

	/// The author of the block being executed, read from its pre-runtime digest.
	///
	/// Set in `on_initialize`, removed in `on_finalize`: it never outlives its block.
	#[pallet::storage]
	pub type Author<T: Config> = StorageValue<_, T::AccountId, OptionQuery>;

	/// Events of the rewards pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The block's author was credited with the block reward.
		Rewarded {
			/// The miner named in the block's digest.
			author: T::AccountId,
			/// The amount minted.
			amount: BalanceOf<T>,
		},
		/// The block reward could not be minted (for example, the reward is below the
		/// existential deposit of a new account). Fees are still paid.
		RewardFailed {
			/// The miner named in the block's digest.
			author: T::AccountId,
		},
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			match Self::digest_author() {
				Some(author) => {
					Author::<T>::put(author);
					T::WeightInfo::on_initialize_with_author()
				},
				None => {
					log::debug!(target: LOG_TARGET, "block has no valid author digest: no reward");
					T::WeightInfo::on_initialize_without_author()
				},
			}
		}

		fn on_finalize(_n: BlockNumberFor<T>) {
			let Some(author) = Author::<T>::take() else { return };
			let amount = T::BlockReward::get();
			match <T::Currency as fungible::Mutate<_>>::mint_into(&author, amount) {
				Ok(_) => Self::deposit_event(Event::Rewarded { author, amount }),
				Err(e) => {
					log::warn!(target: LOG_TARGET, "block reward not minted: {e:?}");
					Self::deposit_event(Event::RewardFailed { author });
				},
			}
		}

		fn integrity_test() {
			// A reward below the existential deposit could never open the account of a new miner.
			assert!(
				T::BlockReward::get() >= <T::Currency as fungible::Inspect<_>>::minimum_balance(),
				"BlockReward must be at least the existential deposit"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	impl<T: Config> Pallet<T> {
		/// Checks the pallet's invariant between blocks: no recorded author outlives its block
		/// (`on_finalize` takes it, so no miner is paid twice or in a later block).
		///
		/// Called by the `try_state` hook (feature `try-runtime`), the tests and the runtime's
		/// fuzzer.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			frame_support::ensure!(!Author::<T>::exists(), "the block's author outlived its block");
			Ok(())
		}

		/// The author named by the PoW pre-runtime digest of the current block, if exactly one
		/// such digest exists and it decodes to exactly one account id.
		pub fn digest_author() -> Option<T::AccountId> {
			let digest = frame_system::Pallet::<T>::digest();
			let pre_runtimes = digest.logs.iter().filter_map(|item| item.as_pre_runtime());
			Self::find_author(pre_runtimes)
		}

		/// The author of the current block, as recorded in `on_initialize`.
		pub fn author() -> Option<T::AccountId> {
			Author::<T>::get()
		}
	}
}

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::rewards";

impl<T: Config> FindAuthor<T::AccountId> for Pallet<T> {
	fn find_author<'a, I>(digests: I) -> Option<T::AccountId>
	where
		I: 'a + IntoIterator<Item = (frame_support::ConsensusEngineId, &'a [u8])>,
	{
		let mut found = None;
		for (id, data) in digests {
			if id != POW_ENGINE_ID {
				continue;
			}
			if found.is_some() {
				// Two author digests: ambiguous, nobody is rewarded.
				return None;
			}
			found = Some(T::AccountId::decode_all(&mut &data[..]).ok()?);
		}
		found
	}
}
