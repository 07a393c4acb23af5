#!/usr/bin/env bash
# Set-up command 1: installs what is missing, builds, and starts a mining dev node with
# JSON-RPC on ws://127.0.0.1:9944 (state in a temporary directory). Extra arguments go to the
# node, e.g. `bash scripts/dev.sh --mining-threads 2 --author <SS58>`.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/env.sh"
bash "$here/setup.sh"
bash "$here/build.sh"
echo "==> starting gpow-node --dev (RPC ws://127.0.0.1:9944; Ctrl-C stops it)"
exec "$GPOW_NODE" --dev --tmp --rpc-port 9944 "$@"
