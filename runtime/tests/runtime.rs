//! Tests of the composed runtime: presets, metadata, rewards and fees through `Executive`.

use codec::{Decode, Encode};
use frame_support::traits::{fungible::Inspect, Get};
use gpow_primitives_pow::POW_ENGINE_ID;
use gpow_runtime::{
	genesis_config_presets::*, AccountId, Balances, Difficulty, Executive, Runtime, RuntimeOrigin,
	System, Timestamp, BLOCK_REWARD,
};
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Header as _, BuildStorage, Digest, DigestItem};

/// Externalities built from a named preset, exactly as the node builds genesis (the pallets'
/// genesis, then `GenesisBuilder::build_state`'s issuance count).
fn ext_from_preset(name: &str) -> sp_io::TestExternalities {
	let config = preset_config(&PresetId::from(name)).expect("preset exists");
	let mut ext: sp_io::TestExternalities = config.build_storage().unwrap().into();
	ext.execute_with(count_genesis_balances_in_issuance);
	ext
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
	assert_eq!(names.len(), 4);
	assert!(names.contains(&PresetId::from(LIVE_PRESET)));
	for name in ["development", "local_testnet", BENCH_PRESET] {
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

/// Sum of every account's free and reserved balance.
fn sum_of_balances() -> u128 {
	frame_system::Account::<Runtime>::iter_values()
		.map(|a| a.data.free + a.data.reserved)
		.sum()
}

#[test]
fn bench_preset_is_the_dev_chain_with_funded_senders() {
	use sp_core::{sr25519, Pair};
	let dev_accounts = ext_from_preset("development")
		.execute_with(|| frame_system::Account::<Runtime>::iter().collect::<Vec<_>>());
	ext_from_preset(BENCH_PRESET).execute_with(|| {
		// Every development account as on the dev chain, same difficulty and target.
		for (who, info) in &dev_accounts {
			assert_eq!(&frame_system::Account::<Runtime>::get(who), info);
		}
		assert_eq!(pallet_difficulty::TargetBlockTime::<Runtime>::get(), DEV_TARGET_BLOCK_TIME_MS);
		assert_eq!(Difficulty::difficulty(), DEV_INITIAL_DIFFICULTY.into());
		// The senders are the documented URIs from the development phrase.
		for i in [0, 1, BENCH_SENDERS / 2, BENCH_SENDERS - 1] {
			let uri = BENCH_SENDER_URI.replace("{}", &i.to_string());
			let who = AccountId::from(sr25519::Pair::from_string(&uri, None).unwrap().public());
			assert_eq!(Balances::balance(&who), BENCH_SENDER_BALANCE, "{uri}");
			assert_eq!(System::account_nonce(&who), 0);
			assert_eq!(frame_system::Pallet::<Runtime>::providers(&who), 1, "{uri}");
		}
		let past_the_end = BENCH_SENDER_URI.replace("{}", &BENCH_SENDERS.to_string());
		let who =
			AccountId::from(sr25519::Pair::from_string(&past_the_end, None).unwrap().public());
		assert_eq!(Balances::balance(&who), 0);
		assert_eq!(
			frame_system::Account::<Runtime>::iter().count(),
			dev_accounts.len() + BENCH_SENDERS as usize
		);
		assert_eq!(
			Balances::total_issuance(),
			dev_issuance() + BENCH_SENDERS as u128 * BENCH_SENDER_BALANCE
		);
	});
}

/// The total issuance of the development chain at genesis.
fn dev_issuance() -> u128 {
	ext_from_preset("development").execute_with(Balances::total_issuance)
}

#[test]
fn every_preset_issues_exactly_the_sum_of_its_balances() {
	for name in preset_names() {
		let name: &str = name.as_ref();
		// Before the issuance count: pallet-balances' own genesis already agrees except on bench.
		let config = preset_config(&PresetId::from(name)).unwrap();
		sp_io::TestExternalities::from(config.build_storage().unwrap()).execute_with(|| {
			assert_eq!(
				Balances::total_issuance() == sum_of_balances(),
				name != BENCH_PRESET,
				"{name}"
			);
		});
		ext_from_preset(name).execute_with(|| {
			assert_eq!(Balances::total_issuance(), sum_of_balances(), "{name}");
		});
	}
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

/// The tracks of a preset, by id.
fn tracks() -> Vec<(u16, pallet_governance::TrackInfo<u128, u32>)> {
	let mut tracks: Vec<_> = pallet_governance::Tracks::<Runtime>::iter().collect();
	tracks.sort_by_key(|(id, _)| *id);
	tracks
}

#[test]
fn live_preset_has_no_sudo_key_and_enacts_only_final_decisions() {
	use gpow_primitives_pow::confirmation_depth;
	use gpow_runtime::governance::{EMERGENCY_TRACK, PARAMETERS_TRACK, UPGRADE_TRACK};
	ext_from_preset(LIVE_PRESET).execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None, "the live chain has no sudo key");
		assert_eq!(pallet_reputation::NextPoolId::<Runtime>::get(), 1, "no bootstrap pool");
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(Balances::balance(&alice), LIVE_FOUNDER_ENDOWMENT);
		assert_eq!(
			pallet_reputation::Accounts::<Runtime>::get(&alice).map(|a| a.free),
			Some(FOUNDING_REP)
		);
		let tracks = tracks();
		assert_eq!(
			tracks.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
			vec![PARAMETERS_TRACK, UPGRADE_TRACK, EMERGENCY_TRACK]
		);
		let window = |id: u16| {
			let set = &tracks[id as usize].1.param_set;
			pallet_reputation::ParameterSets::<Runtime>::get(set)
				.expect("the track's set")
				.duration
		};
		for (id, track) in &tracks {
			assert!(
				track.enactment_delay >= confirmation_depth::LIVE,
				"track {id}: enacted before its decision is final"
			);
			assert!(window(*id) > 0);
		}
		// An emergency voted right after a change passes is enacted before the change.
		let emergency =
			window(EMERGENCY_TRACK) + tracks[EMERGENCY_TRACK as usize].1.enactment_delay;
		assert!(emergency < tracks[PARAMETERS_TRACK as usize].1.enactment_delay);
		assert!(emergency < tracks[UPGRADE_TRACK as usize].1.enactment_delay);
	});
}

#[test]
fn every_preset_gives_the_emergency_track_time_to_cancel() {
	use gpow_runtime::governance::{EMERGENCY_TRACK, PARAMETERS_TRACK};
	for name in ["development", "local_testnet", LIVE_PRESET] {
		ext_from_preset(name).execute_with(|| {
			let tracks = tracks();
			let emergency = &tracks[EMERGENCY_TRACK as usize].1;
			let window = pallet_reputation::ParameterSets::<Runtime>::get(&emergency.param_set)
				.expect("the emergency set")
				.duration;
			assert!(
				window + emergency.enactment_delay
					< tracks[PARAMETERS_TRACK as usize].1.enactment_delay,
				"{name}"
			);
		});
	}
}

#[test]
fn governed_parameters_are_clamped_to_their_ranges() {
	use gpow_runtime::governance::{dynamic_params, *};
	use pallet_parameters::Call as ParametersCall;
	ext_from_preset("development").execute_with(|| {
		let set = |p: RuntimeParameters| {
			gpow_runtime::RuntimeCall::Parameters(ParametersCall::set_parameter { key_value: p })
				.dispatch(RuntimeOrigin::root())
				.map(|_| ())
				.map_err(|e| e.error)
		};
		use sp_runtime::traits::Dispatchable;
		assert_eq!(BlockReward::get(), BLOCK_REWARD);
		assert_ok(set(RuntimeParameters::Rewards(
			dynamic_params::rewards::Parameters::BlockReward(
				dynamic_params::rewards::BlockReward,
				Some(0),
			),
		)));
		assert_eq!(BlockReward::get(), MinBlockReward::get());
		assert_ok(set(RuntimeParameters::Storage(
			dynamic_params::storage::Parameters::DepositBase(
				dynamic_params::storage::DepositBase,
				Some(0),
			),
		)));
		assert_eq!(DepositBase::get(), MinDepositBase::get());
		assert_ok(set(RuntimeParameters::Difficulty(
			dynamic_params::difficulty::Parameters::MinDifficulty(
				dynamic_params::difficulty::MinDifficulty,
				Some(u128::MAX),
			),
		)));
		assert_eq!(MinDifficulty::get(), MaxMinDifficulty::get());
		assert_ok(set(RuntimeParameters::PowAttest(
			dynamic_params::pow_attest::Parameters::EffortPerChallenge(
				dynamic_params::pow_attest::EffortPerChallenge,
				Some(0),
			),
		)));
		assert_eq!(EffortPerChallenge::get(), MinEffortPerChallenge::get());
	});
}

fn assert_ok(r: sp_runtime::DispatchResult) {
	assert_eq!(r, Ok(()));
}

#[test]
fn admin_origins_accept_their_track_only() {
	use gpow_runtime::governance::{EMERGENCY_TRACK, PARAMETERS_TRACK, UPGRADE_TRACK};
	use pallet_governance::Origin as Track;
	ext_from_preset(LIVE_PRESET).execute_with(|| {
		let track = |id| RuntimeOrigin::from(Track::Track(id));
		assert_ok(Difficulty::set_target_block_time(track(PARAMETERS_TRACK), 3_000));
		for other in [UPGRADE_TRACK, EMERGENCY_TRACK] {
			assert_eq!(
				Difficulty::set_target_block_time(track(other), 3_000),
				Err(sp_runtime::DispatchError::BadOrigin)
			);
		}
		assert_ok(gpow_runtime::Governance::authorize_upgrade(
			track(UPGRADE_TRACK),
			Default::default(),
		));
		assert_eq!(
			gpow_runtime::Governance::authorize_upgrade(
				track(PARAMETERS_TRACK),
				Default::default()
			),
			Err(sp_runtime::DispatchError::BadOrigin)
		);
		// No signed account reaches Root on the live chain: sudo has no key.
		let alice = Sr25519Keyring::Alice.to_account_id();
		let call = Box::new(gpow_runtime::RuntimeCall::Difficulty(
			pallet_difficulty::Call::set_target_block_time { target_ms: 1 },
		));
		assert!(gpow_runtime::Sudo::sudo(RuntimeOrigin::signed(alice), call).is_err());
	});
}

#[test]
fn only_the_upgrade_track_changes_the_tracks_own_parameter_sets() {
	use gpow_runtime::governance::{EMERGENCY_TRACK, PARAMETERS_TRACK, UPGRADE_TRACK};
	use pallet_governance::TrackCalls as _;
	type Calls = gpow_runtime::governance::TrackCalls;
	ext_from_preset(LIVE_PRESET).execute_with(|| {
		let name = |n: &[u8]| pallet_reputation::ParamSetName::truncate_from(n.to_vec());
		let gov = name(b"gov-parameters");
		let params = pallet_reputation::ParameterSets::<Runtime>::get(&gov).unwrap();
		let set = |n: &pallet_reputation::ParamSetName,
		           p: &pallet_reputation::PoolParamsOf<Runtime>| {
			gpow_runtime::RuntimeCall::Reputation(pallet_reputation::Call::set_parameter_set {
				name: n.clone(),
				params: p.clone(),
			})
		};
		let remove = |n: &pallet_reputation::ParamSetName| {
			gpow_runtime::RuntimeCall::Reputation(pallet_reputation::Call::remove_parameter_set {
				name: n.clone(),
			})
		};
		// Ordinary parameter sets: the parameters track.
		let other = name(b"evaluation");
		assert!(Calls::allows(PARAMETERS_TRACK, &set(&other, &params)));
		assert!(!Calls::allows(UPGRADE_TRACK, &set(&other, &params)));
		assert!(Calls::allows(PARAMETERS_TRACK, &remove(&other)));
		// The tracks' own: the upgrade track only, within floors, never removed.
		assert!(!Calls::allows(PARAMETERS_TRACK, &set(&gov, &params)));
		assert!(Calls::allows(UPGRADE_TRACK, &set(&gov, &params)));
		let weak = pallet_reputation::PoolParamsOf::<Runtime> {
			quorum: sp_runtime::Perbill::zero(),
			..params.clone()
		};
		assert!(!Calls::allows(UPGRADE_TRACK, &set(&gov, &weak)));
		let minority = pallet_reputation::PoolParamsOf::<Runtime> {
			win_ratio: sp_runtime::Perbill::from_percent(50),
			..params.clone()
		};
		assert!(!Calls::allows(UPGRADE_TRACK, &set(&gov, &minority)));
		let costly =
			pallet_reputation::PoolParamsOf::<Runtime> { min_fee: u128::MAX, ..params.clone() };
		assert!(!Calls::allows(UPGRADE_TRACK, &set(&gov, &costly)));
		for track in [PARAMETERS_TRACK, UPGRADE_TRACK, EMERGENCY_TRACK] {
			assert!(!Calls::allows(track, &remove(&gov)));
		}
		// Hidden in a batch: the same.
		let batch = gpow_runtime::RuntimeCall::Utility(pallet_utility::Call::batch_all {
			calls: vec![set(&other, &params), set(&gov, &params)],
		});
		assert!(!Calls::allows(PARAMETERS_TRACK, &batch));
		// The emergency track cancels only live proposals.
		let cancel =
			gpow_runtime::RuntimeCall::Governance(pallet_governance::Call::cancel { proposal: 7 });
		assert!(!Calls::allows(EMERGENCY_TRACK, &cancel));
	});
}

/// The committed metadata hash (`metadata-hash.hex`, compiled into the Wasm by `build.rs`) is the
/// RFC-0078 hash of this runtime's metadata V15, with its spec, SS58 prefix and token, as a
/// signer that verifies metadata computes it. `GPOW_UPDATE_METADATA_HASH=1` rewrites the file
/// (`scripts/metadata-hash.sh`); the node must then be built again.
#[test]
fn metadata_hash() {
	use frame_metadata::RuntimeMetadataPrefixed;
	use gpow_runtime::{SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, VERSION};

	let bytes = Runtime::metadata_at_version(15).expect("the runtime serves metadata V15");
	let metadata = RuntimeMetadataPrefixed::decode(&mut &bytes[..]).expect("metadata decodes").1;
	let extra = merkleized_metadata::ExtraInfo {
		spec_version: VERSION.spec_version,
		spec_name: VERSION.spec_name.to_string(),
		base58_prefix: SS58_PREFIX,
		decimals: TOKEN_DECIMALS,
		token_symbol: TOKEN_SYMBOL.into(),
	};
	let digest = merkleized_metadata::generate_metadata_digest(&metadata, extra)
		.expect("the metadata is merkleizable");
	let hash = format!("0x{}", sp_core::hexdisplay::HexDisplay::from(&digest.hash()));
	let file = concat!(env!("CARGO_MANIFEST_DIR"), "/metadata-hash.hex");
	if std::env::var_os("GPOW_UPDATE_METADATA_HASH").is_some() {
		std::fs::write(file, format!("{hash}\n")).expect("metadata-hash.hex is writable");
	}
	let committed = std::fs::read_to_string(file).unwrap_or_default();
	assert_eq!(
		committed.trim(),
		hash,
		"runtime/metadata-hash.hex is not the hash of this runtime's metadata: run \
		 `bash scripts/metadata-hash.sh`, then build the node again"
	);
}

/// `@gpow/api` names the pool's custom refusal codes without metadata (`js/src/errors.mjs`,
/// `REFUSAL_CODES`): 0-19 are pow-attest's errors by variant index, 64-71 work-payment's
/// `WorkRefusal`. This keeps that table equal to the runtime's: every pow-attest error and every
/// `WorkRefusal` listed under its code and name, and nothing else.
#[test]
fn js_refusal_codes_match_the_runtime() {
	use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
	use pallet_work_payment::WorkRefusal;
	use scale_info::TypeDef;

	let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../js/src/errors.mjs");
	let source = std::fs::read_to_string(file).expect("js/src/errors.mjs is readable");
	let table = source
		.split("export const REFUSAL_CODES = {")
		.nth(1)
		.and_then(|rest| rest.split("\n};").next())
		.expect("errors.mjs declares REFUSAL_CODES");
	// Lines `  12: ['powAttest.AlreadyAttested', '...'],`.
	let listed: Vec<(u8, String)> = table
		.lines()
		.filter_map(|line| {
			let (code, rest) = line.trim().split_once(": ['")?;
			let name = rest.split('\'').next()?;
			Some((code.parse().expect("a refusal code is a number"), name.to_owned()))
		})
		.collect();

	let bytes = Runtime::metadata_at_version(15).expect("the runtime serves metadata V15");
	let RuntimeMetadata::V15(metadata) =
		RuntimeMetadataPrefixed::decode(&mut &bytes[..]).expect("metadata decodes").1
	else {
		panic!("metadata V15 was asked for");
	};
	let pallet = metadata.pallets.iter().find(|p| p.name == "PowAttest").expect("PowAttest");
	let error_type = pallet.error.as_ref().expect("PowAttest has errors").ty.id;
	let TypeDef::Variant(errors) = &metadata.types.resolve(error_type).expect("its type").type_def
	else {
		panic!("a pallet's error type is an enum");
	};
	let mut expected: Vec<(u8, String)> = errors
		.variants
		.iter()
		.map(|v| (v.index, format!("powAttest.{}", v.name)))
		.chain(
			(WorkRefusal::FIRST_CODE..=u8::MAX)
				.map_while(WorkRefusal::from_code)
				.map(|r| (r.code(), format!("workPayment.{}", r.name()))),
		)
		.collect();
	expected.sort();
	assert_eq!(listed, expected, "js/src/errors.mjs REFUSAL_CODES differs from the runtime");
}
