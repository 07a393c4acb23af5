# Shared settings of the project's scripts; sourced, not run.
# One target directory for the developer, the scripts and CI, so nothing compiles twice.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gpow/target}"
# The node binary every script and test runs.
export GPOW_NODE="${GPOW_NODE:-$CARGO_TARGET_DIR/release/gpow-node}"
GPOW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export GPOW_ROOT
