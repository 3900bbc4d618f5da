#!/bin/sh
# What CI runs for sockcore-mctp: lint, types, the generated constant table, the tests.
set -eu
cd "$(dirname "$0")"
ruff check .
mypy --strict src tests
sockcore gen-constants constants.toml --out src/sockcore_mctp/_constants --check --strict
pytest
