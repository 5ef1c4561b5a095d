#!/usr/bin/env bash
# Durable writes/s and read latency, jgun vs a stock Gun.js relay (radisk), on this machine, one
# relay after the other, with the same load (bench/load.js) against each.
#
#   bench/storage-side-by-side.sh [-d SECONDS] [-r REPEATS] [--only gun|jgun] [-o RESULTS.jsonl]
#
# For each relay: start it (Gun.js: jgun-interop/node/relay.js, i.e. require('gun') with radisk in a
# fresh temp folder; jgun: bin/jgun relay --data TMP, durability SYNC, default heap), warm it up
# (5 s of puts, discarded), run every put row of the matrix REPEATS times (each -d seconds measured
# after a 2 s warm-up), write 10,000 souls, read them back REPEATS times, then record its peak RSS
# (VmHWM) and CPU time and stop it. The relay's CPU time is also read around every run (µs per op).
# Prints Markdown tables (medians of the repeats, jgun/Gun.js ratios) and the raw JSON lines' path.
# Defaults: -d 10, -r 3: about 8 minutes in all. Needs node, npm, java 17, Maven (first build).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DUR=10
REPS=3
ONLY=""
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    -d) DUR="$2"; shift 2 ;;
    -r) REPS="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    -o) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

# The put matrix: "connections window size souls". uuid souls are named as Gun.js's set() names
# nodes (time first, so a new soul sorts after the stored ones); random souls land anywhere among
# the stored keys (see bench/load.js --souls).
MATRIX=("10 10 64 uuid" "100 10 64 uuid" "100 100 64 uuid" "10 1 1024 uuid" "10 10 64 random")
GET_KEYS=10000
GET_C=10
GET_W=10

bench_prepare
[ -n "$OUT" ] || OUT="$BENCH_ROOT/bench/results/side-by-side-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
mkdir -p "$(dirname "$OUT")"
: >"$OUT"
MACHINE="$(bench_machine)"
bench_log "machine: $MACHINE"

# run RELAY ROW REP LOAD-ARGS...: one measured run, appended to $OUT.
run() {
  local relay="$1" row="$2" rep="$3"; shift 3
  local c0 c1 m0 m1 res
  c0=$(relay_cpu); m0=$(machine_busy)
  res=$(load --label "$row" "$@")
  c1=$(relay_cpu); m1=$(machine_busy)
  printf '{"relay":"%s","row":"%s","rep":%s,"relayCpuSec":%s,"machineBusySec":%s,"loadavg":"%s","load":%s}\n' \
    "$relay" "$row" "$rep" "$(awk -v a="$c0" -v b="$c1" 'BEGIN{printf "%.2f", b-a}')" \
    "$(awk -v a="$m0" -v b="$m1" 'BEGIN{printf "%.2f", b-a}')" "$(cut -d' ' -f1 /proc/loadavg)" "$res" >>"$OUT"
  node -e 'const o=JSON.parse(process.argv[1]);const l=o.latencyMs;console.error("   "+process.argv[2]+" "+o.label+": "+o.opsPerSec+" ops/s, p50 "+l.p50+" p99 "+l.p99+" max "+l.max+" ms, err "+o.errors+" timeouts "+o.timeouts+" unanswered "+o.unansweredAtEnd+(o.notFound!==undefined?" notFound "+o.notFound:"")+", load tool CPU "+o.client.cpuPercent+"%")' "$res" "$relay"
}

for relay in gun jgun; do
  [ -z "$ONLY" ] || [ "$ONLY" = "$relay" ] || continue
  relay_start "$relay"
  bench_log "$relay: warm-up (5 s of puts, not recorded)"
  load --souls uuid -c 10 -w 10 -s 64 -d 5s >/dev/null
  for row in "${MATRIX[@]}"; do
    read -r c w s souls <<<"$row"
    for rep in $(seq 1 "$REPS"); do
      run "$relay" "put C=$c W=$w S=$s $souls" "$rep" --mode put --souls "$souls" -c "$c" -w "$w" -s "$s" -d "${DUR}s" --warmup 2s
    done
  done
  bench_log "$relay: writing $GET_KEYS souls to read back"
  fill=$(load --mode put -c 10 -w 100 -s 64 -n "$GET_KEYS" --prefix "get/" -d 120s --drain 10s)
  node -e 'const o=JSON.parse(process.argv[1]);if(o.completed!==o.sent||o.errors)console.error("   warning: fill: "+o.completed+"/"+o.sent+" acked, "+o.errors+" errors")' "$fill"
  for rep in $(seq 1 "$REPS"); do
    run "$relay" "get C=$GET_C W=$GET_W (10k souls)" "$rep" --mode get -c "$GET_C" -w "$GET_W" --keys "$GET_KEYS" --prefix "get/" -d "${DUR}s" --warmup 2s
  done
  relay_record_process "$relay"
  relay_stop
done

bench_report side-by-side
