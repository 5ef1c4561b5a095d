#!/usr/bin/env bash
# Several relays serving one graph, three ways, side by side (issue #18), for N = 1, 2, 3 relays:
#   postgres  N jgun relays on one PostgreSQL (bin/jgun relay --postgres; a fresh schema per
#             set-up), a throw-away cluster of Debian's postgresql package (fsync, synchronous_commit on);
#   rocksdb   N jgun relays, each on its own RocksDB (--data, durability SYNC), in a mesh: relay k
#             dials relays 1..k-1 (--peers), so every pair is connected once; a relay replicates the
#             puts it takes to the relays it dialed;
#   gun       N stock Gun.js relays (jgun-interop/node/relay.js: radisk), meshed the same way with
#             Gun.js's own peers option.
# On fresh relays of each set-up and N, one after the other:
#   put     C connections × W puts in flight, split evenly over the relays (one load.js per relay,
#           at once), 64 B, a new soul per put; CPU seconds of the relays (and of PostgreSQL) from
#           the end of the warm-up to the end of the row, per put acked in the measured window;
#           on PostgreSQL also its CPU by role and pg_stat_activity sampled (bench/pg-activity.js).
#   get     the souls the put row wrote through relay 1 (at most 20,000), each read once through
#           every other relay (with N = 1, through relay 1; at most 30 s): GET/s, and whether the
#           first answer had the data; a not-found answer followed by the data within --linger (a
#           relay that forwarded the GET to its peers) is counted apart.
#   fanout  a writer on relay 1 at --rate R updates/s of one field (open loop), S subscribers on
#           relay N (N = 1: the same relay): updates delivered, deliveries/s, write→delivery latency.
# jgun relays run with JGUN_RELAY_ARGS, default "--limit-messages 0 --limit-bytes 0": the
# per-connection limits (1,000 messages/s by default) would throttle the load connections and the
# relay-to-relay connections of the mesh. Loopback only; everything started is stopped on exit.
#
#   bench/relays-side-by-side.sh [-d SECONDS] [-r REPEATS] [-c 12] [-w 10] [--relays "1 2 3"]
#       [--only postgres,rocksdb,gun] [--subscribers 100] [--rate 50] [--linger 5] [-o FILE.jsonl]
#
# Prints one JSON line per row (also appended to -o, default bench/results/relays-TIMESTAMP.jsonl)
# and a Markdown table of the medians over the repeats (bench/report.js relays FILE). With the
# defaults (-d 10 -r 3) about 15 minutes.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DUR=10
REPS=3
CONNS=12
WIN=10
RELAYS="1 2 3"
ONLY="postgres,rocksdb,gun"
SUBS=100
RATE=50
LINGER=5
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    -d) DUR=$2; shift 2 ;; -r) REPS=$2; shift 2 ;; -c) CONNS=$2; shift 2 ;; -w) WIN=$2; shift 2 ;;
    --relays) RELAYS=$2; shift 2 ;; --only) ONLY=$2; shift 2 ;; --subscribers) SUBS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;; --linger) LINGER=$2; shift 2 ;; -o) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (--help)" >&2; exit 2 ;;
  esac
done
for s in ${ONLY//,/ }; do
  case "$s" in postgres|rocksdb|gun) ;; *) echo "--only: postgres, rocksdb, gun" >&2; exit 2 ;; esac
done
for n in $RELAYS; do
  [[ "$n" =~ ^[1-9]$ ]] || { echo "--relays: counts from 1 to 9" >&2; exit 2; }
done
JGUN_RELAY_ARGS="${JGUN_RELAY_ARGS---limit-messages 0 --limit-bytes 0}"
GET_C=10   # GET connections per reading relay, W in flight each
GET_MAX=20000
[ -n "$OUT" ] || OUT="$BENCH_ROOT/bench/results/relays-$(date -u +%Y%m%dT%H%MZ).jsonl"

bench_prepare
case ",$ONLY," in *,postgres,*) pg_start ;; esac
MACHINE="$(bench_machine)"
bench_log "machine: $MACHINE"
node -e 'console.log(JSON.stringify({kind: "machine", machine: process.argv[1], args: process.argv[2], relayArgs: process.argv[3]}))' \
  "$MACHINE" "-d $DUR -r $REPS -c $CONNS -w $WIN --relays '$RELAYS' --subscribers $SUBS --rate $RATE --linger $LINGER" "$JGUN_RELAY_ARGS" >>"$OUT"

# start_relays SETUP N REP: N relays of SETUP on fresh storage, meshed as the set-up says; returns
# once every relay listens and every dialed link is up.
start_relays() {
  local setup="$1" n="$2" rep="$3" i j port peers log dir
  relays_stop
  for i in $(seq 1 "$n"); do RELAY_PORTS+=("$(bench_free_port)"); done
  for i in $(seq 1 "$n"); do
    port=${RELAY_PORTS[$((i - 1))]}
    peers=""
    for j in $(seq 1 $((i - 1))); do peers+="${peers:+,}ws://127.0.0.1:${RELAY_PORTS[$((j - 1))]}/gun"; done
    log="$BENCH_TMP/$setup-r$rep-n$n-$i.log"
    dir="$BENCH_TMP/$setup-r$rep-n$n-$i"
    case "$setup" in
      postgres)
        # shellcheck disable=SC2086
        JGUN_NO_BUILD=1 "$BENCH_ROOT/bin/jgun" relay --host 127.0.0.1 --port "$port" --postgres "$PG_URL" \
          --postgres-schema "r${rep}n$n" $JGUN_RELAY_ARGS </dev/null >"$log" 2>&1 & ;;
      rocksdb)
        # shellcheck disable=SC2086
        JGUN_NO_BUILD=1 "$BENCH_ROOT/bin/jgun" relay --host 127.0.0.1 --port "$port" --data "$dir" \
          ${peers:+--peers "$peers"} $JGUN_RELAY_ARGS </dev/null >"$log" 2>&1 & ;;
      gun)
        mkdir -p "$dir"
        node "$NODE_DIR/relay.js" --host 127.0.0.1 --port "$port" --data "$dir" ${peers:+--peers "$peers"} <&7 >"$log" 2>&1 & ;;
    esac
    local pid=$!
    wait_port "$port" "$pid" "$log"
    [ "$setup" = gun ] || pid="$(relay_java_pid "$pid")"
    RELAY_PIDS+=("$pid")
  done
  # Each relay k's links to relays 1..k-1 are up (jgun: "connected to peer"; Gun.js: a "hi" with a url).
  for i in $(seq 2 "$n"); do
    log="$BENCH_TMP/$setup-r$rep-n$n-$i.log"
    for j in $(seq 1 300); do
      if [ "$setup" = rocksdb ] && [ "$(grep -c 'connected to peer' "$log")" -ge $((i - 1)) ]; then break; fi
      if [ "$setup" = gun ] && [ "$(grep -c '"peer":"hi","url":"ws' "$log")" -ge $((i - 1)) ]; then break; fi
      [ "$setup" = postgres ] && break
      sleep 0.1
    done
    [ "$j" -lt 300 ] || bench_log "warning: relay $i of $setup did not report its $((i - 1)) links within 30 s"
  done
  bench_log "$setup: $n relay(s) up on ports ${RELAY_PORTS[*]} (pids ${RELAY_PIDS[*]})"
}

loadavg() { cut -d' ' -f1 /proc/loadavg; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
row_line() { # SETUP N REP ROW JSON-FIELDS: one result line, to stdout and $OUT
  local line
  line=$(printf '{"setup":"%s","relays":%s,"rep":%s,"row":"%s","loadAvg":%s,%s}' "$1" "$2" "$3" "$4" "$(loadavg)" "$5")
  echo "$line" >>"$OUT"
  echo "$line"
}

for rep in $(seq 1 "$REPS"); do
  for setup in ${ONLY//,/ }; do
    for n in $RELAYS; do
      start_relays "$setup" "$n" "$rep"
      # put: the connections split over the relays; relay 1's souls (prefix P) are read back below
      prefix="side/$setup/r$rep/n$n/"
      per=$(( (CONNS + n - 1) / n ))
      outs=(); loads=(); k=0
      for port in "${RELAY_PORTS[@]}"; do
        out="$BENCH_TMP/put-$setup-$rep-$n-$k.json"; outs+=("$out")
        pre=(); [ "$k" = 0 ] && pre=(--prefix "$prefix")
        node "$BENCH_ROOT/bench/load.js" --port "$port" --mode put -c "$per" -w "$WIN" -s 64 -d "${DUR}s" --warmup 2s \
          --emit-hist 1 "${pre[@]}" --label "$setup put relays=$n relay=$((k + 1))" >"$out" &
        loads+=($!); k=$((k + 1))
      done
      # CPU from the end of the warm-up (the connections open in well under 0.5 s) to the end
      sleep 2.3
      c0=$(relays_cpu); p0=0; pga=null; b0=0; b1=0
      if [ "$setup" = postgres ]; then
        p0=$(pg_cpu); pg_proc_cpu >"$BENCH_TMP/pg-cpu-0"; pg_activity_start "$DUR" "$BENCH_TMP/pg-activity"
        b0=0; for port in "${RELAY_PORTS[@]}"; do b0=$((b0 + $(relay_metric "$port" jgun_postgres_batches_total))); done
      fi
      for p in "${loads[@]}"; do wait "$p" || bench_log "a load.js exited with status $? (its line says why)"; done
      c1=$(relays_cpu); p1=0
      if [ "$setup" = postgres ]; then
        p1=$(pg_cpu); pg_proc_cpu >"$BENCH_TMP/pg-cpu-1"; pg_activity_stop
        b1=0; for port in "${RELAY_PORTS[@]}"; do b1=$((b1 + $(relay_metric "$port" jgun_postgres_batches_total))); done
        pga=$(node "$BENCH_ROOT/bench/pg-activity.js" "$BENCH_TMP/pg-activity" "$BENCH_TMP/pg-cpu-0" "$BENCH_TMP/pg-cpu-1" --json)
      fi
      row_line "$setup" "$n" "$rep" put "\"cpuRelaysSec\":$(minus "$c1" "$c0"),\"cpuPgSec\":$(minus "$p1" "$p0"),\"pgTransactions\":$((b1 - b0)),\"pgActivity\":$pga,\"loads\":[$(for o in "${outs[@]}"; do tail -1 "$o" | grep "^{" || true; done | paste -sd,)]"
      # get: relay 1's souls, each read once through every other relay
      keys=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").pop()); console.log(Math.min(r.completed, +process.argv[2]))' "${outs[0]}" "$GET_MAX" || echo 0)
      if [ "$keys" -ge "$GET_C" ]; then
        readers=("${RELAY_PORTS[@]:1}"); [ "$n" = 1 ] && readers=("${RELAY_PORTS[0]}")
        outs=(); loads=(); k=0
        for port in "${readers[@]}"; do
          out="$BENCH_TMP/get-$setup-$rep-$n-$k.json"; outs+=("$out")
          node "$BENCH_ROOT/bench/load.js" --port "$port" --mode get -c "$GET_C" -w "$WIN" --keys "$keys" -n "$keys" --prefix "$prefix" \
            -d 30s --linger "${LINGER}s" --emit-hist 1 --label "$setup get relays=$n" >"$out" &
          loads+=($!); k=$((k + 1))
        done
        for p in "${loads[@]}"; do wait "$p" || bench_log "a load.js exited with status $? (its line says why)"; done
        row_line "$setup" "$n" "$rep" get "\"keys\":$keys,\"loads\":[$(for o in "${outs[@]}"; do tail -1 "$o" | grep "^{" || true; done | paste -sd,)]"
      else
        bench_log "get row skipped: relay 1 acked only $keys puts"
      fi
      # fanout: writer on relay 1, subscribers on relay N
      out="$BENCH_TMP/fan-$setup-$rep-$n.json"
      node "$BENCH_ROOT/bench/load.js" --port "${RELAY_PORTS[-1]}" --writer-port "${RELAY_PORTS[0]}" --mode fanout \
        --subscribers "$SUBS" --rate "$RATE" -d "${DUR}s" --warmup 2s --connect-timeout 30s \
        --label "$setup fanout relays=$n" >"$out" || bench_log "fanout run failed: $(tail -3 "$out")"
      row_line "$setup" "$n" "$rep" fanout "\"load\":$(tail -1 "$out" | grep '^{' || echo null)"
      relays_stop
    done
  done
done

echo
echo "Machine: $MACHINE; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Each run: ${DUR} s measured after a 2 s warm-up (GETs: one pass); medians of $REPS runs. Raw results: $OUT"
echo
node "$BENCH_ROOT/bench/report.js" relays "$OUT"
