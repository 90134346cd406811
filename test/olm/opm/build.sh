#!/usr/bin/env bash
# Builds opm (operator-registry's CLI: `opm render` turns a bundle directory
# into a file-based catalog, `opm serve` serves one over gRPC as a catalog
# source) from the version pinned in go.mod, into a cache directory outside the
# clone keyed by the hash of go.mod, go.sum and the Go version; a warm cache
# makes this a no-op. Its own module, apart from OLM's (../olm): see there.
# Tags as upstream's Makefile: json1 (sqlite JSON), containers_image_openpgp
# (signature checks in Go instead of cgo gpgme). CGO_ENABLED=0: mattn/go-sqlite3
# then builds as a stub that fails at run time, which only the deprecated
# sqlite catalogs need; render and serve of file-based catalogs are pure Go.
# Prints the binary directory on its last line.
set -euo pipefail
cd "$(dirname "$0")"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
command -v go >/dev/null || { echo "opm: Go is not installed (needed to build opm)" >&2; exit 1; }
MOD=github.com/operator-framework/operator-registry
VERSION=$(go list -m -f '{{.Version}}' "$MOD")
KEY=$( (cat go.mod go.sum; go version) | sha256sum | cut -c1-16)
BIN="${XDG_CACHE_HOME:-$HOME/.cache}/opm/$KEY"
if [[ -x "$BIN/opm" ]]; then
  echo "opm: binary cached in $BIN" >&2
  echo "$BIN"; exit 0
fi
rm -rf "$BIN.tmp"; mkdir -p "$BIN.tmp"
start=$(date +%s)
echo "opm: building cmd/opm $VERSION (a cold build takes minutes on 2 cores)..." >&2
go build -tags json1,containers_image_openpgp -ldflags "-s -w -X $MOD/cmd/opm/version.gitCommit=$VERSION -X $MOD/cmd/opm/version.opmVersion=$VERSION" -o "$BIN.tmp/opm" "$MOD/cmd/opm"
rm -rf "$BIN"; mv "$BIN.tmp" "$BIN"
echo "opm: built in $(( $(date +%s) - start ))s into $BIN" >&2
echo "$BIN"
