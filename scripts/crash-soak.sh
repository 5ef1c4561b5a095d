#!/usr/bin/env bash
# A longer soak of the SIGKILL crash test (jgun-relay's io.jgun.relay.CrashTest): a relay runs as
# its own process, a client streams writes and records every ack, the relay is killed with SIGKILL
# at a random point, restarted on the same data, and every acknowledged write must be there with
# its value. CYCLES kills in one run; the data directory grows across them.
#
#   scripts/crash-soak.sh [CYCLES] [DURABILITY] [SEED]
#     CYCLES      SIGKILL cycles (default 50)
#     DURABILITY  SYNC (default: acked after fsync), WAL or NONE (NONE is expected to lose acked
#                 writes on a kill: it is a negative control, not a supported setting)
#     SEED        the random seed of the kill points (default: random); printed, so a failing run
#                 can be replayed
#
# Prints the seed and the number of acknowledged writes verified; exits 0 if every one survived,
# 1 otherwise (the Maven/surefire output and the log file name are shown). Builds jgun-relay and the
# modules it needs (tests of those modules are not run). Needs JDK 17+ and Maven.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CYCLES="${1:-50}"
DURABILITY="${2:-SYNC}"
SEED="${3:-$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')}"

case "$CYCLES" in ''|*[!0-9]*) echo "crash-soak: CYCLES must be a positive integer, was '$CYCLES'" >&2; exit 2;; esac
[ "$CYCLES" -ge 1 ] || { echo "crash-soak: CYCLES must be at least 1" >&2; exit 2; }
case "$DURABILITY" in SYNC|WAL|NONE) ;; *) echo "crash-soak: DURABILITY must be SYNC, WAL or NONE, was '$DURABILITY'" >&2; exit 2;; esac
case "$SEED" in ''|*[!0-9-]*) echo "crash-soak: SEED must be an integer, was '$SEED'" >&2; exit 2;; esac
command -v mvn >/dev/null || { echo "crash-soak: Maven (mvn) is needed" >&2; exit 2; }

LOG="$(mktemp "${TMPDIR:-/tmp}/jgun-crash-soak.XXXXXX.log")"
echo "crash-soak: $CYCLES SIGKILL cycles, durability $DURABILITY, seed $SEED (log: $LOG)"
START=$(date +%s)
set +e
(cd "$ROOT" && mvn -B -pl jgun-relay -am verify \
    -Dtest='io.jgun.relay.CrashTest' -Dsurefire.failIfNoSpecifiedTests=false \
    -Djgun.interop.skip=true \
    -Djgun.crash.cycles="$CYCLES" -Djgun.crash.durability="$DURABILITY" -Djgun.crash.seed="$SEED") >"$LOG" 2>&1
STATUS=$?
set -e
ELAPSED=$(( $(date +%s) - START ))

SUMMARY="$(grep -a '^CrashTest: seed .*verified' "$LOG" | tail -1 || true)"
if [ "$STATUS" -eq 0 ] && [ -n "$SUMMARY" ]; then
  VERIFIED="$(sed -E 's/.* ([0-9]+) acknowledged writes verified.*/\1/' <<<"$SUMMARY")"
  SENT="$(sed -E 's/.* ([0-9]+) writes sent.*/\1/' <<<"$SUMMARY")"
  echo "crash-soak: PASS in ${ELAPSED} s: seed $SEED, $CYCLES SIGKILLs, durability $DURABILITY:" \
       "$VERIFIED acknowledged writes verified (of $SENT sent), none lost"
  rm -f "$LOG"
  exit 0
fi
echo "crash-soak: FAIL after ${ELAPSED} s (seed $SEED, $CYCLES cycles, durability $DURABILITY; replay:" \
     "scripts/crash-soak.sh $CYCLES $DURABILITY $SEED)" >&2
grep -a -E '^CrashTest:|Tests run:|FAIL|expected|Expecting|but was|lost|not found' "$LOG" | head -40 >&2 || true
echo "crash-soak: full log: $LOG" >&2
exit 1
