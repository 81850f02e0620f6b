# The two commands of the README:
#   make run    corpus → graph → Neo4j (fetched and started here) → the API on 127.0.0.1:8000
#   make test   the whole test suite (lint, types, unit, integration, end-to-end, notebooks)
.PHONY: run test setup setup-test

run: setup
	python3 -m uv run --frozen policykg up

test: setup-test
	scripts/test

setup:
	scripts/bootstrap

setup-test:
	scripts/bootstrap --test
