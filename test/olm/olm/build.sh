#!/usr/bin/env bash
# Builds OLM's two operators (cmd/olm: OLM operator, installs CSVs; cmd/catalog:
# catalog operator, resolves Subscriptions into InstallPlans) from the version
# pinned in go.mod, into a cache directory outside the clone keyed by the hash
# of go.mod, go.sum and the Go version; a warm cache makes this a no-op.
# Its own module, apart from opm's (../opm): OLM v0.31.0 pins k8s.io 0.32.0 and
# controller-runtime 0.19, operator-registry v1.55.0 wants 0.20, and neither
# builds against the other's. Also writes OLM's CRDs (deploy/chart/crds of the
# module, read from the module cache, not copied into the repository) into
# $BIN/crds. Prints the binary directory on its last line.
set -euo pipefail
cd "$(dirname "$0")"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
command -v go >/dev/null || { echo "olm: Go is not installed (needed to build OLM)" >&2; exit 1; }
MOD=github.com/operator-framework/operator-lifecycle-manager
VERSION=$(go list -m -f '{{.Version}}' "$MOD")
KEY=$( (cat go.mod go.sum; go version) | sha256sum | cut -c1-16)
BIN="${XDG_CACHE_HOME:-$HOME/.cache}/olm/$KEY"
if [[ -x "$BIN/olm" && -x "$BIN/catalog" && -d "$BIN/crds" ]]; then
  echo "olm: binaries cached in $BIN" >&2
  echo "$BIN"; exit 0
fi
rm -rf "$BIN.tmp"; mkdir -p "$BIN.tmp/crds"
for cmd in olm catalog; do
  start=$(date +%s)
  echo "olm: building cmd/$cmd $VERSION (a cold build takes minutes on 2 cores)..." >&2
  go build -ldflags "-s -w" -o "$BIN.tmp/$cmd" "$MOD/cmd/$cmd"
  echo "olm: cmd/$cmd built in $(( $(date +%s) - start ))s" >&2
done
DIR=$(go list -m -f '{{.Dir}}' "$MOD")
cp "$DIR"/deploy/chart/crds/*.yaml "$BIN.tmp/crds/"
chmod u+w "$BIN.tmp/crds/"*.yaml
rm -rf "$BIN"; mv "$BIN.tmp" "$BIN"
echo "olm: built into $BIN" >&2
echo "$BIN"
