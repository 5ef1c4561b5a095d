# Shared helpers of the benchmark scripts (sourced, not run): start and stop a relay, read its
# memory and CPU from /proc. Linux only (reads /proc/PID/status and /proc/PID/stat).
# shellcheck shell=bash

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_DIR="$BENCH_ROOT/jgun-interop/node"
CLK_TCK="$(getconf CLK_TCK)"
RELAY_PID=""
RELAY_DATA=""
RELAY_LOG=""
RELAY_PORT=""
BENCH_TMP=""

bench_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Installs npm gun@0.2020.1241 (and its ws) from jgun-interop/node's lock file, and builds jgun.
bench_prepare() {
  command -v node >/dev/null || { echo "node is needed" >&2; exit 1; }
  command -v java >/dev/null || { echo "java 17+ is needed" >&2; exit 1; }
  if [ ! -f "$NODE_DIR/node_modules/gun/package.json" ] || [ ! -f "$NODE_DIR/node_modules/ws/package.json" ]; then
    bench_log "installing gun@0.2020.1241 (npm ci in jgun-interop/node)"
    (cd "$NODE_DIR" && npm ci --no-audit --no-fund >&2)
  fi
  bench_log "building jgun if needed (bin/jgun builds on first use)"
  "$BENCH_ROOT/bin/jgun" --version >/dev/null
  if [ -n "${BENCH_NEEDS_JAR:-}" ] && { [ ! -f "$BENCH_ROOT/jgun-bench/target/jgun-bench.jar" ] || \
      [ -n "$(find "$BENCH_ROOT"/jgun-*/src/main "$BENCH_ROOT"/jgun-*/pom.xml "$BENCH_ROOT/pom.xml" \
        -newer "$BENCH_ROOT/jgun-bench/target/jgun-bench.jar" -type f -print -quit)" ]; }; then
    # The ceiling server runs jgun's transport (jgun-netty): rebuilt when any module changed.
    bench_log "building jgun-bench (the transport ceiling server)"
    (cd "$BENCH_ROOT" && mvn -B -q -DskipTests -Djgun.interop.skip=true -pl jgun-bench -am package) >&2
  fi
  BENCH_TMP="$(mktemp -d "${TMPDIR:-/tmp}/jgun-bench-XXXXXX")"
  # The Gun.js relay driver exits when its stdin closes: give it a pipe that stays open while we run.
  mkfifo "$BENCH_TMP/stdin"
  exec 7<>"$BENCH_TMP/stdin"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  relay_stop
  relays_stop
  pg_activity_stop
  pg_stop
  exec 7>&- 2>/dev/null || true
  [ -n "$BENCH_TMP" ] && rm -rf "$BENCH_TMP"
}

bench_free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

bench_machine() {
  local mem
  mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
  printf '%s, %s CPUs (%s), %s RAM, %s; %s; node %s; gun 0.2020.1241; load average at start %s\n' \
    "$(date -u +%Y-%m-%d)" "$(nproc)" "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" "$mem" \
    "$(uname -sr)" "$(java -version 2>&1 | head -1)" "$(node --version)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# relay_start gun|jgun [extra args...]: starts the relay on a free loopback port with a fresh data
# directory, waits until it accepts connections; sets RELAY_PID (the node or java process itself),
# RELAY_PORT, RELAY_DATA, RELAY_LOG. JGUN_RELAY_ARGS adds options to every jgun relay (e.g.
# "--limit-messages 0 --limit-bytes 0": the per-client rate limits cap one connection at 1,000
# messages/s by default, below what the put rows send).
relay_start() {
  local kind="$1"; shift
  RELAY_PORT="$(bench_free_port)"
  RELAY_DATA="$(mktemp -d "$BENCH_TMP/$kind-data-XXXX")"
  RELAY_LOG="$BENCH_TMP/$kind-relay.log"
  if [ "$kind" = jgun-postgres ]; then
    # On the cluster pg_start started, schema "bench" (created on first use).
    # shellcheck disable=SC2086
    JGUN_NO_BUILD=1 "$BENCH_ROOT/bin/jgun" relay --host 127.0.0.1 --port "$RELAY_PORT" --postgres "$PG_URL" \
      --postgres-schema bench ${JGUN_RELAY_ARGS:-} "$@" </dev/null >"$RELAY_LOG" 2>&1 &
  elif [ "$kind" = gun ]; then
    node "$NODE_DIR/relay.js" --port "$RELAY_PORT" --data "$RELAY_DATA" "$@" <&7 >"$RELAY_LOG" 2>&1 &
  elif [ "$kind" = ceiling ]; then
    # The transport ceiling (jgun-bench's CeilingServer): acks everything, stores nothing.
    # shellcheck disable=SC2086
    java ${JGUN_JAVA_OPTS:--Xmx2g} -cp "$BENCH_ROOT/jgun-bench/target/jgun-bench.jar" io.jgun.bench.CeilingServer \
      --host 127.0.0.1 --port "$RELAY_PORT" </dev/null >"$RELAY_LOG" 2>&1 &
  else
    # bin/jgun execs java, so $! is the JVM itself (relay_java_pid checks).
    # shellcheck disable=SC2086
    JGUN_NO_BUILD=1 "$BENCH_ROOT/bin/jgun" relay --host 127.0.0.1 --port "$RELAY_PORT" --data "$RELAY_DATA" ${JGUN_RELAY_ARGS:-} "$@" \
      </dev/null >"$RELAY_LOG" 2>&1 &
  fi
  RELAY_PID=$!
  local i
  for i in $(seq 1 600); do
    if ! kill -0 "$RELAY_PID" 2>/dev/null; then
      echo "relay $kind exited at start:" >&2; cat "$RELAY_LOG" >&2; exit 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$RELAY_PORT") 2>/dev/null; then break; fi
    sleep 0.1
  done
  case "$kind" in jgun*) RELAY_PID="$(relay_java_pid "$RELAY_PID")" ;; esac
  bench_log "$kind relay up: pid $RELAY_PID, port $RELAY_PORT, data $RELAY_DATA"
}

# The java process of bin/jgun: the pid itself when the launcher exec'd, else its java child.
relay_java_pid() {
  local pid="$1" c
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = java ]; then echo "$pid"; return; fi
  for c in /proc/[0-9]*/stat; do
    if awk -v p="$pid" '{ sub(/^.*\) /, ""); if ($2 == p) exit 0; exit 1 }' "$c" 2>/dev/null \
      && [ "$(cat "${c%/stat}/comm")" = java ]; then
      basename "${c%/stat}"; return
    fi
  done
  echo "$pid"
}

# CPU seconds (user + system, all threads) the process has used so far.
# Both print null once the process is gone.
relay_cpu() {
  awk -v t="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13) / t }' "/proc/$RELAY_PID/stat" 2>/dev/null || echo null
}
# CPU seconds the whole machine has been busy (all processes, all CPUs: /proc/stat minus idle and iowait).
machine_busy() { awk -v t="$CLK_TCK" '$1 == "cpu" { printf "%.2f\n", ($2 + $3 + $4 + $7 + $8 + $9) / t }' /proc/stat; }
relay_status_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$RELAY_PID/status" 2>/dev/null || echo null; }

relay_stop() {
  [ -n "$RELAY_PID" ] || return 0
  if kill -0 "$RELAY_PID" 2>/dev/null; then
    kill -TERM "$RELAY_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 100); do kill -0 "$RELAY_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$RELAY_PID" 2>/dev/null && kill -KILL "$RELAY_PID" 2>/dev/null || true
  fi
  wait "$RELAY_PID" 2>/dev/null || true
  RELAY_PID=""
}

# relay_record_process NAME: appends the relay's peak and current RSS, CPU seconds and data size
# to $OUT as one "kind":"process" line (call before relay_stop).
relay_record_process() {
  printf '{"relay":"%s","kind":"process","vmHwmKb":%s,"vmRssKb":%s,"cpuSec":%s,"dataKb":%s}\n' "$1" \
    "$(relay_status_kb VmHWM)" "$(relay_status_kb VmRSS)" "$(relay_cpu)" "$(du -sk "$RELAY_DATA" | cut -f1)" >>"$OUT"
}

# bench_report KIND: the closing lines of a matrix run and bench/report.js KIND's table of $OUT.
bench_report() {
  echo
  echo "Machine: $MACHINE; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "Each run: ${DUR} s measured after a 2 s warm-up; medians of $REPS runs. Raw results: $OUT"
  echo
  node "$BENCH_ROOT/bench/report.js" "$1" "$OUT"
}

# load ARGS...: one run of the load client against the current relay; prints its JSON line.
load() { node "$BENCH_ROOT/bench/load.js" --port "$RELAY_PORT" "$@"; }

# ------------------------------------------------------------------------------------ PostgreSQL
# A throw-away cluster of Debian's postgresql package (initdb in a temp directory, a free loopback
# port, fsync and synchronous_commit on, trust authentication); as root its binaries run as the
# postgres user. Sets PG_URL (what --postgres takes), PG_PORT, PGDIR; bench_cleanup stops it.
PGDIR=""
PG_BIN=""
PG_PORT=""
PG_URL=""
AS_PG=()
pg_start() {
  PG_BIN="${JGUN_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
  [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL's binaries are needed (Debian: apt-get install postgresql, or set JGUN_PG_BIN)" >&2; exit 1; }
  # not under BENCH_TMP: the postgres user must reach it
  PGDIR="$(mktemp -d "${TMPDIR:-/tmp}/jgun-bench-pg-XXXXXX")"
  AS_PG=()
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGDIR"; AS_PG=(runuser -u postgres --); fi
  PG_PORT="$(bench_free_port)"
  "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PGDIR/data" -A trust -U postgres --no-sync >/dev/null
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
    -o "-p $PG_PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on" start >/dev/null
  PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
  bench_log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $NF}') up: $PG_URL (data $PGDIR/data)"
}

pg_stop() {
  [ -n "$PGDIR" ] || return 0
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
  PGDIR=""
}

# pg_sql SQL: runs one statement on the cluster, prints unaligned rows ("|" between columns).
pg_sql() { "${AS_PG[@]}" "$PG_BIN/psql" -h "$PGDIR" -p "$PG_PORT" -U postgres -d postgres -XAtq -c "$1"; }

# The postmaster and every process it forked (backends, WAL writer, checkpointer...).
pg_pids() {
  local pm
  pm=$(head -1 "$PGDIR/data/postmaster.pid")
  echo "$pm" $(ps -o pid= --ppid "$pm")
}

# CPU seconds (user + system) of the PostgreSQL server and all its processes, alive now.
pg_cpu() {
  local p
  for p in $(pg_pids); do pid_cpu "$p"; done | awk '{ s += $1 } END { printf "%.2f\n", s }'
}

# "pid seconds" for each PostgreSQL process (bench/pg-activity.js reads two of these).
pg_proc_cpu() { local p; for p in $(pg_pids); do echo "$p $(pid_cpu "$p")"; done; }

# pg_activity_start SECONDS FILE: samples pg_stat_activity every 100 ms for SECONDS into FILE (one
# psql session; pg_sleep paces it server-side; its own backend left out); bench/pg-activity.js
# summarises it. pg_activity_stop ends it early.
PG_ACTIVITY_PID=""
pg_activity_start() {
  local q="SELECT pid, coalesce(nullif(application_name, ''), backend_type), state, coalesce(wait_event_type || ':' || wait_event, 'on CPU'), left(regexp_replace(query, '\\s+', ' ', 'g'), 40) FROM pg_stat_activity WHERE pid <> pg_backend_pid();"
  local i
  for i in $(seq 1 $(($1 * 10))); do echo "$q"; echo "SELECT pg_sleep(0.1);"; done \
    | "${AS_PG[@]}" "$PG_BIN/psql" -h "$PGDIR" -p "$PG_PORT" -U postgres -d postgres -XAtq >"$2" 2>&1 &
  PG_ACTIVITY_PID=$!
}
pg_activity_stop() {
  [ -n "$PG_ACTIVITY_PID" ] || return 0
  kill "$PG_ACTIVITY_PID" 2>/dev/null || true
  wait "$PG_ACTIVITY_PID" 2>/dev/null || true
  PG_ACTIVITY_PID=""
}

# relay_metric PORT NAME: the value of one Prometheus metric of the jgun relay on PORT (its
# /metrics), summed over its labels; 0 when absent.
relay_metric() {
  curl -s --max-time 5 "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $2 } END { printf "%.0f\n", s }'
}

# ------------------------------------------------------------------------------- several relays
# relays_* keep several relays at once (bench/relays-side-by-side.sh): RELAY_PIDS (the JVM or
# node process of each), RELAY_PORTS.
RELAY_PIDS=()
RELAY_PORTS=()

# CPU seconds (user + system, all threads) of one process; 0 once it is gone.
pid_cpu() { awk -v t="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13) / t }' "/proc/$1/stat" 2>/dev/null || echo 0; }

relays_cpu() {
  local p
  for p in "${RELAY_PIDS[@]}"; do pid_cpu "$p"; done | awk '{ s += $1 } END { printf "%.2f\n", s }'
}

# Waits until PORT accepts connections, as long as PID lives (else prints LOG and exits).
wait_port() {
  local port="$1" pid="$2" log="$3" i
  for i in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then echo "relay on port $port exited at start:" >&2; cat "$log" >&2; exit 1; fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "relay on port $port did not listen within 60 s" >&2; cat "$log" >&2; exit 1
}

relays_stop() {
  local p i
  for p in "${RELAY_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${RELAY_PIDS[@]}"; do
    for i in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  RELAY_PIDS=()
  RELAY_PORTS=()
}
