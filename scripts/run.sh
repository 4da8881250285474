#!/usr/bin/env bash
# Runs the service on the embedded default: silo A (SQLite under ./data), which also hosts the Gun relay and its web
# view (OrleansSync:Gateway:InSilo: no serialization or socket hop between a put and its grain).
# MACHINES=2 ./scripts/run.sh adds machine B, a second silo on the same store that joins the first.
# Gun peers connect to http://127.0.0.1:8765/gun; the web view is at http://127.0.0.1:8765/.
# Extra arguments go to every silo (for example --OrleansSync:Gateway:Port=9000). Ctrl+C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
machines="${MACHINES:-1}"
# Fewer glibc malloc arenas: an idle silo then hands back much more of a burst's memory (docs/BENCHMARKS.md).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
dotnet build OrleansSync.sln -c Release -v quiet -nologo
pids=()
logs=()
trap 'kill ${pids[*]} 2>/dev/null; wait 2>/dev/null; rm -f "${logs[@]}"' EXIT INT TERM

# Starts one silo and waits for its ready line: start_silo <machine> <silo port> <gateway port> <web port> [more settings]
start_silo() {
  local machine=$1 silo_port=$2 gateway_port=$3 web_port=$4
  shift 4
  local log
  log=$(mktemp)
  logs+=("$log")
  dotnet src/Silo/bin/Release/net10.0/OrleansSync.Silo.dll --OrleansSync:MachineId="$machine" --OrleansSync:SiloPort="$silo_port" \
    --OrleansSync:GatewayPort="$gateway_port" --OrleansSync:Web:Port="$web_port" "$@" > >(tee "$log") 2>&1 &
  local pid=$!
  pids+=("$pid")
  until grep -q "silo ready" "$log"; do
    kill -0 "$pid" 2>/dev/null || { echo "silo $machine exited before it was ready" >&2; exit 1; }
    sleep 0.5
  done
}

start_silo A 11111 30000 8780 --OrleansSync:Gateway:InSilo=true "$@"
if [ "$machines" -ge 2 ]; then start_silo B 11112 30001 8781 --OrleansSync:PrimarySiloPort=11111 "$@"; fi
wait -n "${pids[@]}"
