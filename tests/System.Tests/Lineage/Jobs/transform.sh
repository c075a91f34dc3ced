#!/bin/sh
# A command-line lineage job as a user writes one: it reads its input through `ofs cat` and writes a transformed
# output (every letter a-y shifted to the next) through `ofs copyFromLocal --write-type MUST_CACHE`, with paths from
# the environment the silo gives it. One 8 MiB block, so the output has one holder.
# $1: the ofs.dll to run; $2 (optional): seconds to sleep before writing.
set -eu
ofs="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet "$ofs" cat "$OFS_LINEAGE_INPUT_1" > "$work/in"
tr 'a-y' 'b-z' < "$work/in" > "$work/out"
if [ -n "${2-}" ]; then sleep "$2"; fi
dotnet "$ofs" copyFromLocal --write-type MUST_CACHE --block-size 8388608 "$work/out" "$OFS_LINEAGE_OUTPUT_1"
echo "lineage $OFS_LINEAGE_ID run $OFS_LINEAGE_RUN wrote $OFS_LINEAGE_OUTPUT_1"
