#!/usr/bin/env bash
# Builds every binary of the workspace in release (gpow-node with its Wasm runtime, gpow-ssk):
# the one profile the project uses for the node, the runtime and the tests. Building the whole
# workspace gives the same feature set as `cargo test --workspace`, so the tests reuse it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$GPOW_ROOT"
cargo build --locked --release --workspace --bins
