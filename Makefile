# One entry point per job. `make help` lists them.
SHELL := /bin/bash
NODE_MODULES := node_modules/.package-lock.json

.PHONY: help build lint format test test-deps test-gateway test-operator test-node24 demo bench reliability cluster jaeger openshift-types templates bundle crds policy-types clean

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(NODE_MODULES): package.json package-lock.json
	npm ci

build: $(NODE_MODULES) ## compile TypeScript into dist/
	npm run build

test-deps: ## install missing system tools the tests start (redis, sentinel, nginx, openssl, wrk, mariadb, postgresql; needs Go)
	bash scripts/install-test-deps.sh

test: test-deps build lint cluster jaeger ## run every test (starts real Redis, Sentinel, nginx, Jaeger and the test cluster)
	npx mocha 'dist/**/*.test.js'

lint: $(NODE_MODULES) ## the lint and format gate: typescript-eslint strict type-checked rules and prettier
	npx eslint .
	npx prettier --check .

format: $(NODE_MODULES) ## rewrite code in prettier's layout, apply eslint's fixes
	npx prettier --write .
	npx eslint . --fix

test-gateway: build jaeger ## only the gateway's tests
	npx mocha 'dist/gateway/**/*.test.js'

test-operator: test-deps build cluster ## only the operator's and the test cluster's tests
	npx mocha 'dist/operator/**/*.test.js' 'dist/test/**/*.test.js'

test-node24: test-deps build cluster jaeger ## the same tests on Node 24, the runtime the images ship (installed from npm into ~/.cache)
	PATH="$$(dirname "$$(bash scripts/node24.sh | tail -1)"):$$PATH" npx mocha 'dist/**/*.test.js'

demo: build ## the newcomer's first run: the gateway on the example config, one request through it
	node scripts/demo.mjs

bench: build jaeger ## benchmarks that print figures
	node dist/bench/run.js

reliability: build ## bad input tried against the gateway: crashes, hangs, leaks (all 0), reload figures
	node -e "import('./dist/bench/reliability/run.js').then((m) => m.run())"

cluster: ## build kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kwok, OLM (olm, catalog) and opm (cached outside the clone)
	bash test/cluster/build.sh
	bash test/kwok/build.sh
	bash test/olm/olm/build.sh
	bash test/olm/opm/build.sh

jaeger: ## build Jaeger v1.75.0 for the tracing tests and bench (cached in ~/.cache/jaeger)
	bash test/jaeger/build.sh

openshift-types: build ## regenerate operator/src/openshift/generated.ts from the stand-in CRDs
	node dist/test/cluster/openshift-types/cli.js

templates: build ## regenerate templates/*.yml from the operator's builders
	node bin/threescale-operator.js templates --out templates

crds: build ## regenerate crds/*.yaml from the CR schemas
	node bin/threescale-operator.js crds --out crds

policy-types: build ## regenerate gateway/policies/*/config.generated.ts from the policy manifests
	node dist/gateway/policies/generate-config-types.js

bundle: build ## regenerate the OLM bundle and the plain install manifests
	node bin/threescale-operator.js bundle --out manifests
	node bin/threescale-operator.js deploy-manifests --out manifests/deploy

clean:
	rm -rf dist coverage
