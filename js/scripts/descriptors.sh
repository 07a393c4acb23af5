#!/usr/bin/env bash
# Regenerates the polkadot-api descriptors of GPoW (js/.papi: the config and the metadata, committed,
# and the generated descriptors package, git-ignored: `npx polkadot-api generate` rebuilds it) from a dev node: starts `$GPOW_NODE --dev --tmp` on a free RPC
# port, runs the polkadot-api CLI (`papi add gpow`, which writes the metadata and generates the
# descriptors), and stops the node. The CLI comes through npx, so it stays out of every install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PAPI_VERSION=2.2.2
node_bin="${GPOW_NODE:-${CARGO_TARGET_DIR:-$HOME/.cache/gpow/target}/release/gpow-node}"
port=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")
log=$(mktemp -t gpow-descriptors-XXXX.log)

"$node_bin" --dev --tmp --rpc-port "$port" --port 0 --no-prometheus >"$log" 2>&1 &
node_pid=$!
trap 'kill -INT "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null || true' EXIT

for _ in $(seq 60); do
	curl -sf -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"system_health"}' \
		"http://127.0.0.1:$port" >/dev/null && break
	sleep 0.5
done

# Node 20 has a WebSocket client only behind this flag; the CLI needs one.
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-websocket"
npx --yes "polkadot-api@$PAPI_VERSION" add gpow --wsUrl "ws://127.0.0.1:$port" --skip-codegen
# `generate` also adds the descriptors package to package.json and installs it with polkadot-api;
# the package stays lean: a polkadot-api dapp depends on js/.papi/descriptors itself.
backup=$(mktemp -d)
cp package.json package-lock.json "$backup/"
npx --yes "polkadot-api@$PAPI_VERSION" generate
cp "$backup/package.json" "$backup/package-lock.json" .
# The entry names the endpoint a dapp developer's dev node listens on, not this run's free port.
node -e "const f='.papi/polkadot-api.json',c=JSON.parse(require('fs').readFileSync(f));c.entries.gpow.wsUrl='ws://127.0.0.1:9944';require('fs').writeFileSync(f,JSON.stringify(c,null,2)+'\\n')"
echo "descriptors regenerated in js/.papi (node log: $log)"
