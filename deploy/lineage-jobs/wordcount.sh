#!/bin/sh
# A sample command-line lineage job: counts the words of all its inputs (read through `ofs cat`) and writes one
# "COUNT WORD" line per word, most frequent first, to its output through `ofs copyFromLocal --write-type
# MUST_CACHE`. Its input may be another lineage's output, which makes a chain:
#   ofs lineage create --input /demo/upper.txt --output /demo/counts.txt -- wordcount.sh
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
printf '%s\n' "$OFS_LINEAGE_INPUTS" | while IFS= read -r input; do run_ofs cat "$input"; done > "$work/in"
LC_ALL=C tr -cs '[:alnum:]' '\n' < "$work/in" | LC_ALL=C grep -v '^$' | LC_ALL=C sort | uniq -c \
  | LC_ALL=C sort -k1,1nr -k2,2 | awk '{ print $1, $2 }' > "$work/out"
run_ofs copyFromLocal --write-type MUST_CACHE "$work/out" "$OFS_LINEAGE_OUTPUT_1"
echo "wordcount.sh: lineage $OFS_LINEAGE_ID run $OFS_LINEAGE_RUN counted $(wc -l < "$work/out") words into $OFS_LINEAGE_OUTPUT_1"
