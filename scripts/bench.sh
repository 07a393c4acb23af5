#!/usr/bin/env bash
# Prints seal-verification throughput beside the raw throughput of its hash (blake2-256).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$GPOW_ROOT"
cargo bench --locked -p gpow-primitives-pow --bench seal
cargo bench --locked -p gpow-primitives-work --bench work_seal
