#!/usr/bin/env bash
# Regenerates every weight file from benchmarks run in the Wasm runtime by frame-omni-bencher
# (polkadot-sdk's standalone benchmark runner, installed by `scripts/bencher.sh`):
#   - runtime/src/weights/<pallet>.rs for the polkadot-sdk pallets and the transaction extensions
#     (frame_system, frame_system_extensions, pallet_balances, pallet_transaction_payment, ...),
#     with the bencher's own template;
#   - runtime/src/weights/{block,extrinsic}_weights.rs: the cost of an empty block and of an
#     extrinsic's execution overhead (`benchmark overhead`: blocks of signed no-op extrinsics);
#   - pallets/<name>/src/weights.rs for the GPoW pallets: the bencher writes its analysis through
#     tools/weights/results.hbs and its raw results as JSON, and gpow-weights (tools/weights)
#     renders them keeping each pallet's WeightInfo trait.
#
#   bash scripts/weights.sh                                 # everything
#   bash scripts/weights.sh --pallet pallet_reputation      # one pallet (repeatable)
#   bash scripts/weights.sh --steps 50 --repeat 20          # the bencher's own defaults
#   bash scripts/weights.sh --no-write                      # print the tables only
#   bash scripts/weights.sh --pallet overhead               # the block and extrinsic base costs
#
# The runtime is built with `runtime-benchmarks` in its own target directory ($WEIGHTS_TARGET_DIR,
# default $HOME/.cache/gpow/weights-target): the feature would otherwise change the main build's
# Wasm. The raw results stay in $WEIGHTS_RESULTS (default $HOME/.cache/gpow/weights-results).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/env.sh"
cd "$GPOW_ROOT"

steps=10
repeat=10
min_duration=1
write=1
only=()
while [ $# -gt 0 ]; do
	case "$1" in
	--steps) steps="$2"; shift 2 ;;
	--repeat) repeat="$2"; shift 2 ;;
	--min-duration) min_duration="$2"; shift 2 ;;
	--pallet) only+=("$2"); shift 2 ;;
	--no-write) write=0; shift ;;
	*) echo "usage: bash scripts/weights.sh [--steps N] [--repeat N] [--min-duration S] [--pallet NAME]... [--no-write]" >&2; exit 2 ;;
	esac
done

sdk_pallets=(frame_system frame_system_extensions pallet_balances pallet_timestamp
	pallet_transaction_payment pallet_sudo pallet_preimage pallet_scheduler pallet_utility
	pallet_parameters)
gpow_pallets=(pallet_difficulty pallet_rewards pallet_ssk pallet_reputation pallet_pow_attest
	pallet_services pallet_governance pallet_work_payment)
selected() { [ ${#only[@]} -eq 0 ] || printf '%s\n' "${only[@]}" | grep -qx "$1"; }

bencher="$(bash "$here/bencher.sh")"
target="${WEIGHTS_TARGET_DIR:-$HOME/.cache/gpow/weights-target}"
echo "==> building gpow-runtime with runtime-benchmarks (Wasm) in $target"
CARGO_TARGET_DIR="$target" cargo build --locked --release -p gpow-runtime --features runtime-benchmarks
wasm="$target/release/wbuild/gpow-runtime/gpow_runtime.compact.compressed.wasm"
echo "==> building gpow-weights"
cargo build --locked --release -p gpow-weights

results="${WEIGHTS_RESULTS:-$HOME/.cache/gpow/weights-results}"
mkdir -p "$results"
command="bash scripts/weights.sh --steps $steps --repeat $repeat"
bench() {
	local pallet="$1"
	shift
	echo "==> $pallet"
	"$bencher" v1 benchmark pallet --runtime "$wasm" --pallet "$pallet" --extrinsic '*' \
		--steps "$steps" --repeat "$repeat" --min-duration "$min_duration" \
		--default-pov-mode measured --header tools/weights/header.txt "$@"
}
for pallet in "${sdk_pallets[@]}"; do
	selected "$pallet" || continue
	out="runtime/src/weights/$pallet.rs"
	[ "$write" = 1 ] || out="$results/$pallet.rs"
	bench "$pallet" --output "$out" --json-file "$results/$pallet.json" >/dev/null
	echo "  wrote $out"
done
for pallet in "${gpow_pallets[@]}"; do
	selected "$pallet" || continue
	bench "$pallet" --template tools/weights/results.hbs --output "$results/$pallet.txt" \
		--json-file "$results/$pallet.json" >/dev/null
	args=(--root "$GPOW_ROOT" --results "$results" --pallet "$pallet" --command "$command")
	[ "$write" = 1 ] || args+=(--no-write)
	"$CARGO_TARGET_DIR/release/gpow-weights" "${args[@]}"
done
if selected overhead; then
	echo "==> overhead: BlockExecutionWeight and ExtrinsicBaseWeight"
	out=runtime/src/weights
	[ "$write" = 1 ] || out="$results"
	"$bencher" v1 benchmark overhead --runtime "$wasm" --genesis-builder runtime \
		--weight-path "$out" --header tools/weights/header.txt --warmup 5 --repeat 50
fi
