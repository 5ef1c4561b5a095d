#!/usr/bin/env bash
# The per-client limits under a flood (docs/operations-limits.md): 100 well-behaved clients (load.js,
# puts, 100 connections × 1 in flight, closed loop) measured alone, then while one more client floods
# the relay at full speed (flood.js: frames of 100 puts, as fast as the socket takes them, acks never
# read); once with the default limits and once with the rate limits off. Reports p99 put→ack of the
# well-behaved clients in each case, and what happened to the flooder.
#
#   bench/limits.sh [-d SECONDS] [-o RESULTS.jsonl] [--limits "RELAY OPTIONS"] [--only-limited]
#   (--limits: the limit options of the limited run, e.g. "--limit-messages 1000"; default: none, the defaults)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DUR=15
OUT=""
LIMITS=""
ONLY_LIMITED=""
while [ $# -gt 0 ]; do
  case "$1" in
    -d) DUR="$2"; shift 2 ;;
    -o) OUT="$2"; shift 2 ;;
    --limits) LIMITS="$2"; shift 2 ;;
    --only-limited) ONLY_LIMITED=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bench_prepare
OUT="${OUT:-$BENCH_ROOT/bench/results/limits-$(date -u +%Y%m%dT%H%M%SZ).jsonl}"
mkdir -p "$(dirname "$OUT")"
MACHINE="$(bench_machine)"

well_behaved() { # label
  node "$BENCH_ROOT/bench/load.js" --port "$RELAY_PORT" --mode put -c 100 -w 1 -s 64 -d "${DUR}s" --warmup 2s --label "$1"
}

run() { # setting, relay args...
  local setting="$1"; shift
  relay_start jgun --memory "$@"
  bench_log "$setting: unloaded"
  well_behaved "$setting unloaded" | sed "s/^{/{\"setting\":\"$setting\",\"flood\":false,/" >>"$OUT"
  bench_log "$setting: with one client flooding"
  node "$BENCH_ROOT/bench/flood.js" --port "$RELAY_PORT" -d $((DUR + 10)) >"$BENCH_TMP/flood.json" &
  local flooder=$!
  sleep 2
  well_behaved "$setting flooded" | sed "s/^{/{\"setting\":\"$setting\",\"flood\":true,/" >>"$OUT"
  kill -TERM "$flooder" 2>/dev/null || true
  wait "$flooder" 2>/dev/null || true
  printf '{"setting":"%s","kind":"flooder","result":%s}\n' "$setting" "$(cat "$BENCH_TMP/flood.json")" >>"$OUT"
  relay_stop
}

# shellcheck disable=SC2086
run "limits ${LIMITS:-default}" $LIMITS
[ -n "$ONLY_LIMITED" ] || run "rate limits off" --limit-messages 0 --limit-bytes 0

echo "Machine: $MACHINE; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Raw results: $OUT"
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
console.log("| setting | flood | puts/s | p50 ms | p99 ms | errors | flooder |");
console.log("|---|---|---|---|---|---|---|");
for (const l of lines.filter(l => l.kind !== "flooder")) {
  const f = lines.find(x => x.kind === "flooder" && x.setting === l.setting).result;
  const lat = l.latencyMs || l.latency || {};
  const fl = l.flood ? `${f.putsPerSec} puts/s sent, ${f.disconnected ? "disconnected after " + f.disconnected.afterMs + " ms" : "connected"}, told ${f.told.length}×` : "";
  console.log(`| ${l.setting} | ${l.flood ? "yes" : "no"} | ${Math.round(l.opsPerSec)} | ${lat.p50} | ${lat.p99} | ${l.errors} | ${fl} |`);
}' "$OUT"
