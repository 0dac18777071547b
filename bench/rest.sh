#!/usr/bin/env bash
# REST throughput: starts Ariel on the conformance configuration and runs the
# shared benchmark's `rest` test (wrk, keep-alive GET /ari/asterisk/info, 1 and
# 16 connections). Prints the figures; the reference's are in
# ../shared/bench/reference-asterisk/rest.json.
#
#   bash bench/rest.sh [--seconds 10]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/../shared/bench"
[ -x "$BENCH/run-bench" ] || { echo "needs ../shared/bench" >&2; exit 2; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 2; }

WORK="$(mktemp -d)"
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp "$ROOT/../shared/conformance/config/"*.conf "$WORK/"
mkdir -p "$WORK/state"
printf '[directories]\nastdatadir => /usr/share/asterisk\nastdbdir => %s\nastspooldir => %s\nastlogdir => %s\n' \
    "$WORK/state" "$WORK/state" "$WORK/state" > "$WORK/asterisk.conf"

"$ROOT/.venv/bin/ariel" run -C "$WORK" >"$WORK/ariel.log" 2>&1 &
PID=$!
for _ in $(seq 50); do
    curl -sf -u asterisk:whateveryoudodontusethispassword \
        http://127.0.0.1:8088/ari/asterisk/ping >/dev/null && break
    sleep 0.2
done
"$BENCH/run-bench" --server-pid "$PID" --out "$WORK/rest.json" rest "${@:---seconds 10}"
