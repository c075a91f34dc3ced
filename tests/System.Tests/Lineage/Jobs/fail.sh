#!/bin/sh
# A lineage job that always fails, saying why on stderr.
echo "transform failed: no dictionary for $OFS_LINEAGE_INPUT_1" >&2
exit 3
