#!/usr/bin/env bash
# The main job, end to end: what is installed, then bytes through a TCP -> Unix relay.
#
#   tools/demo.sh [VENV_BIN]     (./dev demo runs it after setting up .venv)
set -euo pipefail
BIN=${1:-$(dirname "$(readlink -f "$0")")/../.venv/bin}
SOCKCORE=$BIN/sockcore
WORK=$(mktemp -d /tmp/sockcore-demo.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
step() { printf '\n$ %s\n' "$*"; }

step sockcore families
"$SOCKCORE" families

PORT=$("$BIN/python" -c 'import sockcore as s; x = s.socket(); x.bind(("127.0.0.1", 0)); print(x.getsockname()[1]); x.close()')
UNIX=$WORK/echo.sock

step sockcore listen "unix:$UNIX" --echo -v "&"
"$SOCKCORE" listen "unix:$UNIX" --echo -v &
PIDS+=($!)
step sockcore relay "tcp://127.0.0.1:$PORT" "unix:$UNIX" -v "&"
for _ in $(seq 50); do [ -S "$UNIX" ] && break; sleep 0.1; done
"$SOCKCORE" relay "tcp://127.0.0.1:$PORT" "unix:$UNIX" -v &
PIDS+=($!)
"$BIN/python" - "$PORT" <<'PY'
import sys, time, sockcore
for _ in range(50):  # wait for the relay to listen
    with sockcore.socket() as s:
        if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0:
            break
    time.sleep(0.1)
PY

step "echo 'hello through tcp -> unix and back' | sockcore connect tcp://127.0.0.1:$PORT -t 5 -i 1"
echo "hello through tcp -> unix and back" | "$SOCKCORE" connect "tcp://127.0.0.1:$PORT" -t 5 -i 1

step "head -c 64M /dev/zero | sockcore connect tcp://127.0.0.1:$PORT -s -i 1 | wc -c"
head -c 64M /dev/zero | "$SOCKCORE" connect "tcp://127.0.0.1:$PORT" -s -i 1 | wc -c
