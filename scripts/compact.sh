#!/usr/bin/env bash
# Compacts the running service (see docs/COMPACTION.md): archives cells unreachable from the roots, deletes
# archived cells, disposed propagators and Gun tombstones past their retention, and prints the progress and the
# final summary (one JSON object per line) as the gateway's admin endpoint streams them.
#
# usage: scripts/compact.sh [--gateway http://127.0.0.1:8765] [--archive-retention 30.00:00:00]
#                           [--tombstone-retention 7.00:00:00] [--propagator-retention 30.00:00:00]
# Retentions are .NET time spans (d.hh:mm:ss). The admin endpoint answers loopback requests only unless the
# gateway runs with OrleansSync:Gateway:AllowRemoteAdmin=true.
set -euo pipefail

gateway="http://127.0.0.1:8765"
query=()
while [ $# -gt 0 ]; do
  case "$1" in
    --gateway) gateway="$2"; shift 2 ;;
    --archive-retention) query+=("archiveRetention=$2"); shift 2 ;;
    --tombstone-retention) query+=("tombstoneRetention=$2"); shift 2 ;;
    --propagator-retention) query+=("propagatorRetention=$2"); shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

url="$gateway/admin/compact"
if [ ${#query[@]} -gt 0 ]; then url="$url?$(IFS='&'; echo "${query[*]}")"; fi
exec curl --silent --show-error --no-buffer --fail-with-body -X POST "$url"
