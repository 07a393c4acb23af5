#!/usr/bin/env bash
# Hash rate of gpow-miner against the node's in-process miner on this machine, for 1 and 2
# threads (or the counts given): each run starts a fresh dev node, mines for SECONDS (default 45)
# and averages the `Hashrate: N H/s` lines both print every 10 s, the first one left out (start-up).
#   in-process:  gpow-node --dev --mining-threads T
#   gpow-miner:  gpow-node --dev --no-mine --author <Alice> + gpow-miner --threads T
# Prints both, per thread, their ratio, and how each scales from the first thread count. On a
# loaded machine threads do not get a core each, so it also prints gpow-miner's hashes per CPU
# second of the process (from /proc, over the hashrate lines averaged): equal for 1 and 2
# threads means the threads do not slow each other down. Not part of CI.
#
#   bash scripts/miner-bench.sh [SECONDS] ["1 2"]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
GPOW_MINER="${GPOW_MINER:-$CARGO_TARGET_DIR/release/gpow-miner}"
RUN_SECONDS="${1:-45}"
read -r -a THREADS <<<"${2:-1 2}"
RPC_PORT="${GPOW_BENCH_RPC_PORT:-9988}"
P2P_PORT="${GPOW_BENCH_P2P_PORT:-30488}"
ALICE=5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY

for bin in "$GPOW_NODE" "$GPOW_MINER"; do
	[[ -x "$bin" ]] || { echo "missing $bin: build with cargo build --release -p gpow-node -p gpow-miner" >&2; exit 1; }
done
dir="$(mktemp -d /tmp/gpow-miner-bench.XXXXXX)"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT

wait_rpc() {
	for _ in $(seq 1 240); do
		curl -sf -H 'content-type: application/json' \
			-d '{"jsonrpc":"2.0","id":1,"method":"system_health"}' "http://127.0.0.1:$RPC_PORT" >/dev/null && return 0
		sleep 0.5
	done
	echo "the node did not answer RPC on port $RPC_PORT" >&2
	return 1
}

# Average of the `Hashrate: N` lines of a log after the first.
average() {
	grep -ao 'Hashrate: [0-9]*' "$1" | awk 'NR > 1 { s += $2; n++ } END { if (n) printf "%.0f", s / n; else print 0 }'
}

# CPU seconds (user + system) a process has used so far.
cpu_seconds() {
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}

# One run: a dev node with the given flags, and gpow-miner if threads for it are given (its CPU
# seconds over the averaged window, from its first to its last hashrate line, go to
# $dir/<name>-miner.cpu).
run() {
	local name="$1" miner_threads="$2"
	shift 2
	"$GPOW_NODE" --dev --tmp --rpc-port "$RPC_PORT" --port "$P2P_PORT" --no-mdns --no-prometheus \
		--no-telemetry "$@" >"$dir/$name-node.log" 2>&1 &
	local node=$!
	pids=("$node")
	wait_rpc
	if [[ -n "$miner_threads" ]]; then
		"$GPOW_MINER" --url "ws://127.0.0.1:$RPC_PORT" --threads "$miner_threads" --worker bench \
			>"$dir/$name-miner.log" 2>&1 &
		local miner=$!
		pids+=("$miner")
		local lines=$(((RUN_SECONDS - 10) / 10)) from to
		sleep 10
		from="$(cpu_seconds "$miner")"
		sleep $((lines * 10))
		to="$(cpu_seconds "$miner")"
		sleep $((RUN_SECONDS - 10 - lines * 10))
		awk -v a="$from" -v b="$to" 'BEGIN { printf "%.2f", b - a }' >"$dir/$name-miner.cpu"
		kill -INT "$miner"
		wait "$miner" || true
	else
		sleep "$RUN_SECONDS"
	fi
	kill -INT "$node"
	wait "$node" || true
	pids=()
}

echo "gpow-miner vs in-process miner: ${RUN_SECONDS} s per run, logs in $dir"
printf '%-8s %16s %14s %16s %14s %7s\n' threads in-process/s per-thread gpow-miner/s per-thread ratio
declare -A node_rate miner_rate per_cpu
for t in "${THREADS[@]}"; do
	run "node-$t" "" --mining-threads "$t"
	node_rate[$t]="$(average "$dir/node-$t-node.log")"
	run "miner-$t" "$t" --no-mine --author "$ALICE"
	miner_rate[$t]="$(average "$dir/miner-$t-miner.log")"
	# The averaged lines cover (RUN_SECONDS - 10) / 10 intervals of 10 s.
	per_cpu[$t]="$(awk -v r="${miner_rate[$t]}" -v s=$(((RUN_SECONDS - 10) / 10 * 10)) \
		-v c="$(cat "$dir/miner-$t-miner.cpu")" 'BEGIN { printf "%.0f", (c > 0 ? r * s / c : 0) }')"
	awk -v t="$t" -v n="${node_rate[$t]}" -v m="${miner_rate[$t]}" 'BEGIN {
		printf "%-8s %16.0f %14.0f %16.0f %14.0f %7.3f\n", t, n, n / t, m, m / t, (n > 0 ? m / n : 0) }'
done
for t in "${THREADS[@]}"; do
	echo "gpow-miner, $t thread(s): ${per_cpu[$t]} hashes per CPU second of the miner process"
done
first="${THREADS[0]}"
for t in "${THREADS[@]:1}"; do
	awk -v f="$first" -v t="$t" -v n1="${node_rate[$first]}" -v nt="${node_rate[$t]}" \
		-v m1="${miner_rate[$first]}" -v mt="${miner_rate[$t]}" 'BEGIN {
		printf "scaling %s -> %s threads: in-process %.2fx, gpow-miner %.2fx\n", f, t,
			(n1 > 0 ? nt / n1 : 0), (m1 > 0 ? mt / m1 : 0) }'
done
