#!/usr/bin/env bash
# The live hostile-input run (docs/operations-hostile.md) against a fresh relay: bench/hostile.js
# (50 hostile connections, frames up to --max-chars, 10 well-behaved peers in a process of their
# own), /ready probed every 2 s (5 s timeout) meanwhile, and the relay's peak RSS (VmHWM), the
# direct-memory failures in its log and the messages it refused for size counted at the end.
#
#   bench/hostile.sh [--relay jgun|gun] [-s SECONDS] [--max-chars N] [--max-memory 256m] [-o OUT.jsonl]
#                    [--good-same-process]
#
# --good-same-process: the well-behaved peers share the hostile load's process (as runs before
# 2026-12-08 did); their puts then wait behind its frame making, so their figures are the tool's.
# Defaults: jgun with --max-memory 256m (RocksDB, SYNC), 120 s, frames up to 2,000,000 characters,
# seed 42. Prints hostile.js's JSON line and a second line with the relay-side counts; both are
# appended to OUT (default bench/results/hostile-<relay>-<time>.jsonl).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KIND=jgun
SECS=120
MAX_CHARS=2000000
BUDGET=256m
OUT=""
SAME=0
while [ $# -gt 0 ]; do
  case "$1" in
    --relay) KIND="$2"; shift 2 ;;
    -s) SECS="$2"; shift 2 ;;
    --max-chars) MAX_CHARS="$2"; shift 2 ;;
    --max-memory) BUDGET="$2"; shift 2 ;;
    -o) OUT="$2"; shift 2 ;;
    --good-same-process) SAME=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
case "$KIND" in jgun|gun) ;; *) echo "--relay: jgun or gun" >&2; exit 2 ;; esac

bench_prepare
[ -n "$OUT" ] || OUT="$BENCH_ROOT/bench/results/hostile-$KIND-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
mkdir -p "$(dirname "$OUT")"
if [ "$KIND" = jgun ]; then
  relay_start jgun --max-memory "$BUDGET"
else
  relay_start gun
fi

# /ready every 2 s, 5 s timeout, until the run ends: answered 200, timed out, anything else.
probe() {
  local ok=0 late=0 other=0 code
  while [ ! -f "$BENCH_TMP/done" ] && kill -0 "$RELAY_PID" 2>/dev/null; do
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$RELAY_PORT/ready" || true)
    case "$code" in 200) ok=$((ok + 1)) ;; 000) late=$((late + 1)) ;; *) other=$((other + 1)) ;; esac
    printf '{"ready200":%s,"readyTimedOut":%s,"readyOther":%s}' "$ok" "$late" "$other" >"$BENCH_TMP/ready"
    sleep 2
  done
}
probe &
PROBE=$!
bench_log "$KIND: hostile.js for $SECS s, frames up to $MAX_CHARS characters; load average $(cut -d' ' -f1-3 /proc/loadavg)"
node "$BENCH_ROOT/bench/hostile.js" --port "$RELAY_PORT" --pid "$RELAY_PID" --seed 42 --max-seconds "$SECS" --max-chars "$MAX_CHARS" --same-process "$SAME" | tee -a "$OUT"
touch "$BENCH_TMP/done"
wait "$PROBE" 2>/dev/null || true
alive=false
kill -0 "$RELAY_PID" 2>/dev/null && alive=true
printf '{"relay":"%s","maxMemory":"%s","alive":%s,"vmHwmKb":%s,"ready":%s,"directOoms":%s,"refusedTooBig":%s,"loadavg":"%s"}\n' \
  "$KIND" "$([ "$KIND" = jgun ] && echo "$BUDGET" || echo -)" "$alive" "$(relay_status_kb VmHWM)" "$(cat "$BENCH_TMP/ready" 2>/dev/null || echo null)" \
  "$(grep -c 'OutOfMemoryError' "$RELAY_LOG" || true)" "$(grep -c 'closing with 1009' "$RELAY_LOG" || true)" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
