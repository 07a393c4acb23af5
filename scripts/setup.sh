#!/usr/bin/env bash
# Installs what building and testing GPoW needs and is missing: protoc (Debian's
# protobuf-compiler, for litep2p), the wasm32v1-none Rust target and rust-src (for the runtime),
# Node.js and npm (Debian), chromium (Debian, for the web dapp's browser test) and the npm
# packages of js/ and of the end-to-end tests. Safe to run again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
	echo "==> installing $* (apt)"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" ||
		{ as_root apt-get update && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; }
}

command -v protoc >/dev/null || apt_install protobuf-compiler
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
# Debian's chromium, which tests/web.test.mjs drives with puppeteer-core (it never downloads a browser).
[ -x /usr/bin/chromium ] || [ -n "${CHROMIUM:-}" ] || apt_install chromium

if ! rustup target list --installed | grep -qx wasm32v1-none; then
	echo "==> rustup target add wasm32v1-none"
	rustup target add wasm32v1-none
fi
if ! rustup component list --installed | grep -q '^rust-src'; then
	echo "==> rustup component add rust-src"
	rustup component add rust-src
fi

# js/ (the @gpow/api package) has its own install for its type-check and examples; tests/
# installs a copy of it (tests/.npmrc), so a change to js/ means a fresh copy.
if [ ! -d "$GPOW_ROOT/js/node_modules" ] ||
	[ "$GPOW_ROOT/js/package-lock.json" -nt "$GPOW_ROOT/js/node_modules/.package-lock.json" ]; then
	echo "==> npm ci (js/)"
	(cd "$GPOW_ROOT/js" && npm ci --no-audit --no-fund)
fi
if [ ! -d "$GPOW_ROOT/tests/node_modules" ] ||
	[ "$GPOW_ROOT/tests/package-lock.json" -nt "$GPOW_ROOT/tests/node_modules/.package-lock.json" ] ||
	[ -n "$(find "$GPOW_ROOT/js/package.json" "$GPOW_ROOT/js/src" -newer "$GPOW_ROOT/tests/node_modules/.package-lock.json" -print -quit)" ]; then
	echo "==> npm ci (tests/)"
	(cd "$GPOW_ROOT/tests" && npm ci --no-audit --no-fund)
fi
echo "==> setup complete"
