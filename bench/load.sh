#!/usr/bin/env bash
# Load: LoadIT at full size. Twenty jobs submitted at once by three users, then one job of ITEMS
# items (default 1000: ITEMS/50 generated 100 s clips at 96x54, each cut into 50 two-second
# segments, 3 local workers), every output checked with ffprobe, the coordinator's heap and
# threads sampled from its /metrics four times a second. CI runs the same test at 1,000 items
# (pom.xml: vidbatch.load.items); this runs it at any size, alone.
#
#   bench/load.sh [ITEMS]      prints the rows LoadIT recorded (also in target/reliability/load.tsv)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

items=${1:-1000}
(( items % 50 == 0 )) || die "ITEMS must be a multiple of 50 (50 segments per clip)"
say "LoadIT with a job of $items items (builds vidbatch and starts the IT server)"
mvn -B verify -Dit.test=LoadIT -Dvidbatch.load.items="$items" -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
say "recorded rows"
cut -f1,2 --output-delimiter=$'\n  ' target/reliability/load.tsv
