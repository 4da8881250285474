#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: the README's test command and what .ci/run calls.
# Sets up what the tests need first:
#  - PostgreSQL server binaries (the tests start a throwaway server from them; installed here if missing,
#    unless ORLEANSSYNC_POSTGRES names a server to use instead),
#  - NuGet packages (dotnet test restores them),
#  - the npm package gun@0.2020.1241 for the Gun interop tests (tests/GunInterop, from its lock file; the build
#    installs the web view's copy in src/GunGateway/WebView),
#  - Debian's chromium for the web view's browser tests (Playwright for .NET drives it by its path).
set -euo pipefail
cd "$(dirname "$0")/.."

# Installs a Debian package when this machine may (root with apt), or says what is missing and how to supply it.
install_package() {   # install_package <package> <what it is for> <the variable that names an existing one instead>
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing $1 for $2..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  else
    echo "$1 is needed for $2: install Debian's $1, or set $3." >&2
    exit 1
  fi
}

if [ -z "${ORLEANSSYNC_POSTGRES:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  install_package postgresql "the tests' throwaway database" "ORLEANSSYNC_POSTGRES to a connection string"
fi

# Debian's chromium for the web view tests (Playwright drives it; its own browser download is not used).
if [ -z "${ORLEANSSYNC_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  install_package chromium "the web view tests" "ORLEANSSYNC_CHROMIUM to a chromium binary"
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js and npm are needed for the Gun interop tests (real gun.js peers)." >&2
  exit 1
fi
npm ci --prefix tests/GunInterop --no-audit --no-fund --loglevel=error

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test OrleansSync.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line for CI: "N passed, N failed".
passed=$({ grep -oE 'Passed: +[0-9]+' "$log" || true; } | awk '{s += $2} END {print s + 0}')
failed=$({ grep -oE 'Failed: +[0-9]+' "$log" || true; } | awk '{s += $2} END {print s + 0}')
echo "$passed passed, $failed failed"
exit "$status"
