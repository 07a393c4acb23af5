#!/usr/bin/env bash
# Builds the node (and with it the Wasm runtime) in release: the one profile the project uses
# for the node, the runtime and the tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$GPOW_ROOT"
cargo build --locked --release -p gpow-node
