#!/bin/sh
# A sample command-line lineage job: reads its input through `ofs cat`, upper-cases it, and writes the result to
# its output through `ofs copyFromLocal --write-type MUST_CACHE`. The silo running it gives the paths and the
# cluster in the environment (OFS_LINEAGE_INPUT_1, OFS_LINEAGE_OUTPUT_1, OFS_ZOOKEEPER or OFS_GATEWAY).
#   ofs lineage create --input /demo/in.txt --output /demo/upper.txt -- upper.sh
# `ofs` is $OFS_CLI_DLL (set by deploy/local-cluster.sh), else `ofs` on PATH, else the local cluster's build.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
run_ofs() {
  if [ -n "${OFS_CLI_DLL-}" ]; then dotnet "$OFS_CLI_DLL" "$@"
  elif command -v ofs >/dev/null 2>&1; then ofs "$@"
  else dotnet "$here/../../data/local-cluster/bin/ofs/ofs.dll" "$@"; fi
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run_ofs cat "$OFS_LINEAGE_INPUT_1" > "$work/in"
LC_ALL=C tr 'a-z' 'A-Z' < "$work/in" > "$work/out"
run_ofs copyFromLocal --write-type MUST_CACHE "$work/out" "$OFS_LINEAGE_OUTPUT_1"
echo "upper.sh: lineage $OFS_LINEAGE_ID run $OFS_LINEAGE_RUN wrote $(wc -c < "$work/out") bytes to $OFS_LINEAGE_OUTPUT_1"
