#!/usr/bin/env bash
# Builds kwok's controller (sigs.k8s.io/kwok/cmd/kwok, the simulator of nodes
# and pod lifecycles that stands where kubelets would) from the version pinned
# in go.mod, into a cache directory outside the clone keyed by the hash of
# go.mod, go.sum and the Go version. A warm cache makes this a no-op.
# Its own module rather than test/cluster's: adding kwok there would change
# that module's go.sum, hence its cache key, and force a cold rebuild of
# kube-apiserver and the rest. Prints the binary directory on its last line.
set -euo pipefail
cd "$(dirname "$0")"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
command -v go >/dev/null || { echo "kwok: Go is not installed (needed to build kwok)" >&2; exit 1; }
VERSION=$(go list -m -f '{{.Version}}' sigs.k8s.io/kwok)
KEY=$( (cat go.mod go.sum; go version) | sha256sum | cut -c1-16)
BIN="${XDG_CACHE_HOME:-$HOME/.cache}/kwok/$KEY"
if [[ -x "$BIN/kwok" ]]; then
  echo "kwok: binary cached in $BIN" >&2
  echo "$BIN"; exit 0
fi
mkdir -p "$BIN.tmp"
start=$(date +%s)
echo "kwok: building cmd/kwok $VERSION (a cold build takes a few minutes on 2 cores)..." >&2
go build -ldflags "-s -w" -o "$BIN.tmp/kwok" sigs.k8s.io/kwok/cmd/kwok
rm -rf "$BIN"; mv "$BIN.tmp" "$BIN"
echo "kwok: built in $(( $(date +%s) - start ))s into $BIN" >&2
echo "$BIN"
