#!/bin/sh
# A job that is not deterministic: every run writes other bytes. $1: the ofs.dll to run.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 65536 /dev/urandom > "$work/out"
dotnet "$1" copyFromLocal --write-type MUST_CACHE "$work/out" "$OFS_LINEAGE_OUTPUT_1"
