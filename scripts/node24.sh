#!/usr/bin/env bash
# Installs Node 24 (the runtime the images ship) from the npm registry into a
# cache outside the clone, and prints the path of its `node` binary. The
# machines run Node 20; the second test leg runs on this one.
set -euo pipefail
DIR="${XDG_CACHE_HOME:-$HOME/.cache}/threescale-ts/node24"
if [[ ! -x "$DIR/node_modules/node/bin/node" ]]; then
  mkdir -p "$DIR"
  npm install --prefix "$DIR" --no-audit --no-fund --silent node@24 >&2
fi
BIN=$(readlink -f "$DIR/node_modules/.bin/node")
"$BIN" --version >&2
echo "$BIN"
