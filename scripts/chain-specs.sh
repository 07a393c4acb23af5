#!/usr/bin/env bash
# Regenerates the committed chain specs: dev-, local- and live-plain.json and -raw.json, by
# running `gpow-node build-spec`.
#
# Usage: scripts/chain-specs.sh [OUT_DIR]      (default OUT_DIR: chain-specs/ at the repo root)
#
# The node binary is $GPOW_NODE if set, else ${CARGO_TARGET_DIR:-$HOME/.cache/gpow/target}/release/gpow-node.
# Run it after any change to the runtime or the genesis config, and commit the result; the e2e
# test tests/chain-specs.test.mjs fails while the committed specs are stale.
#
# --disable-default-bootnode keeps the output deterministic: without it build-spec adds a
# /ip4/127.0.0.1/tcp/30333/p2p/<random peer id> boot node to specs that have none.
# --base-path points at a throwaway directory so nothing is written under $HOME.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="${1:-$repo_root/chain-specs}"
node="${GPOW_NODE:-${CARGO_TARGET_DIR:-$HOME/.cache/gpow/target}/release/gpow-node}"

if [[ ! -x "$node" ]]; then
	echo "chain-specs.sh: gpow-node not found at $node (build it, or set GPOW_NODE)" >&2
	exit 1
fi

mkdir -p "$out_dir"
base_path="$(mktemp -d "${TMPDIR:-/tmp}/gpow-build-spec.XXXXXX")"
trap 'rm -rf "$base_path"' EXIT

for chain in dev local live; do
	for kind in plain raw; do
		raw_flag=()
		[[ "$kind" == raw ]] && raw_flag=(--raw)
		out="$out_dir/$chain-$kind.json"
		tmp="$out.tmp"
		# stdout is the JSON; the node's log goes to stderr.
		if ! "$node" build-spec --chain "$chain" "${raw_flag[@]}" --disable-default-bootnode \
			--base-path "$base_path" >"$tmp" 2>"$base_path/build-spec.log"; then
			cat "$base_path/build-spec.log" >&2
			rm -f "$tmp"
			echo "chain-specs.sh: build-spec --chain $chain ${raw_flag[*]} failed" >&2
			exit 1
		fi
		mv "$tmp" "$out"
		echo "wrote $out"
	done
done
