#!/usr/bin/env bash
# What measuring costs a single-file job: the same job (one 60 s 1080p source to h264-720p, in
# 20 s segments on 2 workers) with quality=false and quality=true, ROUNDS (default 3) paired
# rounds after an untimed warm-up, each timed from submission until it is seen COMPLETED. Last
# line: the median of the rounds' ratios, measured ÷ not measured.
#
#   bench/quality.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

rounds=${ROUNDS:-3}
dir="$(pwd)/target/bench"
bench_film >/dev/null
say "building vidbatch"
vb_build
vb_start "$dir/inputs" "$dir/outputs"

# run NAME QUALITY: one job, timed from submission until it is seen COMPLETED.
run() {
  vb_timed "{\"inputs\": [\"ladder/film-1080p-60s.mp4\"], \"preset\": \"h264-720p\", \"segmentSeconds\": 20, \"workers\": 2, \"quality\": $2, \"outputDir\": \"quality-$1\"}"
}

say "warm-up: the job once, not timed"
run warmup false >/dev/null

plain=() measured=() ratios=()
for r in $(seq 1 "$rounds"); do
  if (( r % 2 )); then
    plain+=("$(run "off-$r" false)"); measured+=("$(run "on-$r" true)")
  else
    measured+=("$(run "on-$r" true)"); plain+=("$(run "off-$r" false)")
  fi
  ratios+=("$(awk -v a="${measured[-1]}" -v b="${plain[-1]}" 'BEGIN {printf "%.3f", a / b}')")
  say "round $r: quality=false ${plain[-1]} s, quality=true ${measured[-1]} s, ratio ${ratios[-1]}"
done
echo "source: 60 s 1920x1080 30 fps to h264-720p, 3 segments, 2 workers; rounds: $rounds; quality=false median $(printf '%s\n' "${plain[@]}" | median) s; quality=true median $(printf '%s\n' "${measured[@]}" | median) s"
echo "measured/unmeasured wall-time ratio (median of rounds): $(printf '%s\n' "${ratios[@]}" | median)"
