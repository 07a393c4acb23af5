#!/usr/bin/env bash
# A long run of one mining dev node under steady transfers, printing its memory (RSS) every 10 s
# and a summary (first / peak / last RSS, growth over the second half). Not part of CI.
# Usage: bash scripts/soak.sh [minutes, default 30] [ms between transfers, default 500] [node flags]
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/env.sh"
cd "$GPOW_ROOT/tests"
[ -d node_modules ] || npm ci --no-audit --no-fund
exec node soak.mjs --minutes "${1:-30}" --interval "${2:-500}" --node-args="${3:-}"
