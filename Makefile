# Hearth. `make demo` runs the main job on embedded defaults; `make test` runs the tests.
# Both install what is missing first: npm packages, the build, and Chromium.
SHELL := /bin/bash
NODE ?= node
STAMP := node_modules/.package-lock.json

.PHONY: demo test build lint typecheck bench docs deps chromium clean conformance

$(STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
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
	npx vitest run

lint: deps
	npx eslint .

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
