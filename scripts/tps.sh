#!/usr/bin/env bash
# Transfer throughput of GPoW, and of the polkadot-sdk solochain template in the same run: starts a
# node with pre-funded senders (gpow-node --chain bench; the template's dev chain with the same
# senders added to its genesis), floods it with transfers pre-signed in another process
# (tests/tps.mjs), and prints transfers per full block, sustained TPS and block times, then a table
# and the ratio `gpow TPS / template TPS`. Not part of CI.
# Usage: bash scripts/tps.sh [--template DIR] [--template-node BIN] [--url ws://127.0.0.1:PORT]
#                            [--senders N] [--nonces K] [--pool-limit N] [--out DIR]
#   --template DIR       also measure the solochain template checked out in DIR (built there into
#                        $GPOW_TEMPLATE_TARGET, default $HOME/.cache/gpow/template-target, if its
#                        node is missing)
#   --template-node BIN  the template's node binary (default: the one built from DIR)
#   --url URL            measure a running node instead of starting gpow-node (a dev/bench chain
#                        whose //Sender//<i> are funded; nothing is started or stopped)
#   --senders N          senders //Sender//0.. (default 10000, the bench preset's count)
#   --nonces K           transfers per sender (default 3)
#   --pool-limit N       --pool-limit of both nodes (default: each node's own, which the flood
#                        keeps within: gpow-node's 20,192 on the bench chain, the template's 8,192)
#   --out DIR            where the node logs and results go (default a new /tmp/gpow-tps.XXXXXX)
# Node flags can follow `--`; they go to gpow-node only.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/env.sh"

template=""
template_node=""
url=""
senders=10000
nonces=3
pool_limit=""
# The nodes' own pool sizes (node/README.md, "The transaction pool and its limits"): a gpow-node
# this script starts logs its own ("Transaction pool: N transactions", sized to the confirmation
# depth); for a node at --url, the dev and bench chains' default (8,192 + 1,200 x 10). The template
# keeps polkadot-sdk's 8,192.
gpow_url_pool_default=20192
template_pool_default=8192
out=""
gpow_extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --template) template="${2:?--template wants the checkout directory}"; shift 2 ;;
    --template-node) template_node="${2:?--template-node wants a binary}"; shift 2 ;;
    --url) url="${2:?--url wants ws://127.0.0.1:PORT}"; shift 2 ;;
    --senders) senders="${2:?}"; shift 2 ;;
    --nonces) nonces="${2:?}"; shift 2 ;;
    --pool-limit) pool_limit="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    --) shift; gpow_extra=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "tps.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

cd "$GPOW_ROOT/tests"
[ -d node_modules ] || npm ci --no-audit --no-fund
out="${out:-$(mktemp -d /tmp/gpow-tps.XXXXXX)}"
mkdir -p "$out"
echo "tps: logs and results in $out; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The template's node, built first (it takes 20-30 minutes cold) so that the two measurements
# follow each other closely.
if [ -n "$template" ]; then
  template="$(cd "$template" && pwd)"
  template_target="${GPOW_TEMPLATE_TARGET:-$HOME/.cache/gpow/template-target}"
  if [ -z "$template_node" ]; then
    template_node="$template_target/release/solochain-template-node"
    if [ ! -x "$template_node" ]; then
      echo "tps: building the template's node in $template (target $template_target); 20-30 minutes cold"
      (cd "$template" && CARGO_TARGET_DIR="$template_target" CARGO_INCREMENTAL=0 \
        nice -n 10 cargo build --release --locked -p solochain-template-node)
    fi
  fi
  [ -x "$template_node" ] || { echo "tps: no template node at $template_node" >&2; exit 1; }
fi

node_pid=""
stop_node() {
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
    kill -INT "$node_pid"
    for _ in $(seq 40); do kill -0 "$node_pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$node_pid" 2>/dev/null && kill -KILL "$node_pid"
    wait "$node_pid" 2>/dev/null || true
  fi
  node_pid=""
}
trap stop_node EXIT

# Starts "$@" with its output in $log, waits for its JSON-RPC port (chosen by the node, read from
# the log) and for block #1; sets node_pid and rpc_port.
start_node() {
  local log="$1"
  shift
  echo "\$ $*" > "$log"
  "$@" >> "$log" 2>&1 &
  node_pid=$!
  rpc_port=""
  for _ in $(seq 240); do
    kill -0 "$node_pid" 2>/dev/null || { echo "tps: the node exited; log $log:" >&2; tail -20 "$log" >&2; exit 1; }
    rpc_port="$(sed -n 's/.*Running JSON-RPC server: addr=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)"
    [ -n "$rpc_port" ] && break
    sleep 0.5
  done
  [ -n "$rpc_port" ] || { echo "tps: no JSON-RPC server in $log after 120 s" >&2; exit 1; }
  for _ in $(seq 240); do
    if grep -q 'Imported #1 ' "$log"; then return 0; fi
    sleep 0.5
  done
  echo "tps: no block #1 in $log after 120 s" >&2
  exit 1
}

measure() {
  local label="$1" url="$2" log="$3" limit="$4"
  node tps.mjs measure --label "$label" --url "$url" --senders "$senders" --nonces "$nonces" \
    --pool-limit "${pool_limit:-$limit}" --out "$out/$label.json" ${log:+--log "$log"}
}

results=()
common=(--tmp --database paritydb --rpc-port 0 --port 0 --no-mdns --no-prometheus --no-telemetry
  ${pool_limit:+--pool-limit "$pool_limit"} --tx-ban-seconds 10)

if [ -n "$url" ]; then
  measure node "$url" "" "$gpow_url_pool_default"
  results+=("$out/node.json")
else
  [ -x "$GPOW_NODE" ] || { echo "tps: no gpow-node at $GPOW_NODE (bash scripts/build.sh, or set GPOW_NODE)" >&2; exit 1; }
  # The author is Alice: the bench chain is the dev chain plus its senders.
  start_node "$out/gpow.log" "$GPOW_NODE" --chain bench --mine --mining-threads 1 \
    --author 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY "${common[@]}" "${gpow_extra[@]}"
  gpow_pool="$(sed -n 's/.*Transaction pool: \([0-9]*\) transactions.*/\1/p' "$out/gpow.log" | head -1)"
  [ -n "$gpow_pool" ] || { echo "tps: gpow-node did not log its pool size in $out/gpow.log" >&2; exit 1; }
  measure gpow "ws://127.0.0.1:$rpc_port" "$out/gpow.log" "$gpow_pool"
  stop_node
  results+=("$out/gpow.json")
fi

if [ -n "$template" ]; then
  "$template_node" build-spec --chain dev > "$out/template-plain.json" 2> "$out/template-build-spec.log"
  node tps.mjs fund-spec --in "$out/template-plain.json" --out "$out/template-spec.json" --senders "$senders"
  # Aura + GRANDPA with Alice the only authority; --force-authoring because it has no peers; a
  # validator wants a stored network key, so it gets a fixed one.
  start_node "$out/template.log" "$template_node" --chain "$out/template-spec.json" --alice --validator \
    --force-authoring --node-key 0000000000000000000000000000000000000000000000000000000000000001 \
    "${common[@]}"
  measure template "ws://127.0.0.1:$rpc_port" "$out/template.log" "$template_pool_default"
  stop_node
  results+=("$out/template.json")
fi

echo
node tps.mjs table "${results[@]}" | tee "$out/table.txt"
echo "load average now $(cut -d' ' -f1-3 /proc/loadavg); logs and results in $out"
