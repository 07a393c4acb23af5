#!/usr/bin/env bash
# The runtime fuzzer (runtime/tests/fuzz.rs) for as long as asked:
#
#   scripts/fuzz.sh [blocks] [seed]
#
# blocks: default 5000 (the CI run does 300); seed: decimal or 0x-hex, default one from the
# clock (printed, so a failure can be replayed). GPOW_FUZZ_PRESET (development, local_testnet,
# live) and GPOW_FUZZ_TRACE=1 (every extrinsic and its outcome) pass through. A failure prints
# the seed, the block and the extrinsic, and the command that replays it.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/env.sh"
cd "$GPOW_ROOT"

export GPOW_FUZZ_BLOCKS="${1:-5000}"
export GPOW_FUZZ_SEED="${2:-$(date +%s)}"
echo "==> runtime fuzzer: $GPOW_FUZZ_BLOCKS blocks, seed $GPOW_FUZZ_SEED, preset ${GPOW_FUZZ_PRESET:-development}"
exec cargo test --locked --release -p gpow-runtime --test fuzz -- --nocapture
