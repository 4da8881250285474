#!/usr/bin/env bash
# Runs the service on the embedded default: one silo (SQLite under ./data) and the Gun gateway.
# Gun peers connect to the URL the gateway prints (http://127.0.0.1:8765/gun by default).
# Extra arguments go to both processes (for example --OrleansSync:Gateway:Port=9000). Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
# Fewer glibc malloc arenas: an idle silo then hands back much more of a burst's memory (docs/BENCHMARKS.md).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
dotnet build OrleansSync.sln -c Release -v quiet -nologo
silo_log=$(mktemp)
dotnet src/Silo/bin/Release/net10.0/OrleansSync.Silo.dll "$@" > >(tee "$silo_log") 2>&1 &
silo=$!
trap 'kill $silo ${gateway:-} 2>/dev/null; wait 2>/dev/null; rm -f "$silo_log"' EXIT INT TERM
until grep -q "silo ready" "$silo_log"; do
  kill -0 $silo 2>/dev/null || { echo "the silo exited before it was ready" >&2; exit 1; }
  sleep 0.5
done
dotnet src/GunGateway/bin/Release/net10.0/OrleansSync.GunGateway.dll "$@" &
gateway=$!
wait -n $silo $gateway
