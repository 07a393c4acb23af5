#!/usr/bin/env bash
# A local GPoW network on 127.0.0.1: N nodes (default 3, at least 2 of them mining), each with its
# own base path, p2p / RPC / Prometheus ports, a node key fixed by its index (so every peer id is
# known in advance) and the other nodes as reserved peers (`--reserved-only`, no mDNS). The RPC
# allows unsafe methods, so links are cut and restored at runtime with
# `system_removeReservedPeer` / `system_addReservedPeer`.
#
#   scripts/net.sh [options] start          start the network (writes the state dir)
#   scripts/net.sh status                   best / finalized block and peers of every node
#   scripts/net.sh partition 0 1,2          cut every link between the groups {0} and {1,2}
#   scripts/net.sh heal                     restore the links the partition cut
#   scripts/net.sh stop <i>                 SIGINT node i and wait for its exit (20 s, then SIGKILL)
#   scripts/net.sh kill <i>                 SIGKILL node i (a crash)
#   scripts/net.sh restart <i>              (stop and) start node i again on its base path
#   scripts/net.sh down                     stop every node
#   scripts/net.sh logs <i>                 the path of node i's log
#
# Options of `start` (the others only need --dir):
#   --dir D                state dir (default $GPOW_NET_DIR or /tmp/gpow-net): node<i>/ base paths,
#                          node<i>.log, node<i>.pid, net.env
#   --nodes N              number of nodes, >= 3 (default 3)
#   --miners M             nodes 0..M-1 mine, >= 2 (default 2)
#   --authors A,B,...      --author of miner 0, 1, ... (default //Alice, //Bob, //Charlie, ...)
#   --threads T            --mining-threads of each miner (default 1)
#   --chain SPEC           chain instead of --dev (a file or a built-in id); every node gets it
#   --p2p-port P           node i listens on P+i (default 30400)
#   --rpc-port R           node i serves JSON-RPC (HTTP and WebSocket) on R+i (default 9950)
#   --prometheus-port Q    node i serves metrics on Q+i (default 9650)
#   --fresh                delete the state dir's chains before starting
#   -- ARGS...             more flags for every node (e.g. --confirmation-depth 5)
#
# Needs only bash, curl and the node binary ($GPOW_NODE, else the one scripts/env.sh names).
set -euo pipefail

DIR=${GPOW_NET_DIR:-/tmp/gpow-net}
STOP_TIMEOUT=20

die() {
	echo "net.sh: $*" >&2
	exit 1
}

node_bin() {
	# shellcheck source=env.sh
	(source "$(dirname "${BASH_SOURCE[0]}")/env.sh" && echo "$GPOW_NODE")
}

# The ed25519 node key of node i: sha256("gpow-net-node-<i>"), 32 bytes in hex.
node_key() { printf 'gpow-net-node-%d' "$1" | sha256sum | cut -c1-64; }

# One JSON-RPC call over HTTP; prints the raw answer (empty if the node does not answer).
rpc() {
	local port=$1 method=$2 params=${3:-[]}
	curl -s --max-time 5 -H 'content-type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$method\",\"params\":$params}" \
		"http://127.0.0.1:$port" || true
}

# The value of a string field in a JSON answer: json_str '{"a":"x"}' a -> x.
json_str() { sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$1" | head -n1; }

load_state() {
	[[ -f $DIR/net.env ]] || die "no network in $DIR (run: scripts/net.sh --dir $DIR start)"
	# shellcheck source=/dev/null
	source "$DIR/net.env"
}

check_index() {
	[[ $1 =~ ^[0-9]+$ ]] && ((10#$1 < NODES)) || die "no node '$1' (nodes are 0..$((NODES - 1)))"
}

pid_of() { [[ -f $DIR/node$1.pid ]] && cat "$DIR/node$1.pid" || true; }

alive() {
	local pid
	pid=$(pid_of "$1")
	[[ -n $pid ]] && kill -0 "$pid" 2>/dev/null
}

rpc_port() { echo $((RPC_PORT + $1)); }
multiaddr() { echo "/ip4/127.0.0.1/tcp/$((P2P_PORT + $1))/p2p/${PEER_IDS[$1]}"; }

# Whether nodes i and j are on different sides of the current partition.
separated() {
	local i=$1 j=$2
	[[ -f $DIR/partition ]] || return 1
	local a b
	{ read -r a; read -r b; } <"$DIR/partition"
	{ [[ ,$a, == *,$i,* && ,$b, == *,$j,* ]] || [[ ,$a, == *,$j,* && ,$b, == *,$i,* ]]; }
}

# The reserved peers of node i now: every other node not cut off by a partition.
reserved_of() {
	local i=$1 j out=()
	for ((j = 0; j < NODES; j++)); do
		((j == i)) && continue
		separated "$i" "$j" || out+=("$(multiaddr "$j")")
	done
	echo "${out[@]}"
}

launch() {
	local i=$1
	alive "$i" && die "node $i is already running (pid $(pid_of "$i"))"
	local args=("${CHAIN_ARGS[@]}"
		--base-path "$DIR/node$i"
		--name "gpow-net-$i"
		--listen-addr "/ip4/127.0.0.1/tcp/$((P2P_PORT + i))"
		--rpc-port "$(rpc_port "$i")"
		--rpc-methods unsafe
		--rpc-cors all
		--prometheus-port $((PROM_PORT + i))
		--node-key "$(node_key "$i")"
		--no-mdns
		--no-telemetry
		--reserved-only
		--in-peers 0
		--out-peers 0)
	local reserved
	read -r -a reserved <<<"$(reserved_of "$i")"
	((${#reserved[@]} > 0)) && args+=(--reserved-nodes "${reserved[@]}")
	if ((i < MINERS)); then
		args+=(--mine --author "${AUTHORS[$i]}" --mining-threads "$THREADS")
	else
		args+=(--no-mine)
	fi
	args+=("${EXTRA_ARGS[@]}")
	{
		echo
		echo "=== net.sh: $(date -u +%FT%TZ) start node $i"
		echo "\$ $BIN ${args[*]}"
	} >>"$DIR/node$i.log"
	# Job control on, so the background node does not inherit an ignored SIGINT.
	set -m
	nohup "$BIN" "${args[@]}" >>"$DIR/node$i.log" 2>&1 </dev/null &
	echo $! >"$DIR/node$i.pid"
	set +m
	printf 'node %d  pid %-7s p2p %-5d rpc http+ws://127.0.0.1:%-5d prometheus %-5d %s  log %s\n' \
		"$i" "$!" $((P2P_PORT + i)) "$(rpc_port "$i")" $((PROM_PORT + i)) \
		"$( ((i < MINERS)) && echo "miner (${AUTHORS[$i]})" || echo 'full node')" "$DIR/node$i.log"
}

wait_rpc() {
	local i=$1 deadline=$((SECONDS + 60))
	until [[ -n $(rpc "$(rpc_port "$i")" system_health) ]]; do
		alive "$i" || die "node $i exited; see $DIR/node$i.log"
		((SECONDS < deadline)) || die "node $i does not answer RPC on $(rpc_port "$i"); see $DIR/node$i.log"
		sleep 0.3
	done
}

stop_node() {
	local i=$1 sig=${2:-INT} pid
	pid=$(pid_of "$i")
	if ! alive "$i"; then
		echo "node $i is not running"
		rm -f "$DIR/node$i.pid"
		return 0
	fi
	kill -s "$sig" "$pid"
	local deadline=$((SECONDS + STOP_TIMEOUT))
	while kill -0 "$pid" 2>/dev/null; do
		if ((SECONDS >= deadline)); then
			echo "node $i did not exit ${STOP_TIMEOUT} s after SIG$sig: SIGKILL" >&2
			kill -KILL "$pid" 2>/dev/null || true
		fi
		sleep 0.2
	done
	rm -f "$DIR/node$i.pid"
	echo "=== net.sh: $(date -u +%FT%TZ) node $i stopped with SIG$sig" >>"$DIR/node$i.log"
	echo "node $i stopped (SIG$sig)"
	if grep -q 'panicked at' "$DIR/node$i.log"; then
		echo "node $i: its log $DIR/node$i.log contains 'panicked at'" >&2
	fi
}

cmd_start() {
	local fresh=0 authors=''
	NODES=3 MINERS=2 THREADS=1 P2P_PORT=30400 RPC_PORT=9950 PROM_PORT=9650
	CHAIN_ARGS=(--dev) EXTRA_ARGS=()
	while (($#)); do
		case $1 in
		--nodes) NODES=$2; shift 2 ;;
		--miners) MINERS=$2; shift 2 ;;
		--authors) authors=$2; shift 2 ;;
		--threads) THREADS=$2; shift 2 ;;
		--chain) CHAIN_ARGS=(--chain "$2"); shift 2 ;;
		--p2p-port) P2P_PORT=$2; shift 2 ;;
		--rpc-port) RPC_PORT=$2; shift 2 ;;
		--prometheus-port) PROM_PORT=$2; shift 2 ;;
		--fresh) fresh=1; shift ;;
		--) shift; EXTRA_ARGS=("$@"); break ;;
		*) die "start: unknown option $1" ;;
		esac
	done
	((NODES >= 3)) || die "--nodes must be at least 3"
	((MINERS >= 2 && MINERS <= NODES)) || die "--miners must be between 2 and --nodes"
	BIN=$(node_bin)
	[[ -x $BIN ]] || die "gpow-node not found at $BIN (bash scripts/build.sh, or set GPOW_NODE)"
	mkdir -p "$DIR"
	local i
	for ((i = 0; i < NODES; i++)); do
		alive "$i" 2>/dev/null && die "node $i of $DIR is still running: scripts/net.sh --dir $DIR down"
	done
	if ((fresh)); then
		for ((i = 0; i < NODES; i++)); do rm -rf "$DIR/node$i"; done
	fi
	rm -f "$DIR/partition"
	# Dev accounts //Alice, //Bob, ... unless --authors names others.
	local dev=(5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty
		5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y 5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy
		5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw 5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL)
	if [[ -n $authors ]]; then IFS=, read -r -a AUTHORS <<<"$authors"; else AUTHORS=("${dev[@]}"); fi
	((${#AUTHORS[@]} >= MINERS)) || die "$MINERS miners need $MINERS authors (--authors A,B,...)"
	PEER_IDS=()
	for ((i = 0; i < NODES; i++)); do
		PEER_IDS+=("$(printf %s "$(node_key "$i")" | "$BIN" key inspect-node-key 2>/dev/null)")
		[[ ${PEER_IDS[$i]} == 12D3KooW* ]] || die "could not derive the peer id of node $i"
	done
	# Global declarations, as load_state sources them inside a function.
	declare -p NODES MINERS THREADS P2P_PORT RPC_PORT PROM_PORT BIN CHAIN_ARGS EXTRA_ARGS AUTHORS PEER_IDS |
		sed 's/^declare -\([a-z]*\)/declare -g\1/; s/^declare -g-/declare -g/' >"$DIR/net.env"
	echo "network of $NODES nodes ($MINERS mining) in $DIR, chain: ${CHAIN_ARGS[*]}"
	for ((i = 0; i < NODES; i++)); do launch "$i"; done
	for ((i = 0; i < NODES; i++)); do wait_rpc "$i"; done
	echo "all nodes answer RPC; scripts/net.sh --dir $DIR status"
}

cmd_status() {
	local i
	printf '%-5s %-8s %-9s %-24s %-24s %-6s %s\n' node pid role best finalized peers 'connected to'
	for ((i = 0; i < NODES; i++)); do
		local port role pid best='-' fin='-' peers='-' names=''
		port=$(rpc_port "$i")
		role=$( ((i < MINERS)) && echo miner || echo full)
		pid=$(pid_of "$i")
		if alive "$i"; then
			local head fhash fhead health plist
			local bhash
			bhash=$(json_str "$(rpc "$port" chain_getBlockHash)" result)
			if [[ -n $bhash ]]; then
				head=$(rpc "$port" chain_getHeader "[\"$bhash\"]")
				best="#$(($(json_str "$head" number))) ${bhash:0:10}"
				fhash=$(json_str "$(rpc "$port" chain_getFinalizedHead)" result)
				fhead=$(rpc "$port" chain_getHeader "[\"$fhash\"]")
				fin="#$(($(json_str "$fhead" number))) ${fhash:0:10}"
				health=$(rpc "$port" system_health)
				peers=$(sed -n 's/.*"peers":\([0-9]*\).*/\1/p' <<<"$health")
				plist=$(rpc "$port" system_peers)
				local j
				for ((j = 0; j < NODES; j++)); do
					[[ $plist == *"${PEER_IDS[$j]}"* ]] && names+="$j "
				done
			else
				best='(no RPC answer)'
			fi
		else
			pid='down'
		fi
		printf '%-5s %-8s %-9s %-24s %-24s %-6s %s\n' "$i" "$pid" "$role" "$best" "$fin" "$peers" "${names:--}"
	done
	[[ -f $DIR/partition ]] && {
		local a b
		{ read -r a; read -r b; } <"$DIR/partition"
		echo "partitioned: {$a} | {$b}"
	}
	return 0
}

# Sets the links between the groups: remove (partition) or add (heal) reserved peers on both sides.
link_groups() {
	local op=$1 a=$2 b=$3 i j
	local -a ga gb
	IFS=, read -r -a ga <<<"$a"
	IFS=, read -r -a gb <<<"$b"
	for i in "${ga[@]}"; do
		for j in "${gb[@]}"; do
			for pair in "$i $j" "$j $i"; do
				read -r x y <<<"$pair"
				alive "$x" || continue
				local param ans
				if [[ $op == remove ]]; then param="[\"${PEER_IDS[$y]}\"]"; else param="[\"$(multiaddr "$y")\"]"; fi
				ans=$(rpc "$(rpc_port "$x")" "system_${op}ReservedPeer" "$param")
				[[ $ans == *'"result"'* ]] || echo "node $x: system_${op}ReservedPeer of node $y: ${ans:-no answer}" >&2
			done
		done
	done
}

cmd_partition() {
	(($# == 2)) || die "usage: partition <group A> <group B>, groups as comma lists of node indexes (e.g. 0 1,2)"
	local x
	for x in ${1//,/ } ${2//,/ }; do check_index "$x"; done
	[[ -f $DIR/partition ]] && die "already partitioned ($(tr '\n' '|' <"$DIR/partition")); heal first"
	printf '%s\n%s\n' "$1" "$2" >"$DIR/partition"
	link_groups remove "$1" "$2"
	echo "partitioned {$1} | {$2}: reserved peers removed on both sides"
}

cmd_heal() {
	local i j others a b
	if [[ -f $DIR/partition ]]; then
		# The links the partition cut.
		{ read -r a; read -r b; } <"$DIR/partition"
		rm -f "$DIR/partition"
		link_groups add "$a" "$b"
		echo "healed {$a} | {$b}: reserved peers added back on both sides"
		return 0
	fi
	# No partition on record: make sure every node has every other.
	for ((i = 0; i < NODES; i++)); do
		others=''
		for ((j = i + 1; j < NODES; j++)); do others+="${others:+,}$j"; done
		[[ -n $others ]] && link_groups add "$i" "$others"
	done
	echo "every node has every other as a reserved peer"
}

main() {
	while (($#)); do
		case $1 in
		--dir) DIR=$2; shift 2 ;;
		--dir=*) DIR=${1#--dir=}; shift ;;
		*) break ;;
		esac
	done
	local opts=()
	# `start` options may come before the command too: net.sh --nodes 4 start
	while (($#)) && [[ $1 == -* ]]; do
		case $1 in
		-h | --help) break ;;
		--fresh) opts+=("$1"); shift ;;
		--) opts+=("$@"); set --; break ;;
		*)
			(($# >= 2)) || die "option $1 needs a value"
			opts+=("$1" "$2")
			shift 2
			;;
		esac
	done
	local cmd=${1:-}
	shift || true
	case $cmd in
	start) cmd_start "${opts[@]}" "$@" ;;
	status) load_state; cmd_status ;;
	partition) load_state; cmd_partition "$@" ;;
	heal) load_state; cmd_heal ;;
	stop) load_state; check_index "${1:-}"; stop_node "$1" INT ;;
	kill) load_state; check_index "${1:-}"; stop_node "$1" KILL ;;
	restart)
		load_state
		check_index "${1:-}"
		alive "$1" && stop_node "$1" INT
		launch "$1"
		wait_rpc "$1"
		;;
	down)
		load_state
		local i
		for ((i = 0; i < NODES; i++)); do stop_node "$i" INT; done
		;;
	logs) load_state; check_index "${1:-}"; echo "$DIR/node$1.log" ;;
	'' | -h | --help | help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' ;;
	*) die "unknown command '$cmd' (start, status, partition, heal, stop, kill, restart, down, logs)" ;;
	esac
}

main "$@"
