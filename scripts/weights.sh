#!/usr/bin/env bash
# Regenerates every pallet's weights.rs (difficulty, rewards, ssk, reputation, pow-attest,
# services, governance) from native benchmark runs against the runtime: builds and runs
# tools/weights (gpow-weights), which prints a table and rewrites pallets/*/src/weights.rs.
# Arguments go to gpow-weights, e.g.
#   bash scripts/weights.sh --steps 8 --repeat 10
#   bash scripts/weights.sh --pallet pallet_reputation --no-write
#
# gpow-weights is its own cargo workspace, built with `runtime-benchmarks` in its own target
# directory ($WEIGHTS_TARGET_DIR, default $HOME/.cache/gpow/weights-target), so the main build's
# features and artifacts are untouched. A missing target directory is first seeded with a copy of
# the main one (the dependencies mostly compile identically), which saves a cold build of the
# FRAME stack; WEIGHTS_SEED=0 skips that.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/env.sh"
cd "$GPOW_ROOT"

target="${WEIGHTS_TARGET_DIR:-$HOME/.cache/gpow/weights-target}"
if [ ! -d "$target/release" ] && [ "${WEIGHTS_SEED:-1}" != 0 ] && [ -d "$CARGO_TARGET_DIR/release/deps" ]; then
	echo "==> seeding $target from $CARGO_TARGET_DIR"
	mkdir -p "$target/release"
	cp -a "$CARGO_TARGET_DIR/release/deps" "$CARGO_TARGET_DIR/release/build" \
		"$CARGO_TARGET_DIR/release/.fingerprint" "$target/release/"
fi

# The same dependency versions as the main workspace: its lock file, pruned by cargo.
cp Cargo.lock tools/weights/Cargo.lock
echo "==> building gpow-weights"
SKIP_WASM_BUILD=1 CARGO_TARGET_DIR="$target" \
	cargo build --release --manifest-path tools/weights/Cargo.toml
echo "==> running the benchmarks"
"$target/release/gpow-weights" --root "$GPOW_ROOT" --command "bash scripts/weights.sh${*:+ $*}" "$@"
