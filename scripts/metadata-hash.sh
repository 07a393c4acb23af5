#!/usr/bin/env bash
# Rewrites runtime/metadata-hash.hex, the RFC-0078 metadata hash the runtime's Wasm is built with
# (runtime/build.rs), from the runtime's metadata (the native runtime's test `metadata_hash`). Run
# it after a change to the runtime's calls, types, events, errors, constants, extensions or
# version; then build the node again and regenerate the chain specs (scripts/chain-specs.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$GPOW_ROOT"
GPOW_UPDATE_METADATA_HASH=1 SKIP_WASM_BUILD=1 cargo test --locked --release -p gpow-runtime --test runtime metadata_hash
echo "==> runtime/metadata-hash.hex: $(cat runtime/metadata-hash.hex)"
