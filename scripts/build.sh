#!/usr/bin/env bash
# Builds the workspace in release: gpow-node with its Wasm runtime, gpow-miner, gpow-ssk and every
# test. It is the very cargo invocation of `scripts/test.sh` (and CI), so `dev.sh` after
# `test.sh`, or the other way round, compiles nothing: `cargo build --bins` would resolve the
# features without the dev-dependencies and rebuild 17 crates and the node (3-4 minutes each
# switch). The binaries come out of the integration tests that run them (node/tests, miner/tests,
# client/ssk/tests), at $CARGO_TARGET_DIR/release/.
#
# `bash scripts/build.sh --check-fresh` builds, then fails if the same command would compile
# anything again (a build script or fingerprint that is never fresh).
#
# After a build it records the sources it built from (`source-stamp.mjs record`), so a fresh clone
# of the same sources can reuse the build (`test.sh` in CI).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/env.sh"
cd "$GPOW_ROOT"
build() { cargo test --locked --release --workspace --no-run "$@"; }
build
if [ "${1:-}" = --check-fresh ]; then
	echo "==> checking that a second build compiles nothing"
	if build 2>&1 | grep -E '^\s*Compiling '; then
		echo "error: a second identical build compiled the crates above; dev.sh and test.sh would rebuild them" >&2
		exit 1
	fi
fi
if command -v node >/dev/null; then node "$here/source-stamp.mjs" record; fi
