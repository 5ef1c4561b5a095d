#!/usr/bin/env bash
# N jgun relays on one PostgreSQL (issue #18): put→ack and cross-relay fan-out with 1, 2 and 3
# relays (`bin/jgun relay --postgres`), and the CPU time each put costs in the relays and in
# PostgreSQL. Starts its own throw-away cluster (initdb in a temp directory, fsync and
# synchronous_commit on) from Debian's postgresql package; prints one JSON line per run and a
# Markdown table.
#   bench/postgres-relays.sh [-d SECONDS] [-c CONNECTIONS] [-w WINDOW] [--relays "1 2 3"]
# Puts: C connections with W puts in flight each, split evenly over the relays (one load.js per
# relay, run at the same time). Fan-out: the writer on the first relay at --rate R updates/s, S
# subscribers on the last one (with 1 relay both on the same relay: the local baseline).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DUR=10; CONNS=12; WIN=10; RELAYS="1 2 3"; SUBS=100; RATE=50
while [ $# -gt 0 ]; do
  case "$1" in
    -d) DUR=$2; shift 2 ;; -c) CONNS=$2; shift 2 ;; -w) WIN=$2; shift 2 ;;
    --relays) RELAYS=$2; shift 2 ;; --subscribers) SUBS=$2; shift 2 ;; --rate) RATE=$2; shift 2 ;;
    *) echo "usage: $0 [-d SECONDS] [-c CONNECTIONS] [-w WINDOW] [--relays '1 2 3'] [--subscribers S] [--rate R]" >&2; exit 2 ;;
  esac
done
PG_BIN="${JGUN_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
bench_prepare
# not under BENCH_TMP: the postgres user must reach it
PGDIR="$(mktemp -d "${TMPDIR:-/tmp}/jgun-bench-pg-XXXXXX")"
AS_PG=(); if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGDIR"; AS_PG=(runuser -u postgres --); fi
PGPORT=$(bench_free_port)
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$PGDIR/data" -A trust -U postgres --no-sync >/dev/null
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on" start >/dev/null
RELAY_PIDS=()
stop_all() {
  for p in "${RELAY_PIDS[@]:-}"; do [ -n "$p" ] && { kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; }; done
  RELAY_PIDS=()
}
cleanup_pg() { stop_all; "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"; bench_cleanup; }
trap cleanup_pg EXIT
# CPU seconds (user+system) of a process, or of the PostgreSQL server and all its backends
cpu_of() { awk -v t="$CLK_TCK" '{print ($14+$15)/t}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_cpu() {
  local pm total=0 p
  pm=$(head -1 "$PGDIR/data/postmaster.pid")
  for p in $pm $(ps -o pid= --ppid "$pm"); do total=$(echo "$total + $(cpu_of "$p")" | bc -l); done
  echo "$total"
}
relays_cpu() { local total=0 p; for p in "${RELAY_PIDS[@]}"; do total=$(echo "$total + $(cpu_of "$p")" | bc -l); done; echo "$total"; }
start_relays() { # n schema -> PORTS
  PORTS=()
  local i port
  for i in $(seq 1 "$1"); do
    port=$(bench_free_port)
    JGUN_NO_BUILD=1 "$BENCH_ROOT/bin/jgun" relay --host 127.0.0.1 --port "$port" --postgres "postgresql://postgres@127.0.0.1:$PGPORT/postgres" \
      --postgres-schema "$2" >"$BENCH_TMP/relay-$2-$i.log" 2>&1 &
    RELAY_PIDS+=($!)
    PORTS+=("$port")
  done
  for port in "${PORTS[@]}"; do
    for _ in $(seq 1 600); do grep -q "ws://127.0.0.1:$port/gun" "$BENCH_TMP"/relay-"$2"-*.log 2>/dev/null && break; sleep 0.1; done
  done
}
bench_log "machine: $(bench_machine)"
ROWS=()
for n in $RELAYS; do
  start_relays "$n" "puts$n"
  per=$(( (CONNS + n - 1) / n ))
  c0=$(relays_cpu); p0=$(pg_cpu)
  outs=(); loads=()
  for port in "${PORTS[@]}"; do
    out="$BENCH_TMP/put-$n-$port.json"; outs+=("$out")
    node "$BENCH_ROOT/bench/load.js" --port "$port" --mode put -c "$per" -w "$WIN" -s 64 -d "${DUR}s" --warmup 2s --label "postgres put relays=$n" >"$out" &
    loads+=($!)
  done
  for p in "${loads[@]}"; do wait "$p"; done
  c1=$(relays_cpu); p1=$(pg_cpu)
  row=$(node -e '
    const fs=require("fs"); const files=process.argv.slice(5);
    const rs=files.map(f=>JSON.parse(fs.readFileSync(f,"utf8").trim().split("\n").pop()));
    const ops=rs.reduce((a,r)=>a+r.opsPerSec,0), done=rs.reduce((a,r)=>a+(r.completed||0),0);
    const lat=rs.map(r=>r.latencyMs||{}); const p50=Math.max(...lat.map(l=>l.p50||0)), p99=Math.max(...lat.map(l=>l.p99||0));
    const errs=rs.reduce((a,r)=>a+(r.errors||0)+(r.timeouts||0),0);
    const n=+process.argv[1], dr=+process.argv[2], dp=+process.argv[3], total=+process.argv[4];
    console.log(JSON.stringify({relays:n, putsPerSec:ops, p50ms:p50, p99ms:p99, errors:errs, cpuRelaysSec:dr, cpuPgSec:dp, measuredOps:done}));
  ' "$n" "$(echo "$c1 - $c0" | bc -l)" "$(echo "$p1 - $p0" | bc -l)" 0 "${outs[@]}")
  echo "$row"; ROWS+=("$row")
  stop_all
  start_relays "$n" "fan$n"
  fo="$BENCH_TMP/fan-$n.json"
  node "$BENCH_ROOT/bench/load.js" --port "${PORTS[-1]}" --writer-port "${PORTS[0]}" --mode fanout --subscribers "$SUBS" --rate "$RATE" \
    -d "${DUR}s" --warmup 2s --label "postgres fanout relays=$n" >"$fo"
  echo "{\"relays\":$n,\"fanout\":$(tail -1 "$fo")}"
  ROWS+=("{\"relays\":$n,\"fanout\":$(tail -1 "$fo")}")
  stop_all
done
printf '%s\n' "${ROWS[@]}" > "$BENCH_TMP/rows.jsonl"
node -e '
  const rows=require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").map(JSON.parse);
  console.log("| relays | puts/s | put→ack p50 / p99 ms | CPU per put, relays | CPU per put, PostgreSQL | errors | fan-out: delivered | write→delivery p50 / p99 ms |");
  console.log("|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows.filter(r=>r.putsPerSec!==undefined)) {
    const f=(rows.find(x=>x.fanout&&x.relays===r.relays)||{}).fanout||{}; const fo=f.fanout||{}; const l=f.latencyMs||{};
    // CPU is over the whole run (warm-up and drain included): divided by the puts acked in it
    const puts=r.measuredOps||1;
    console.log(`| ${r.relays} | ${Math.round(r.putsPerSec)} | ${r.p50ms} / ${r.p99ms} | ${(1000*r.cpuRelaysSec/puts).toFixed(3)} ms | ${(1000*r.cpuPgSec/puts).toFixed(3)} ms | ${r.errors} | ${fo.deliveredPct}% of ${fo.deliveriesExpected} | ${l.p50} / ${l.p99} |`);
  }' "$BENCH_TMP/rows.jsonl"
