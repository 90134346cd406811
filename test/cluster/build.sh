#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-scheduler and etcd from
# the Go modules pinned in go.mod, into a cache directory outside the clone
# keyed by the hash of go.mod, go.sum and the Go version. Only the binaries
# missing from that directory are built, so adding one (kube-scheduler came
# later) does not rebuild the others; a warm cache makes this a no-op.
# kwok has its own module and cache: test/kwok/build.sh.
# Prints the binary directory of the control plane on its last line.
set -euo pipefail
cd "$(dirname "$0")"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
command -v go >/dev/null || { echo "test cluster: Go is not installed (needed to build kube-apiserver)" >&2; exit 1; }
K8S_VERSION=$(go list -m -f '{{.Version}}' k8s.io/kubernetes)
KEY=$( (cat go.mod go.sum; go version) | sha256sum | cut -c1-16)
BIN="${XDG_CACHE_HOME:-$HOME/.cache}/tc/$KEY"
missing=()
for cmd in kube-apiserver kube-controller-manager kube-scheduler etcd; do
  [[ -x "$BIN/$cmd" ]] || missing+=("$cmd")
done
if (( ${#missing[@]} == 0 )); then
  echo "test cluster: binaries cached in $BIN" >&2
  echo "$BIN"; exit 0
fi
mkdir -p "$BIN"
MINOR=$(echo "$K8S_VERSION" | cut -d. -f2)
LDFLAGS="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$MINOR"
start=$(date +%s)
for cmd in "${missing[@]}"; do
  echo "test cluster: building $cmd (cold builds of the kube binaries take 5-30 min on 2 cores)..." >&2
  # Each binary goes to a temp name first and is renamed when complete: an
  # interrupted build leaves no half-written executable that looks cached.
  if [[ $cmd == etcd ]]; then
    go build -ldflags "-s -w" -o "$BIN/.$cmd.tmp" go.etcd.io/etcd/server/v3
  else
    go build -ldflags "$LDFLAGS" -o "$BIN/.$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd"
  fi
  mv "$BIN/.$cmd.tmp" "$BIN/$cmd"
  echo "test cluster: $cmd built after $(( $(date +%s) - start ))s" >&2
done
echo "test cluster: built ${missing[*]} in $(( $(date +%s) - start ))s into $BIN" >&2
echo "$BIN"
