//! Builds the runtime to Wasm (wasm32v1-none) with substrate-wasm-builder: the runtime itself
//! (`WASM_BINARY`) and the upgrade-rehearsal runtime, the same code with the next spec version
//! (`upgrade_rehearsal::WASM_BINARY`), which the end-to-end test of a governance-voted runtime
//! upgrade submits. The second build shares every compiled dependency with the first: only this
//! crate is compiled again, with the `upgrade-rehearsal` feature.

fn main() {
	#[cfg(feature = "std")]
	{
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_feature("upgrade-rehearsal")
			.set_file_name("wasm_binary_upgrade_rehearsal.rs")
			.build();
	}
}
