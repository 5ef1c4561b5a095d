#!/usr/bin/env bash
# Stands in for the Rust relay the PANIC tests' ROD_PATH hook was written for: translates
#   start --port P --sled-storage=false [--peers URLS | --peers=URLS]
# into `bin/jgun relay --port P --memory [--peers URLS]` (a jgun relay built from this repository).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
port=""; peers=""
while [ $# -gt 0 ]; do
  case "$1" in
    start|--sled-storage=*) ;;
    --port) port="$2"; shift ;;
    --port=*) port="${1#*=}" ;;
    --peers) peers="$2"; shift ;;
    --peers=*) peers="${1#*=}" ;;
    *) echo "rod-jgun: ignoring unknown argument $1" >&2 ;;
  esac
  shift
done
[ -n "$port" ] || { echo "rod-jgun: no --port" >&2; exit 2; }
args=(relay --port "$port" --memory)
[ -n "$peers" ] && args+=(--peers "$peers")
# JGUN_RELAY_ARGS: extra relay options, e.g. "--max-frame 90000000" (split on spaces)
# shellcheck disable=SC2206
[ -n "${JGUN_RELAY_ARGS:-}" ] && args+=(${JGUN_RELAY_ARGS})
echo "rod-jgun: ${JGUN_BIN:-$ROOT/bin/jgun} ${args[*]}"
exec "${JGUN_BIN:-$ROOT/bin/jgun}" "${args[@]}"
