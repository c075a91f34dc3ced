#!/usr/bin/env bash
# Restores, builds and runs every OrleansFs test project, then prints "N passed, N failed" last.
# Installs what the tests need (ZooKeeper, PostgreSQL 15, Chromium, promtool, openssl for deploy/tls/make-test-ca.sh, iproute2 and nftables for the host-fault tests) from Debian's packages when missing. The servers
# the tests use (ZooKeeper members, silo processes) are started and stopped by PID by the test fixtures;
# as a safety net, anything still running from this run's temp directory is stopped by PID at the end.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

log() { printf '[test.sh] %s\n' "$*" >&2; }

need_pkgs=()
dpkg -s zookeeper >/dev/null 2>&1 || need_pkgs+=(zookeeper)
command -v nc >/dev/null 2>&1 || need_pkgs+=(netcat-openbsd)
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
command -v java >/dev/null 2>&1 || need_pkgs+=(default-jre-headless)
command -v promtool >/dev/null || need_pkgs+=(prometheus)
command -v openssl >/dev/null || need_pkgs+=(openssl)
# The host-fault tests (tests/TestSupport/Network) put silos in network namespaces and drop packets with nftables.
command -v ip >/dev/null || need_pkgs+=(iproute2)
command -v nft >/dev/null || need_pkgs+=(nftables)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_pkgs+=(postgresql-15)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null \
    || { log "apt-get install ${need_pkgs[*]} failed"; exit 1; }
fi

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ofs-testrun-XXXXXX")
RESULTS="$RUN_DIR/results"
mkdir -p "$RESULTS"
export TMPDIR="$RUN_DIR/tmp"
mkdir -p "$TMPDIR"
export OFS_ARTIFACTS="${OFS_ARTIFACTS:-$ROOT/artifacts}"
mkdir -p "$OFS_ARTIFACTS"

cleanup() {
  # Safety net only: fixtures stop their own processes. Anything left that was started with a path in
  # this run's directory is stopped here, by PID.
  local pids
  pids=$(pgrep -f "$RUN_DIR" 2>/dev/null | grep -v "^$$\$" || true)
  if [ -n "$pids" ]; then
    log "stopping leftover processes: $(echo $pids)"
    kill $pids 2>/dev/null; sleep 1; kill -9 $pids 2>/dev/null
  fi
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log "building"
if ! dotnet build OrleansFs.sln -c Debug -nologo -v q -clp:ErrorsOnly > "$RUN_DIR/build.log" 2>&1; then
  cat "$RUN_DIR/build.log" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# Order: fast logic first, real processes last.
projects=(Unit.Tests ZooKeeper.Client.Tests Cluster.Tests ZooKeeper.Tests Packaging.Tests System.Tests Web.Tests)
status=0
for p in "${projects[@]}"; do
  dir="tests/$p"
  [ -d "$dir" ] || continue
  grep -rqE '\[(Fact|Theory)' "$dir" --include=*.cs || { log "$p has no tests yet"; continue; }
  log "running $p"
  start=$(date +%s)
  dotnet test "$dir" --no-build -c Debug -nologo \
      --logger "trx;LogFileName=$p.trx" --logger "console;verbosity=normal" \
      --results-directory "$RESULTS" --blame-hang-timeout 8m \
      > "$RUN_DIR/$p.out" 2>&1
  rc=$?
  # A failure shows its message and the top of its stack, so a CI log alone can be diagnosed.
  awk '/^[ \t]+Failed [A-Z]/ { n = 16; print; next } /^[ \t]+(Passed|Skipped) [A-Z]/ { n = 0 } n > 0 { print; n--; next } /Total tests|Passed!|Failed!|^[ \t]+Skipped [A-Z]/' \
    "$RUN_DIR/$p.out" | head -300 >&2
  log "$p finished in $(( $(date +%s) - start ))s (exit $rc)"
  if [ $rc -ne 0 ] && ! ls "$RESULTS/$p.trx" >/dev/null 2>&1; then
    tail -50 "$RUN_DIR/$p.out" >&2
    status=1
  fi
  [ $rc -ne 0 ] && status=1
  cp "$RUN_DIR/$p.out" "$OFS_ARTIFACTS/$p.log" 2>/dev/null || true
done

passed=0; failed=0; skipped=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  t=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
  e=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
done
# A project that crashed without results counts as a failure.
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
if [ $skipped -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ $status -eq 0 ] && [ $failed -eq 0 ]
