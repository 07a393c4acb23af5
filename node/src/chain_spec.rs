//! Chain specifications built from the runtime's genesis presets.

use gpow_runtime::{SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY};
use sc_service::ChainType;

/// The chain spec type of GPoW (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

/// The chain properties wallets read: polkadot.js Apps shows the token with them.
fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| "the runtime Wasm was not built (SKIP_WASM_BUILD set?)".to_string())
}

/// The development chain (`--dev`): one miner, 2 s target block time, Alice is sudo.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("GPoW Development")
		.with_id("dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// The local testnet (`--chain local`): several nodes on one machine, 6 s target block time.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("GPoW Local Testnet")
		.with_id("local_testnet")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// The live chain (`--chain live`): no sudo key, governance by REP, 10 s target block time, blocks
/// final 100 deep. Its founders are placeholders (the development accounts) until a launch
/// replaces them in the plain spec.
pub fn live_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("GPoW")
		.with_id("gpow_live")
		.with_chain_type(ChainType::Live)
		.with_genesis_config_preset_name(gpow_runtime::genesis_config_presets::LIVE_PRESET)
		.with_properties(properties())
		.build())
}

/// The bench chain (`--chain bench`): the development chain plus
/// [`gpow_runtime::genesis_config_presets::BENCH_SENDERS`] senders funded at genesis, whose keys
/// are `//Sender//<i>` from the development phrase (sr25519), for floods and throughput runs.
/// Same block time, difficulty, sudo key and confirmation depth as `--dev`.
pub fn bench_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("GPoW Bench")
		.with_id("bench")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(gpow_runtime::genesis_config_presets::BENCH_PRESET)
		.with_properties(properties())
		.build())
}
