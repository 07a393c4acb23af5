//! Tests of the composed runtime: presets, metadata, rewards and fees through `Executive`.

use codec::Encode;
use frame_support::traits::fungible::Inspect;
use gpow_primitives_pow::POW_ENGINE_ID;
use gpow_runtime::{
	genesis_config_presets::*, AccountId, Balances, Difficulty, Executive, Runtime, RuntimeOrigin,
	System, Timestamp, BLOCK_REWARD,
};
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Header as _, BuildStorage, Digest, DigestItem};

/// Externalities built from a named preset, exactly as the node builds genesis.
fn ext_from_preset(name: &str) -> sp_io::TestExternalities {
	let config = preset_config(&PresetId::from(name)).expect("preset exists");
	config.build_storage().unwrap().into()
}

fn header(number: u32, digest: Vec<DigestItem>) -> gpow_runtime::Header {
	gpow_runtime::Header::new(
		number,
		Default::default(),
		Default::default(),
		Default::default(),
		Digest { logs: digest },
	)
}

#[test]
fn presets_are_listed_and_build() {
	let names = preset_names();
	assert_eq!(names.len(), 2);
	for name in ["development", "local_testnet"] {
		assert!(names.contains(&PresetId::from(name)));
		ext_from_preset(name).execute_with(|| {
			let alice = Sr25519Keyring::Alice.to_account_id();
			assert_eq!(Balances::balance(&alice), ENDOWMENT);
			assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice));
			assert!(Difficulty::difficulty() > 0.into());
		});
	}
	assert!(get_preset(&PresetId::from("nope")).is_none());
}

#[test]
fn dev_preset_has_fast_blocks() {
	ext_from_preset("development").execute_with(|| {
		assert_eq!(pallet_difficulty::TargetBlockTime::<Runtime>::get(), DEV_TARGET_BLOCK_TIME_MS);
		assert_eq!(Difficulty::difficulty(), DEV_INITIAL_DIFFICULTY.into());
	});
}

#[test]
fn metadata_v15_and_v16_are_served() {
	let versions = Runtime::metadata_versions();
	assert!(versions.contains(&15) && versions.contains(&16), "{versions:?}");
	assert!(Runtime::metadata_at_version(16).is_some());
}

#[test]
fn block_author_gets_the_reward_and_no_author_gets_none() {
	ext_from_preset("development").execute_with(|| {
		let miner: AccountId = Sr25519Keyring::Ferdie.to_account_id();
		let issuance = Balances::total_issuance();

		Executive::initialize_block(&header(
			1,
			vec![DigestItem::PreRuntime(POW_ENGINE_ID, miner.encode())],
		));
		// Every block carries the timestamp inherent, which also feeds the difficulty retarget.
		Timestamp::set(RuntimeOrigin::none(), 1_000).unwrap();
		Executive::finalize_block();
		assert_eq!(Balances::balance(&miner), BLOCK_REWARD);
		assert_eq!(Balances::total_issuance(), issuance + BLOCK_REWARD);

		// A block with a malformed author digest: no reward, no panic.
		Executive::initialize_block(&header(
			2,
			vec![DigestItem::PreRuntime(POW_ENGINE_ID, vec![1, 2, 3])],
		));
		Timestamp::set(RuntimeOrigin::none(), 2_000).unwrap();
		Executive::finalize_block();
		assert_eq!(Balances::balance(&miner), BLOCK_REWARD);
		assert_eq!(Balances::total_issuance(), issuance + BLOCK_REWARD);
		assert_eq!(System::block_number(), 2);
	});
}
