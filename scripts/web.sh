#!/usr/bin/env bash
# Serves the GPoW web dapp (web/) in one command: installs web/'s npm packages when they are
# missing or older than its package-lock.json (npm ci), bundles the page with esbuild and serves
# it with a small Node.js server. Nothing is downloaded when the page runs.
#
#   bash scripts/web.sh [--port 8080] [--node ws://127.0.0.1:9944] [--host 127.0.0.1]
#   bash scripts/web.sh --build-only      # install and bundle into web/dist, do not serve
#
# --node is the node the page connects to first; the page lets the user change it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

port=8080
node_url=ws://127.0.0.1:9944
host=127.0.0.1
build_only=
while [ $# -gt 0 ]; do
	case "$1" in
	--port) port="$2"; shift 2 ;;
	--node) node_url="$2"; shift 2 ;;
	--host) host="$2"; shift 2 ;;
	--build-only) build_only=1; shift ;;
	*) echo "web.sh: unknown argument $1 (see the comment at the top of scripts/web.sh)" >&2; exit 2 ;;
	esac
done

command -v npm >/dev/null || { echo "web.sh: Node.js and npm are missing: run bash scripts/setup.sh" >&2; exit 1; }
cd "$GPOW_ROOT/web"
# @gpow/api (file:../js) is installed as a copy (web/.npmrc install-links), so a change to js/
# means a fresh install too.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] ||
	[ -n "$(find ../js/package.json ../js/src -newer node_modules/.package-lock.json -print -quit)" ]; then
	echo "==> npm ci (web/)"
	npm ci --no-audit --no-fund
fi
node build.mjs
[ -n "$build_only" ] && exit 0
exec node server.mjs --port "$port" --host "$host" --node "$node_url"
