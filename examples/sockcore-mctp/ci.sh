#!/bin/sh
# What CI runs for sockcore-mctp: lint, types, the generated constant table, the tests.
set -eu
cd "$(dirname "$0")"
ruff check .
mypy --strict src tests
# the table covers every Linux ABI the core has one for (Debian's cross compilers)
targets=""
for t in x86_64-linux-gnu i686-linux-gnu aarch64-linux-gnu arm-linux-gnueabihf s390x-linux-gnu mips64el-linux-gnuabi64; do
    targets="$targets --target $t"
done
# shellcheck disable=SC2086
sockcore gen-constants constants.toml --out src/sockcore_mctp/_constants $targets --check --strict
pytest
