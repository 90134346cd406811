#!/usr/bin/env bash
# Builds the Jaeger binary (cmd/jaeger, the OTel-collector based all-in-one
# that receives OTLP and serves the query API) from the version pinned in
# go.mod, into a cache directory outside the clone keyed by the hash of
# go.mod, go.sum and the Go version. A warm cache makes this a no-op.
# Prints the binary path on its last line.
set -euo pipefail
cd "$(dirname "$0")"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
command -v go >/dev/null || { echo "jaeger: Go is not installed (needed to build Jaeger)" >&2; exit 1; }
VERSION=$(go list -m -f '{{.Version}}' github.com/jaegertracing/jaeger)
KEY=$( (cat go.mod go.sum; go version) | sha256sum | cut -c1-16)
BIN="${XDG_CACHE_HOME:-$HOME/.cache}/jaeger/$KEY"
if [[ -x "$BIN/jaeger" ]]; then
  echo "jaeger: binary cached in $BIN" >&2
  echo "$BIN/jaeger"; exit 0
fi
mkdir -p "$BIN.tmp"
start=$(date +%s)
echo "jaeger: building cmd/jaeger $VERSION (a cold build takes several minutes on 2 cores)..." >&2
go build -ldflags "-s -w" -o "$BIN.tmp/jaeger" github.com/jaegertracing/jaeger/cmd/jaeger
rm -rf "$BIN"; mv "$BIN.tmp" "$BIN"
echo "jaeger: built in $(( $(date +%s) - start ))s into $BIN" >&2
echo "$BIN/jaeger"
