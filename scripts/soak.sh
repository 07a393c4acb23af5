#!/usr/bin/env bash
# A long run of one mining dev node under steady transfers, printing its memory (RSS) every 10 s
# and a summary (first / peak / last RSS, growth and slope over the second half). Not part of CI.
# Usage: bash scripts/soak.sh [--check-slope MIB_PER_MIN] [minutes, default 30]
#                             [ms between transfers, default 500] [node flags]
# With --check-slope the run exits with 1 when the peak of the anonymous RSS (heap) rose faster than
# that (MiB/min) from the first half of the run to the second; node/README.md ("Memory") says why
# the peak and which run is long enough, e.g.
#   bash scripts/soak.sh --check-slope 0.5 60 25 "--trie-cache-size 0"
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/env.sh"
check=()
positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --check-slope) check=(--check-slope "${2:?--check-slope wants MiB per minute}"); shift 2 ;;
    --check-slope=*) check=(--check-slope "${1#*=}"); shift ;;
    *) positional+=("$1"); shift ;;
  esac
done
set -- "${positional[@]}"
cd "$GPOW_ROOT/tests"
[ -d node_modules ] || npm ci --no-audit --no-fund
exec node soak.mjs --minutes "${1:-30}" --interval "${2:-500}" --node-args="${3:-}" "${check[@]}"
