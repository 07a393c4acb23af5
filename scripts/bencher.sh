#!/usr/bin/env bash
# Installs frame-omni-bencher, polkadot-sdk's standalone benchmark runner, at the version of the
# project's release line (stable2609: 0.28.0), into $HOME/.cache/gpow/tools/bin, and prints its
# path. Cached: a second run installs nothing. Kept out of the default build and of CI: the bencher
# pulls sc-cli with RocksDB (libclang, a long C++ build) and frame-benchmarking-cli, about
# 30 minutes cold on 2 cores.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

version=0.28.0
root="$HOME/.cache/gpow/tools"
bin="$root/bin/frame-omni-bencher"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q " $version"; then
	echo "$bin"
	exit 0
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# RocksDB (a default feature of the bencher's sc-cli) is compiled with bindgen: it needs libclang.
if ! ls /usr/lib/llvm-*/lib/libclang.so* /usr/lib/x86_64-linux-gnu/libclang-*.so* >/dev/null 2>&1; then
	echo "==> installing libclang-dev clang (apt), for RocksDB's bindings" >&2
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libclang-dev clang >&2 ||
		{ as_root apt-get update >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libclang-dev clang >&2; }
fi
echo "==> cargo install frame-omni-bencher $version (about 30 minutes the first time)" >&2
# Its own target directory: the bencher's lock file differs from the workspace's, and keeping
# the build lets a later version reuse most of it.
CARGO_TARGET_DIR="$HOME/.cache/gpow/bencher-target" \
	cargo install --locked --quiet frame-omni-bencher --version "$version" --root "$root" >&2
echo "$bin"
