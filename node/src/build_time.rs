//! How long the proposer may spend building a block template.
//!
//! While a template is being built on a new best block, the miners still hash the previous one,
//! whose parent is no longer the best: that work is lost. So the budget is a fraction of the
//! chain's target block time ([`SHARE_OF_TARGET`]), read from the runtime's
//! `Difficulty::TargetBlockTime` at start, within [`MIN`] and [`MAX`].
//!
//! Why a third: a full block of transfers (its 750 ms of normal-class weight) executes in about
//! 300 ms on the reference machine (2 cores), and building it takes longer than importing it:
//! each transaction is taken from the pool and applied in its own runtime call, while the same
//! node validates the transactions still arriving. The proposer stops at 90 % of the budget
//! and first waits up to an eighth of it for the pool, so a 2 s chain needs about 650 ms to fill a
//! block under a flood; a quarter (500 ms) cut most blocks short (`HitDeadline`). A block usually
//! ends sooner, at its weight limit; the budget bounds the loss on a loaded machine.
//! `--block-build-ms` sets it by hand.

use codec::Decode;
use gpow_runtime::genesis_config_presets::DEV_TARGET_BLOCK_TIME_MS;
use sc_client_api::{backend::Backend, StorageProvider};
use sp_blockchain::HeaderBackend;
use sp_core::storage::StorageKey;
use sp_runtime::traits::Block as BlockT;
use std::time::Duration;

/// The share of the target block time a template may take to build: a third.
pub const SHARE_OF_TARGET: u32 = 3;
/// The shortest budget: below it a loaded machine cannot fill a block.
pub const MIN: Duration = Duration::from_millis(250);
/// The longest budget: a full block is built well within it.
pub const MAX: Duration = Duration::from_millis(2_500);

/// The budget for a chain whose target block time is `target_ms`, in whole milliseconds.
pub fn for_target(target_ms: u64) -> Duration {
	Duration::from_millis(target_ms / u64::from(SHARE_OF_TARGET)).clamp(MIN, MAX)
}

/// The storage key of `Difficulty::TargetBlockTime` (a `u64` of milliseconds).
fn target_block_time_key() -> StorageKey {
	let mut key = sp_io::hashing::twox_128(b"Difficulty").to_vec();
	key.extend(sp_io::hashing::twox_128(b"TargetBlockTime"));
	StorageKey(key)
}

/// The target block time at the best block, in ms, if the runtime holds one.
pub fn target_block_time_ms<B, C, BE>(client: &C) -> Option<u64>
where
	B: BlockT,
	BE: Backend<B>,
	C: StorageProvider<B, BE> + HeaderBackend<B>,
{
	let best = client.info().best_hash;
	let data = client.storage(best, &target_block_time_key()).ok()??;
	u64::decode(&mut &data.0[..]).ok().filter(|ms| *ms > 0)
}

/// The budget: `explicit` if given, else from the chain's target block time (the development
/// chain's 2 s when the runtime holds none).
pub fn choose<B, C, BE>(explicit: Option<Duration>, client: &C) -> Duration
where
	B: BlockT,
	BE: Backend<B>,
	C: StorageProvider<B, BE> + HeaderBackend<B>,
{
	explicit.unwrap_or_else(|| {
		for_target(target_block_time_ms(client).unwrap_or(DEV_TARGET_BLOCK_TIME_MS))
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_budget_is_a_third_of_the_target_within_bounds() {
		assert_eq!(for_target(2_000), Duration::from_millis(666));
		assert_eq!(for_target(6_000), Duration::from_millis(2_000));
		assert_eq!(for_target(400), MIN);
		assert_eq!(for_target(10_000), MAX);
		assert_eq!(for_target(60_000), MAX);
	}

	#[test]
	fn the_key_finds_the_target_in_the_development_genesis() {
		use gpow_runtime::genesis_config_presets::preset_config;
		use sp_runtime::BuildStorage;
		let preset = sp_genesis_builder::PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET);
		let storage = preset_config(&preset).expect("the dev preset").build_storage().unwrap();
		let value = storage.top.get(&target_block_time_key().0).expect("the key is in the genesis");
		assert_eq!(u64::decode(&mut &value[..]).unwrap(), DEV_TARGET_BLOCK_TIME_MS);
	}
}
