#!/usr/bin/env bash
# Load: LoadIT and ManyInputsIT at full size. Twenty jobs submitted at once by three users; one
# job of ITEMS segments (default 1000: ITEMS/50 generated 100 s clips at 96x54, each cut into 50
# two-second segments, 3 local workers); one job of INPUTS inputs named by 150-character absolute
# paths (default 2000) and a watch schedule's run over 500 new files. Every output is checked, the
# coordinator's heap and threads sampled from its /metrics four times a second. CI runs the same
# tests with 100 segments and 2,000 inputs (pom.xml: vidbatch.load.items, vidbatch.load.inputs).
#
#   bench/load.sh [ITEMS] [INPUTS]   prints the rows recorded (also in target/reliability/load.tsv)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

items=${1:-1000}
inputs=${2:-2000}
(( items % 50 == 0 )) || die "ITEMS must be a multiple of 50 (50 segments per clip)"
say "LoadIT with a job of $items segments, ManyInputsIT with a job of $inputs inputs (builds vidbatch, starts the IT server)"
mvn -B verify -Dit.test='LoadIT,ManyInputsIT' -Dvidbatch.load.items="$items" -Dvidbatch.load.inputs="$inputs" \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
say "recorded rows"
cut -f1,2 --output-delimiter=$'\n  ' target/reliability/load.tsv
