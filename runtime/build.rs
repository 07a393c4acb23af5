//! Builds the runtime to Wasm (wasm32v1-none) with substrate-wasm-builder: the runtime itself
//! (`WASM_BINARY`) and the upgrade-rehearsal runtime, the same code with the next spec version
//! (`upgrade_rehearsal::WASM_BINARY`), which the end-to-end test of a governance-voted runtime
//! upgrade submits. The second build shares every compiled dependency with the first: only this
//! crate is compiled again, with the `upgrade-rehearsal` feature.
//!
//! The runtime is built with its RFC-0078 metadata hash, which `CheckMetadataHash` adds to what a
//! signer in mode 1 (the Ledger generic app) signs. The hash is the committed `metadata-hash.hex`,
//! given to the Wasm build as `RUNTIME_METADATA_HASH`; the runtime's test `metadata_hash` checks
//! that it is the hash of the runtime's metadata (and rewrites it with
//! `GPOW_UPDATE_METADATA_HASH=1`). Why not the builder's own `enable_metadata_hash`: see the
//! README ("Metadata hash"). The rehearsal runtime, a test artifact, is built without it.

fn main() {
	#[cfg(feature = "std")]
	{
		println!("cargo:rerun-if-changed=metadata-hash.hex");
		let hash = std::fs::read_to_string("metadata-hash.hex")
			.expect("runtime/metadata-hash.hex: the committed RFC-0078 metadata hash");
		// The nested Wasm build inherits this process's environment.
		std::env::set_var("RUNTIME_METADATA_HASH", hash.trim());
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
		std::env::remove_var("RUNTIME_METADATA_HASH");
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_feature("upgrade-rehearsal")
			.set_file_name("wasm_binary_upgrade_rehearsal.rs")
			.build();
	}
}
