# Hearth. `make demo` runs the main job on embedded defaults; `make test` runs the tests.
# Both install what is missing first: a Node 24 when the machine's is older than 22.12, the npm
# packages (native modules built for that Node), the build, and Chromium.
SHELL := /bin/bash

# The Node that builds and runs everything (scripts/node.sh says how it is chosen). Its folder goes
# first on PATH so npm, npx and node-gyp use it too; its own headers build the native modules.
NODE := $(shell sh scripts/node.sh)
ifeq ($(NODE),)
$(error no usable Node: see the message above)
endif
NODE_PREFIX := $(abspath $(dir $(NODE))..)
NODE_VERSION := $(shell $(NODE) -p process.versions.node)
export PATH := $(dir $(NODE)):$(PATH)
ifneq ($(wildcard $(NODE_PREFIX)/include/node/node.h),)
export npm_config_nodedir := $(NODE_PREFIX)
endif

# The install stamp names the Node it was built for: another Node means another install.
STAMP := node_modules/.installed-node-$(NODE_VERSION)

.PHONY: demo test build lint typecheck format bench docs deps chromium clean conformance node

node:
	@echo "$(NODE) (Node $(NODE_VERSION))"

# npm ci's postinstall records which Node installed node_modules; it is run again here for an npm
# configured with ignore-scripts, because the launcher and the client snippets rely on the record.
$(STAMP): package.json package-lock.json
	rm -f node_modules/.installed-node-*
	npm ci --no-audit --no-fund
	$(NODE) scripts/record-runtime.mjs
	@touch $(STAMP)

deps: $(STAMP)

build: deps
	npm run build

chromium: build
	@$(NODE) scripts/ensure-chromium.mjs

demo: build chromium
	$(NODE) --no-node-snapshot bin/hearth.js demo

test: build chromium
	npx tsc -p tsconfig.json --noEmit
	npx eslint .
	npx prettier --check --log-level warn .
	npx vitest run

lint: deps
	npx eslint .
	npx prettier --check --log-level warn .

format: deps
	npx eslint --fix .
	npx prettier --write --log-level warn .

typecheck: deps
	npx tsc -p tsconfig.json --noEmit

bench: build chromium
	npm run bench

docs: deps
	npm run docs

conformance: build
	$(NODE) scripts/conformance.mjs

clean:
	rm -rf dist .hearth-demo
