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
inputs="$dir/inputs/ladder"
mkdir -p "$inputs"
src="$inputs/film-1080p-60s.mp4"
if [[ ! -s $src ]]; then
  say "generating a 60 s 1080p source"
  ffmpeg -hide_banner -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30" \
    -f lavfi -i "sine=f=440:r=48000" -t 60 -c:v libx264 -preset veryfast -g 60 -pix_fmt yuv420p \
    -c:a aac -b:a 128k -shortest "$src"
fi
say "building vidbatch"
vb_build
vb_start "$dir/inputs" "$dir/outputs"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}'; }

# run NAME QUALITY: one job, timed from submission until it is seen COMPLETED.
run() {
  local start id status
  start=$(now)
  id=$(vb_submit "{\"inputs\": [\"ladder/film-1080p-60s.mp4\"], \"preset\": \"h264-720p\", \"segmentSeconds\": 20, \"workers\": 2, \"quality\": $2, \"outputDir\": \"quality-$1\"}")
  status=$(vb_wait "$id")
  [[ $status == COMPLETED ]] || die "job $id ended $status"
  elapsed "$start"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

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
