#!/usr/bin/env bash
# CPU profile of a jgun relay under load, with JDK Flight Recorder: starts bin/jgun relay (default
# durable storage) with a recording, runs one load, stops the relay (the recording is written at
# exit), and prints the hottest methods (bench/jfr-top.js over jdk.ExecutionSample).
#
#   bench/profile.sh [--load put|fanout|get] [-d SECONDS] [-c 100] [-w 1] [--subscribers 1000] [-o FILE.jfr]
#                    [--async] [--postgres]
#
# --async: async-profiler instead of JFR (Maven Central's tools.profiler:async-profiler:4.1, fetched
# by Maven into the local repository on first use; Linux x64): CPU samples every 1 ms with native
# and kernel frames (the fsync in ext4, futex wake-ups, epoll), summarised by `bench/jfr-top.js
# --collapsed`; -o names the collapsed-stacks file. Needs perf events (root, or
# kernel.perf_event_paranoid <= 1).
#
# put: -c connections × -w puts in flight, a new soul per put (uuid), 64 B; fanout: --subscribers
# GET-subscribed connections and a writer with 10 puts in flight; get: 10,000 souls written first,
# then read by -c × -w. The .jfr stays (default bench/results/profile-LOAD.jfr is not committed:
# give -o) for `jfr summary`, `jfr print` or JDK Mission Control.
#
# --postgres: the relay on PostgreSQL (`--postgres`, a throw-away cluster as in
# bench/relays-side-by-side.sh) instead of RocksDB. Also prints, over the measured load: the CPU
# seconds of each PostgreSQL process by role (the relay's writer, read pool and change feed, told
# apart by pg_stat_activity's application name and queries; the server's own processes), what
# PostgreSQL's sessions were doing (pg_stat_activity sampled every 100 ms by one psql session:
# state and wait event), and, when `perf` works here, the hottest functions of the PostgreSQL
# processes (perf record -g at 499 Hz).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# PostgreSQL under the load: CPU per process before and after, pg_stat_activity sampled, perf.
pg_watch_start() {
  PG_BATCHES0=$(relay_metric "$RELAY_PORT" jgun_postgres_batches_total)
  pg_proc_cpu >"$BENCH_TMP/pg-cpu-0"
  pg_activity_start "$DUR" "$BENCH_TMP/pg-activity"
  PERF_PID=""
  if command -v perf >/dev/null && perf record -q -o "$BENCH_TMP/perf-check" -- true >/dev/null 2>&1; then
    perf record -q -F 499 -g -p "$(pg_pids | tr ' ' ',')" -o "$BENCH_TMP/pg.perf" -- sleep "$DUR" >/dev/null 2>&1 &
    PERF_PID=$!
  fi
}
pg_watch_report() {
  pg_proc_cpu >"$BENCH_TMP/pg-cpu-1"
  pg_activity_stop
  local batches=$(( $(relay_metric "$RELAY_PORT" jgun_postgres_batches_total) - PG_BATCHES0 ))
  echo "write transactions during the load: $batches ($(node -e 'const r=JSON.parse(process.argv[1]); console.log((r.completed / Math.max(1, +process.argv[2])).toFixed(1))' "$res" "$batches") puts each)"
  node "$BENCH_ROOT/bench/pg-activity.js" "$BENCH_TMP/pg-activity" "$BENCH_TMP/pg-cpu-0" "$BENCH_TMP/pg-cpu-1"
  if [ -n "$PERF_PID" ]; then
    wait "$PERF_PID" 2>/dev/null || true
    echo "perf, PostgreSQL processes: hottest functions (self)"
    { perf report -i "$BENCH_TMP/pg.perf" --stdio --no-children -g none --sort dso,sym 2>/dev/null | grep -E '^ +[0-9]' | head -25; } || true
  fi
}

LOAD=put
DUR=20
C=100
W=1
SUBS=1000
JFR=""
ASYNC=""
PG=""
while [ $# -gt 0 ]; do
  case "$1" in
    --load) LOAD="$2"; shift 2 ;;
    -d) DUR="$2"; shift 2 ;;
    -c) C="$2"; shift 2 ;;
    -w) W="$2"; shift 2 ;;
    --subscribers) SUBS="$2"; shift 2 ;;
    -o) JFR="$2"; shift 2 ;;
    --async) ASYNC=1; shift ;;
    --postgres) PG=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
bench_prepare
if [ -n "$ASYNC" ]; then
  AP_VERSION=4.1
  AP_JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar"
  if [ ! -f "$AP_JAR" ]; then
    bench_log "fetching async-profiler $AP_VERSION (Maven Central)"
    mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$AP_VERSION" -Dtransitive=false >&2
  fi
  (cd "$BENCH_TMP" && unzip -oq "$AP_JAR" 'linux-x64/libasyncProfiler.so')
  [ -n "$JFR" ] || JFR="$BENCH_TMP/profile-$LOAD.collapsed"
  JFR="$(cd "$(dirname "$JFR")" && pwd)/$(basename "$JFR")"
  # Started at once, written when the JVM exits (relay_stop).
  PROFILER="-agentpath:$BENCH_TMP/linux-x64/libasyncProfiler.so=start,event=cpu,interval=1ms,threads,collapsed,file=$JFR"
else
  [ -n "$JFR" ] || JFR="$BENCH_TMP/profile-$LOAD.jfr"
  JFR="$(cd "$(dirname "$JFR")" && pwd)/$(basename "$JFR")"
  # JDK's "profile" settings with Java and native method sampling every 1 ms instead of 10/20 ms.
  JH="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  sed -e 's#<setting name="period" control="method-sampling-java-interval">[^<]*<#<setting name="period" control="method-sampling-java-interval">1 ms<#' \
      -e 's#<setting name="period" control="method-sampling-native-interval">[^<]*<#<setting name="period" control="method-sampling-native-interval">1 ms<#' \
      "$JH/lib/jfr/profile.jfc" >"$BENCH_TMP/sampling.jfc"
  PROFILER="-XX:+FlightRecorder -XX:StartFlightRecording=filename=$JFR,settings=$BENCH_TMP/sampling.jfc,dumponexit=true"
fi
KIND=jgun
if [ -n "$PG" ]; then pg_start; KIND=jgun-postgres; fi
JGUN_JAVA_OPTS="-Xmx2g $PROFILER" relay_start "$KIND"
load --souls uuid -c 10 -w 10 -d 5s >/dev/null # warm-up, in the recording too
[ -z "$PG" ] || pg_watch_start
case "$LOAD" in
  put) res=$(load --mode put --souls uuid -c "$C" -w "$W" -s 64 -d "${DUR}s") ;;
  get) load --mode put -c 10 -w 100 -n 10000 --prefix get/ -d 120s >/dev/null
       res=$(load --mode get -c "$C" -w "$W" --keys 10000 --prefix get/ -d "${DUR}s") ;;
  fanout) res=$(load --mode fanout --subscribers "$SUBS" -w 10 -s 64 -d "${DUR}s" --connect-timeout 60s) ;;
  *) echo "--load put|get|fanout" >&2; exit 2 ;;
esac
echo "$res"
[ -z "$PG" ] || pg_watch_report
# CPU seconds per thread of the relay over the whole run (from /proc), pools added up.
echo "relay CPU seconds by thread (user+system, /proc/$RELAY_PID/task):"
for t in /proc/"$RELAY_PID"/task/*; do
  printf '%s\t%s\n' "$(sed 's/[0-9]\+/N/g' "$t/comm")" "$(awk -v k="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / k }' "$t/stat")"
done | awk -F'\t' '{ s[$1] += $2; n[$1]++ } END { for (k in s) printf "%8.2f  %s (%d threads)\n", s[k], k, n[k] }' | sort -rn | head -15
relay_stop
if [ -n "$ASYNC" ]; then
  echo "profile (async-profiler, collapsed stacks): $JFR"
  node "$BENCH_ROOT/bench/jfr-top.js" --collapsed --top 30 <"$JFR"
  exit 0
fi
echo "recording: $JFR"
jfr summary "$JFR" | sed -n '1,12p'
echo "== Java samples (jdk.ExecutionSample)"
jfr print --stack-depth 64 --events jdk.ExecutionSample "$JFR" | node "$BENCH_ROOT/bench/jfr-top.js" --top 30
echo "== native samples (jdk.NativeMethodSample: threads in native code, e.g. epoll_wait, RocksDB write)"
jfr print --stack-depth 64 --events jdk.NativeMethodSample "$JFR" | sed 's/jdk.NativeMethodSample {/jdk.ExecutionSample {/' \
  | node "$BENCH_ROOT/bench/jfr-top.js" --top 10
if [ -n "$PG" ]; then
  echo "== the mesh loop's native samples (jgun-io: blocked in a socket read is a PostgreSQL round trip on the loop)"
  jfr print --stack-depth 64 --events jdk.NativeMethodSample "$JFR" | sed 's/jdk.NativeMethodSample {/jdk.ExecutionSample {/' \
    | node "$BENCH_ROOT/bench/jfr-top.js" --thread jgun-io --filter io.jgun --top 12 | sed -n '/^total/,$p'
fi
