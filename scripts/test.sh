#!/usr/bin/env bash
# Set-up command 2: installs what is missing, builds, and runs every test: the Rust unit and
# integration tests of the workspace, then the end-to-end suite (tests/) against the node just
# built. Prints the time of each step.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/env.sh"
cd "$GPOW_ROOT"

step() {
	local name="$1"
	shift
	local start=$SECONDS
	echo "==> $name"
	"$@"
	echo "==> $name: $((SECONDS - start)) s"
}

step "setup" bash "$here/setup.sh"
# In CI (a fresh clone), reuse the shared target directory's build of these very sources: give the
# files back the times they had when it was built (nothing happens unless every file matches and
# nothing was built since; `source-stamp.mjs`).
if [ "${CI:-}" = true ]; then node "$here/source-stamp.mjs" restore; fi
# One cargo invocation builds the tests and, for the integration tests, the binaries (gpow-node
# with its Wasm runtime, gpow-miner, gpow-ssk): the same as `dev.sh`'s build, so nothing is built
# twice. `--check-fresh` fails if a second run of it would compile anything.
step "build" bash "$here/build.sh" --check-fresh
step "rust tests" cargo test --locked --release --workspace
# The pallets' frame-benchmarking v2 benchmarks, run as tests in each pallet's mock runtime.
step "benchmark tests" cargo test --locked --release --features runtime-benchmarks \
	-p pallet-difficulty -p pallet-rewards -p pallet-ssk -p pallet-reputation -p pallet-pow-attest \
	-p pallet-services -p pallet-governance -p pallet-work-payment
# The benchmark tests were built after the build step's stamp: stamp again, so the next fresh
# clone of these sources finds nothing built since.
node "$here/source-stamp.mjs" record
step "end-to-end tests" bash -c "cd tests && npm test"
echo "==> all tests passed in $SECONDS s"
