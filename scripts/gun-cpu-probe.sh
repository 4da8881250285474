#!/usr/bin/env bash
# A quick A/B probe of the relay's CPU per put, lighter than the gun benchmark (`-- gun`): one silo with the relay in
# it (as run.sh runs it), SQLite in a temporary directory, a warm-up of bench.js puts, then bench.js (5,000) and
# raw-ingest (20,000), each with the silo's CPU from /proc, its bytes allocated per put (from its /metrics) and the
# CPU of each kind of thread (group commit, GC, thread pool). With BIN=<dir>, runs the silo built there, so two
# builds can be compared in alternating rounds: absolute figures on these machines move by 10-20% between runs.
#   ./scripts/gun-cpu-probe.sh                 # the Release build of this checkout
#   BIN=/tmp/before ./scripts/gun-cpu-probe.sh --OrleansSync:Storage=Memory
#   GUN=1 ./scripts/gun-cpu-probe.sh           # gun's own relay instead, for the same figures
#   GUN=1 ./scripts/gun-cpu-probe.sh --radisk /tmp/rad   # gun's relay on its file store
#   IDLE=50000 ./scripts/gun-cpu-probe.sh --Orleans:GrainCollection:CollectionAge=01:00:00   # CPU while holding souls
# Needs the npm gun package (./scripts/test.sh installs it under tests/GunInterop) and a Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH="$PWD/tests/GunInterop/node_modules" MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
bench=tests/Benchmarks/gun
port=${PORT:-8865}
data=$(mktemp -d)
log="$data/relay.log"
if [ -n "${GUN:-}" ]; then
  node "$bench/relay.js" "$port" "$@" > "$log" 2>&1 &
else
  dotnet "${BIN:-src/Silo/bin/Release/net10.0}/OrleansSync.Silo.dll" --OrleansSync:MachineId=probe --OrleansSync:DataDirectory="$data" \
    --OrleansSync:SiloPort=11311 --OrleansSync:GatewayPort=30311 --OrleansSync:Web:Port=8881 \
    --OrleansSync:Gateway:InSilo=true --OrleansSync:Gateway:Port="$port" --Logging:LogLevel:Default=Warning "$@" > "$log" 2>&1 &
fi
pid=$!
trap 'kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
# The silo says when it is ready; gun's relay is once its port answers.
ready() { if [ -n "${GUN:-}" ]; then (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; else grep -q "silo ready" "$log"; fi; }
until ready; do kill -0 $pid; sleep 0.3; done

ticks() { awk '{print $14+$15}' "/proc/$pid/stat"; }
allocated() { [ -n "${GUN:-}" ] && echo 0 || curl -s http://127.0.0.1:8881/metrics | awk '/^dotnet_gc_heap_total_allocated_bytes_total/ {printf "%d", $2}'; }
threads() {
  for t in /proc/$pid/task/*; do echo "$(tr ' ' '_' < "$t/comm") $(sed 's/^.*) //' "$t/stat" | awk '{print $12+$13}')"; done |
    awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' | sort
}
# measure <label> <puts> <command...>: CPU µs and bytes allocated per put, and per kind of thread
measure() {
  local label=$1 puts=$2
  shift 2
  local before after c0 c1 a0 a1
  before=$(threads); c0=$(ticks); a0=$(allocated)
  "$@" | tail -1
  c1=$(ticks); a1=$(allocated); after=$(threads)
  if [ -n "${GUN:-}" ]; then echo "$label: $(( (c1 - c0) * 10000 / puts )) µs CPU per put (gun relay)"
  else echo "$label: $(( (c1 - c0) * 10000 / puts )) µs CPU per put, $(( (a1 - a0) / puts )) bytes allocated per put"; fi
  join -a2 -e0 -o 0,1.2,2.2 <(echo "$before") <(echo "$after") |
    awk -v n="$puts" '{d=$3-$2; if (d>0) printf "  %s %d µs per put\n", $1, d*10000/n}'
}

if [ -n "${IDLE:-}" ]; then
  # What the process costs while it holds IDLE souls and nobody writes: raw-ingest of IDLE new souls, then its CPU
  # (ms a second) over nine 10 s windows; the first ones still hold the ingest's after-effects (JIT, writes, trims).
  RELAY_URL=ws://127.0.0.1:$port/gun RELAY_PID=$pid node "$bench/raw-ingest.js" "$IDLE" | tail -1
  windows=""
  for _ in 1 2 3 4 5 6 7 8 9; do c0=$(ticks); sleep 10; c1=$(ticks); windows="$windows $((c1 - c0))"; done
  echo "idle with $IDLE souls: ms of CPU a second, 10 s windows:$windows"
  exit 0
fi

RELAY_URL=http://127.0.0.1:$port/gun node "$bench/bench.js" "${WARM:-10000}" | tail -1
measure bench.js 5000 env RELAY_URL=http://127.0.0.1:$port/gun node "$bench/bench.js" 5000
measure raw-ingest 20000 env RELAY_URL=ws://127.0.0.1:$port/gun RELAY_PID=$pid node "$bench/raw-ingest.js" 20000
