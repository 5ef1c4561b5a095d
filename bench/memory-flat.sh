#!/usr/bin/env bash
# Does a relay's memory stay flat while it takes far more data than its caches hold?
#
#   bench/memory-flat.sh [--relay jgun|gun|both] [--mb 2000] [--size 1024] [--heap 256m]
#                        [--gun-seconds 180] [--read 30] [--interval 2] [-c 10] [-w 50] [-o SAMPLES.jsonl]
#
# Starts the relay (jgun: bin/jgun relay with JGUN_JAVA_OPTS="-Xms<heap> -Xmx<heap>
# -XX:+AlwaysPreTouch", so the whole heap is resident from the start and any growth is not the JVM
# slowly committing its heap; RocksDB's block cache is 32 MiB and its memtables 2 × 16 MiB; Gun.js: the stock relay with radisk, node's default heap),
# writes --mb megabytes of values in puts of --size bytes (a new soul per put, -c connections × -w
# puts in flight, each acked), then reads random-ish souls of what it wrote for --read seconds,
# then idles 6 s. Every --interval seconds the relay's RSS (/proc/PID/status VmRSS) is sampled.
# Gun.js is slower: its write phase stops after --gun-seconds (default 180) whatever it reached.
# Flat means: the largest RSS after the warm-up (the first 20% of the write phase) is at most 10%
# above the RSS at the end of the warm-up. Prints a Markdown table and the curve.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WHICH=jgun
MB=2000
SIZE=1024
HEAP=256m
GUN_SECONDS=180
READ=30
INTERVAL=2
CONNS=10
WINDOW=50
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --relay) WHICH="$2"; shift 2 ;;
    --mb) MB="$2"; shift 2 ;;
    --size) SIZE="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --gun-seconds) GUN_SECONDS="$2"; shift 2 ;;
    --read) READ="$2"; shift 2 ;;
    --interval) INTERVAL="$2"; shift 2 ;;
    -c) CONNS="$2"; shift 2 ;;
    -w) WINDOW="$2"; shift 2 ;;
    -o) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
case "$WHICH" in jgun) RELAYS=(jgun) ;; gun) RELAYS=(gun) ;; both) RELAYS=(jgun gun) ;; *) echo "--relay jgun|gun|both" >&2; exit 2 ;; esac
COUNT=$(( MB * 1000000 / SIZE ))

bench_prepare
[ -n "$OUT" ] || OUT="$BENCH_ROOT/bench/results/memory-flat-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
mkdir -p "$(dirname "$OUT")"
: >"$OUT"
MACHINE="$(bench_machine)"
bench_log "machine: $MACHINE"

SAMPLER=""
sampler_start() {
  local relay="$1" t0
  t0=$(date +%s.%N)
  echo start >"$BENCH_TMP/phase"
  (
    while kill -0 "$RELAY_PID" 2>/dev/null; do
      printf '{"relay":"%s","t":%s,"rssKb":%s,"phase":"%s"}\n' "$relay" \
        "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')" \
        "$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$RELAY_PID/status" 2>/dev/null || echo null)" \
        "$(cat "$BENCH_TMP/phase")" >>"$OUT"
      sleep "$INTERVAL"
    done
  ) &
  SAMPLER=$!
}
sampler_stop() { [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""; }

for relay in "${RELAYS[@]}"; do
  if [ "$relay" = jgun ]; then
    JGUN_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch" relay_start jgun
    note="-Xmx$HEAP, pre-touched"
    max=900
  else
    relay_start gun
    note=""
    max=$GUN_SECONDS
  fi
  sampler_start "$relay"
  sleep "$INTERVAL"
  echo write >"$BENCH_TMP/phase"
  bench_log "$relay: writing $MB MB in $COUNT puts of $SIZE bytes (at most $max s)"
  w=$(load --mode put -c "$CONNS" -w "$WINDOW" -s "$SIZE" -n "$COUNT" --prefix "mem/" -d "${max}s" --drain 15s --label write || true)
  [ -n "$w" ] || { echo "load client failed on $relay" >&2; exit 1; }
  echo "$w" >&2
  done_puts=$(node -e 'console.log(JSON.parse(process.argv[1]).completed)' "$w")
  r=null
  if kill -0 "$RELAY_PID" 2>/dev/null && [ "$done_puts" -ge 10 ]; then
    echo read >"$BENCH_TMP/phase"
    bench_log "$relay: reading back for $READ s"
    r=$(load --mode get -c 10 -w 10 --keys "$done_puts" --prefix "mem/" -d "${READ}s" --label read || echo null)
    echo "$r" >&2
  else
    bench_log "$relay: the relay is gone (see $RELAY_LOG): no read phase"
    tail -20 "$RELAY_LOG" >&2 || true
  fi
  echo idle >"$BENCH_TMP/phase"
  sleep 6
  sampler_stop
  printf '{"relay":"%s","kind":"run","note":"%s","intervalSec":%s,"size":%s,"vmHwmKb":%s,"cpuSec":%s,"dataKb":%s,"write":%s,"read":%s}\n' \
    "$relay" "$note" "$INTERVAL" "$SIZE" "$(relay_status_kb VmHWM)" "$(relay_cpu)" "$(du -sk "$RELAY_DATA" | cut -f1)" "$w" "$r" >>"$OUT"
  relay_stop
  rm -rf "$RELAY_DATA"
done

echo
echo "Machine: $MACHINE"
echo "Raw samples: $OUT"
echo
node "$BENCH_ROOT/bench/report.js" memory "$OUT"
