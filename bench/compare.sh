#!/usr/bin/env bash
# jgun vs a stock Gun.js relay, side by side, plus the transport ceiling: one run, one relay after
# the other, the same load (bench/load.js) against each, a Markdown table of jgun/Gun.js ratios.
#
#   bench/compare.sh [-d SECONDS] [-r REPEATS] [--only gun,jgun,jgun-wal,ceiling] [--subscribers 1000]
#                    [--idle 10000] [--idle-hold 30] [--mixed SECONDS] [--procs 1] [--fanout-rate R]
#                    [-o RESULTS.jsonl]
#
# Targets, each started fresh on a free loopback port:
#   gun      jgun-interop/node/relay.js: require('gun') 0.2020.1241 with its default radisk storage
#   jgun     bin/jgun relay --data TMP (default durable storage: RocksDB, fsync before ack; bin/jgun's
#            default JVM options)
#   jgun-wal bin/jgun relay --data TMP --durability WAL: acks once the write is in RocksDB's log in the
#            OS (survives a crash of the process, not of the machine; Gun.js's radisk, which writes
#            without fsync, promises no more): the put rows only, to show what the fsync costs
#   ceiling  jgun-bench's CeilingServer: jgun's WebSocket transport acking every put/get with no
#            GUN work at all: the machine's and the load tool's limit (no fan-out, idle or mixed rows)
# Rows, in this order on each target (each measured run: -d seconds after a 2 s warm-up, repeated
# -r times; the table shows medians):
#   idle       hold --idle connections (spread over 127.0.0.1-4 as source addresses), each greeted
#              and answered; the relay's RSS after it sat idle --idle-hold seconds (default 30)
#              before they open, 3 s after all are open, and after they were held --idle-hold
#              seconds: bytes per connection. The settled readings are medians of 5 samples 1 s
#              apart: both runtimes collect and give memory back for a while after a burst.
#   put C=10   closed loop, 10 connections × 1 put in flight (10 in flight), a new soul per put, 64 B
#   put C=100  100 connections × 1 in flight
#   get        10,000 souls written, then read back by 10 connections × 10 in flight
#   fanout     --subscribers connections GET-subscribed to one soul, one writer with 10 puts in flight
#              (full speed), each update a distinct value: deliveries of every update (a subscriber's
#              first receipt of it) and the ones missing (not received within 5 s of the last write)
#   fanout rate R  the same with the writer at --fanout-rate R updates/s (open loop; 0: row skipped),
#              a rate a Gun.js relay keeps up with
#   mixed      --mixed seconds of puts (10 × 1) + gets (10 × 1) + fan-out (100 subscribers, 10 in
#              flight) at once, the relay's RSS sampled every second: growth = the peak of the
#              second half against the peak from 20% to 50% (the first 20% is the warm-up)
# The relay's CPU seconds are read around every run, its peak RSS (VmHWM) at the end.
# --procs P: the put and get rows use P load processes (load.js --procs), for when one node process
# is the limit (the ceiling rows show it: the tool's CPU is in the raw lines and the table's notes).
# Defaults: -d 10 -r 3 --subscribers 1000 --fanout-rate 0 --idle 10000 --idle-hold 30 --mixed 60: about 19 minutes here (plus the
# first build).
# Needs node + npm (npm ci in jgun-interop/node is run here), Java 17, Maven (builds on first use).
set -euo pipefail
BENCH_NEEDS_JAR=1
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DUR=10
REPS=3
ONLY="gun,jgun,jgun-wal,ceiling"
SUBS=1000
IDLE=10000
IDLE_HOLD=30
MIXED=60
PROCS=1
FANOUT_RATE=0
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    -d) DUR="$2"; shift 2 ;;
    -r) REPS="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --subscribers) SUBS="$2"; shift 2 ;;
    --idle) IDLE="$2"; shift 2 ;;
    --idle-hold) IDLE_HOLD="$2"; shift 2 ;;
    --mixed) MIXED="$2"; shift 2 ;;
    --procs) PROCS="$2"; shift 2 ;;
    --fanout-rate) FANOUT_RATE="$2"; shift 2 ;;
    -o) OUT="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

# File descriptors: the relay and the load tool each hold one socket per idle connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((IDLE + 200)) ]; then
  echo "ulimit -n is $(ulimit -n): too low for --idle $IDLE (raise it, or pass a smaller --idle)" >&2; exit 2
fi

bench_prepare
[ -n "$OUT" ] || OUT="$BENCH_ROOT/bench/results/compare-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
mkdir -p "$(dirname "$OUT")"
: >"$OUT"
MACHINE="$(bench_machine)"
bench_log "machine: $MACHINE"
node -e 'console.log(JSON.stringify({kind: "machine", text: process.argv[1], duration: +process.argv[2], repeats: +process.argv[3],
  subscribers: +process.argv[4], idle: +process.argv[5], mixed: +process.argv[6], procs: +process.argv[7], idleHold: +process.argv[8], fanoutRate: +process.argv[9]}))' "$MACHINE" "$DUR" "$REPS" "$SUBS" "$IDLE" "$MIXED" "$PROCS" "$IDLE_HOLD" "$FANOUT_RATE" >>"$OUT"

summary() {
  node -e 'const o=JSON.parse(process.argv[1]);const l=o.latencyMs||{};const f=o.fanout;
    console.error("   "+process.argv[2]+" "+o.label+": "+o.opsPerSec+(f?" deliveries/s of distinct updates ("+f.deliveredPct+"% of "+f.deliveriesExpected+" delivered, "+f.missing+" missing, "+f.duplicates+" duplicates; writer "+f.updatesPerSec+" updates/s)":" ops/s")+", p50 "+l.p50+" p99 "+l.p99+" max "+l.max+" ms, err "+o.errors+" timeouts "+o.timeouts+", load tool CPU "+o.client.cpuPercent+"%")' "$1" "$2" || true
}

# run TARGET ROW REP LOAD-ARGS...: one measured run, appended to $OUT.
run() {
  local target="$1" row="$2" rep="$3"; shift 3
  local c0 c1 m0 m1 res
  c0=$(relay_cpu); m0=$(machine_busy)
  res=$(load --label "$row" "$@") || { bench_log "$target $row: the load tool failed"; return 0; }
  c1=$(relay_cpu); m1=$(machine_busy)
  printf '{"relay":"%s","row":"%s","rep":%s,"relayCpuSec":%s,"machineBusySec":%s,"relayRssKb":%s,"loadavg":"%s","load":%s}\n' \
    "$target" "$row" "$rep" "$(awk -v a="$c0" -v b="$c1" 'BEGIN{printf "%.2f", b-a}')" \
    "$(awk -v a="$m0" -v b="$m1" 'BEGIN{printf "%.2f", b-a}')" "$(relay_status_kb VmRSS)" \
    "$(cut -d' ' -f1 /proc/loadavg)" "$res" >>"$OUT"
  summary "$res" "$target"
}

# settled_rss: the median of 5 readings of the relay's RSS, 1 s apart (KiB).
settled_rss() {
  local i s=()
  for i in 1 2 3 4 5; do s+=("$(relay_status_kb VmRSS)"); sleep 1; done
  printf '%s\n' "${s[@]}" | sort -n | sed -n 3p
}

# idle TARGET REP: holds $IDLE connections, records the relay's RSS settled before, 3 s after they
# opened and settled after IDLE_HOLD s.
idle_run() {
  local target="$1" rep="$2" ready="$BENCH_TMP/idle-ready" res before after held pid
  rm -f "$ready"
  # Settled as long as the connections will be held, the same way for both runtimes: a baseline
  # read while a collector still works off the previous round (or start-up) scatters by ±5 KB/conn.
  sleep $((IDLE_HOLD > 5 ? IDLE_HOLD - 5 : 0))
  before=$(settled_rss)
  node "$BENCH_ROOT/bench/load.js" --port "$RELAY_PORT" --mode idle -c "$IDLE" --sources 127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4 --connect-timeout 60s \
    --ready-file "$ready" -d 600s --label "idle $IDLE" >"$BENCH_TMP/idle.out" &
  pid=$!
  local i
  for i in $(seq 1 1200); do [ -f "$ready" ] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  sleep 3
  after=$(relay_status_kb VmRSS)
  # Held idle for IDLE_HOLD s: the collector has settled after the burst of handshakes (both
  # runtimes shrink or grow their heaps for a while after it).
  sleep $((IDLE_HOLD > 8 ? IDLE_HOLD - 8 : 0))
  held=$(settled_rss)
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  res=$(cat "$ready" 2>/dev/null || echo null)
  printf '{"relay":"%s","row":"idle","rep":%s,"settled":true,"rssBeforeKb":%s,"rssAfterKb":%s,"rssHeldKb":%s,"idle":%s}\n' \
    "$target" "$rep" "$before" "$after" "$held" "$res" >>"$OUT"
  bench_log "   $target idle $IDLE: RSS $((before / 1024)) MiB settled -> $((after / 1024)) MiB at 3 s, $((held / 1024)) MiB after ${IDLE_HOLD} s; $res"
  sleep 3 # let the relay see the closes
}

# mixed TARGET: puts, gets and a fan-out at once for $MIXED s while sampling the relay's RSS.
mixed_run() {
  local target="$1" t p1 p2 p3 samples="$BENCH_TMP/mixed-samples"
  : >"$samples"
  local L="$BENCH_ROOT/bench/load.js"
  node "$L" --port "$RELAY_PORT" --mode put --souls uuid -c 10 -w 1 -s 64 -d "${MIXED}s" --label "mixed put" >"$BENCH_TMP/m1" &
  p1=$!
  node "$L" --port "$RELAY_PORT" --mode get -c 10 -w 1 --keys 10000 --prefix get/ -d "${MIXED}s" --label "mixed get" >"$BENCH_TMP/m2" &
  p2=$!
  # --drain 1s: a relay that coalesces updates never has every one delivered, and the RSS samples
  # should end with the load, not 5 s later.
  node "$L" --port "$RELAY_PORT" --mode fanout --subscribers 100 -w 10 -s 64 -d "${MIXED}s" --drain 1s --label "mixed fanout" >"$BENCH_TMP/m3" &
  p3=$!
  t=0
  while kill -0 "$p1" 2>/dev/null || kill -0 "$p2" 2>/dev/null || kill -0 "$p3" 2>/dev/null; do
    printf '%s %s\n' "$t" "$(relay_status_kb VmRSS)" >>"$samples"
    sleep 1; t=$((t + 1))
  done
  wait "$p1" "$p2" "$p3" 2>/dev/null || true
  printf '{"relay":"%s","row":"mixed","seconds":%s,"samples":%s,"put":%s,"get":%s,"fanout":%s}\n' "$target" "$MIXED" \
    "$(awk 'BEGIN{printf "["} {printf "%s[%s,%s]", (NR>1?",":""), $1, $2} END{printf "]"}' "$samples")" \
    "$(cat "$BENCH_TMP/m1" 2>/dev/null || echo null)" "$(cat "$BENCH_TMP/m2" 2>/dev/null || echo null)" \
    "$(cat "$BENCH_TMP/m3" 2>/dev/null || echo null)" >>"$OUT"
  bench_log "   $target mixed: RSS samples (s KiB): $(tr '\n' ' ' <"$samples" | cut -c1-200)..."
}

IFS=, read -r -a TARGETS <<<"$ONLY"
for target in "${TARGETS[@]}"; do
  case "$target" in gun|jgun|jgun-wal|ceiling) ;; *) echo "--only: gun,jgun,jgun-wal,ceiling" >&2; exit 2 ;; esac
  if [ "$target" = jgun-wal ]; then
    relay_start jgun --durability WAL
  else
    relay_start "$target"
  fi
  if [ "$target" != ceiling ] && [ "$target" != jgun-wal ] && [ "$IDLE" -gt 0 ]; then
    bench_log "$target: $IDLE idle connections"
    load --mode put -c 2 -w 1 -d 2s >/dev/null || true # the relay has served something before the baseline
    for rep in $(seq 1 "$REPS"); do idle_run "$target" "$rep"; done
  fi
  bench_log "$target: warm-up (5 s of puts, not recorded)"
  load --souls uuid -c 10 -w 10 -s 64 -d 5s >/dev/null || true
  for c in 10 100; do
    for rep in $(seq 1 "$REPS"); do
      run "$target" "put C=$c" "$rep" --mode put --souls uuid -c "$c" -w 1 -s 64 -d "${DUR}s" --warmup 2s --procs "$PROCS"
    done
  done
  if [ "$target" = jgun-wal ]; then
    relay_record_process "$target"
    relay_stop
    continue
  fi
  bench_log "$target: writing 10,000 souls to read back"
  load --mode put -c 10 -w 100 -s 64 -n 10000 --prefix get/ -d 120s --drain 10s >/dev/null || true
  for rep in $(seq 1 "$REPS"); do
    run "$target" "get" "$rep" --mode get -c 10 -w 10 --keys 10000 --prefix get/ -d "${DUR}s" --warmup 2s --procs "$PROCS"
  done
  if [ "$target" != ceiling ]; then
    for rep in $(seq 1 "$REPS"); do
      run "$target" "fanout" "$rep" --mode fanout --subscribers "$SUBS" -w 10 -s 64 -d "${DUR}s" --warmup 2s --drain 5s --connect-timeout 60s
    done
    if [ "$FANOUT_RATE" -gt 0 ]; then
      for rep in $(seq 1 "$REPS"); do
        run "$target" "fanout rate $FANOUT_RATE" "$rep" --mode fanout --subscribers "$SUBS" --rate "$FANOUT_RATE" -s 64 -d "${DUR}s" --warmup 2s --drain 5s --connect-timeout 60s
      done
    fi
    if [ "$MIXED" -gt 0 ]; then
      bench_log "$target: mixed load for $MIXED s"
      mixed_run "$target"
    fi
  fi
  relay_record_process "$target"
  relay_stop
done

bench_report compare
