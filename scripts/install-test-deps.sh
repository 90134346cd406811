#!/usr/bin/env bash
# Installs the system tools the test suite starts for real (Redis, Redis
# Sentinel, nginx, openssl, wrk, MariaDB and PostgreSQL for the operator's
# preflight probes) when any is missing, then checks Go, which
# test/cluster/build.sh needs to build the test cluster. Does nothing when
# everything is on the PATH, so `make test` can depend on it cheaply.
set -euo pipefail

missing=()
for cmd in redis-server redis-sentinel nginx openssl wrk; do
  command -v "$cmd" >/dev/null || missing+=("$cmd")
done
# The database servers live outside the PATH: /usr/sbin/mariadbd (or mysqld) with mariadb-install-db, and
# /usr/lib/postgresql/<version>/bin/{initdb,postgres} (test/support/databases.ts looks there).
{ [[ -x /usr/sbin/mariadbd || -x /usr/sbin/mysqld ]] && command -v mariadb-install-db >/dev/null; } || missing+=(mariadb-server)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null && compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)

if (( ${#missing[@]} )); then
  echo "install-test-deps: missing ${missing[*]}; installing Debian packages"
  # Root installs directly; otherwise sudo if it exists, else we cannot install.
  if (( EUID == 0 )); then as_root=();
  elif command -v sudo >/dev/null; then as_root=(sudo);
  else echo "install-test-deps: not root and no sudo: install redis-server redis-sentinel nginx-light openssl wrk mariadb-server postgresql yourself" >&2; exit 1; fi
  command -v apt-get >/dev/null || { echo "install-test-deps: no apt-get: install ${missing[*]} yourself" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  # Only install the packages; the test servers are private instances (the packages' own services stay unused).
  "${as_root[@]}" apt-get install -y -qq redis-server redis-sentinel nginx-light openssl wrk mariadb-server postgresql >/dev/null
fi

command -v go >/dev/null || { echo "install-test-deps: Go is required to build the test cluster (kube-apiserver from Go modules) and Jaeger (test/jaeger/build.sh)" >&2; exit 1; }
