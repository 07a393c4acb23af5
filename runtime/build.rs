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
//! README ("Metadata hash").
//!
//! The builder tells cargo to run this script again when any source file of the runtime's
//! dependency tree changes, naming each file by its absolute path. Cargo keeps those names in the
//! runtime's fingerprint, so a checkout of the very same sources at another path (CI's fresh
//! clone) would build the whole Wasm runtime again, and relink the node, although the shared
//! target directory holds both. So the builder runs in a child process (this same program, run
//! again with [`CHILD`] set), and the watched paths inside the workspace are passed on to cargo
//! relative to this package, which cargo resolves against whichever checkout it builds.

#[cfg(feature = "std")]
/// Set in the environment of the child process that runs the Wasm builder.
const CHILD: &str = "GPOW_RUNTIME_WASM_BUILDER_CHILD";

fn main() {
	#[cfg(feature = "std")]
	{
		if std::env::var_os(CHILD).is_some() {
			build_wasm();
		} else {
			run_builder_with_relative_paths();
		}
	}
}

/// Builds both Wasm binaries; runs in the child process.
#[cfg(feature = "std")]
fn build_wasm() {
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

/// Runs this program again as the builder's child, and passes its instructions on to cargo with
/// the workspace's paths made relative to this package. Paths outside the workspace (the cargo
/// registry, the target directory) are the same for every checkout and pass unchanged.
#[cfg(feature = "std")]
fn run_builder_with_relative_paths() {
	use std::{
		io::Write,
		path::{Path, PathBuf},
		process::{Command, Stdio},
	};

	let package = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
	let workspace = package.parent().expect("the runtime lives in the workspace root").to_owned();
	let me = std::env::current_exe().expect("the build script knows its own path");
	let output = Command::new(me)
		.env(CHILD, "1")
		.stdin(Stdio::null())
		.stderr(Stdio::inherit())
		.output()
		.expect("the build script can run itself");
	let stdout = String::from_utf8_lossy(&output.stdout);
	let mut out = std::io::stdout().lock();
	for line in stdout.lines() {
		let relative = line
			.strip_prefix("cargo:rerun-if-changed=")
			.map(Path::new)
			.and_then(|path| relative_to_package(path, &package, &workspace));
		let written = match relative {
			Some(path) => writeln!(out, "cargo:rerun-if-changed={}", path.display()),
			None => writeln!(out, "{line}"),
		};
		written.expect("stdout is cargo's pipe");
	}
	if !output.status.success() {
		std::process::exit(output.status.code().unwrap_or(1));
	}
}

/// `path` relative to `package` when it lies inside `workspace` (this package's parent).
#[cfg(feature = "std")]
fn relative_to_package(
	path: &std::path::Path,
	package: &std::path::Path,
	workspace: &std::path::Path,
) -> Option<std::path::PathBuf> {
	// `components` drops the `.` inside a path such as `<workspace>/./Cargo.lock`.
	let path: std::path::PathBuf = path.components().collect();
	if let Ok(inside) = path.strip_prefix(package) {
		return Some(inside.to_owned());
	}
	path.strip_prefix(workspace)
		.ok()
		.map(|rest| std::path::Path::new("..").join(rest))
}
