#!/usr/bin/env bash
# Throughput: the same N generated inputs (20 s, 1280x720, H.264+AAC) transcoded to h264-720p
#   (a) by vidbatch: one job, local launcher, workers=2, timed from submission to COMPLETED
#       (planning, probing, verification and the report included);
#   (b) by plain ffmpeg with the same encoder settings, two at a time (xargs -P 2).
# The last line is the ratio of wall times vidbatch / plain (target: <= 1.10).
#
#   bench/throughput.sh [N]        N defaults to 8; ROUNDS=3 repeats both and uses medians
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

n=${1:-8}
rounds=${ROUNDS:-1}
dir="$(pwd)/target/bench"
inputs="$dir/inputs/clips"
mkdir -p "$inputs" "$dir/plain"

say "generating $n inputs in $inputs"
scripts/make-samples bench "$inputs" "$n" >&2
say "building vidbatch"
vb_build
vb_start "$dir/inputs" "$dir/outputs"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}'; }

run_vidbatch() {
  local start id status
  start=$(now)
  id=$(vb_submit "{\"inputs\": [\"clips\"], \"preset\": \"h264-720p\", \"workers\": 2, \"outputDir\": \"run-$1\"}")
  while true; do
    status=$(vb_status "$id")
    vb_ended "$status" && break
    sleep 0.2
  done
  [[ $status == COMPLETED ]] || die "job $id ended $status"
  elapsed "$start"
}

# The h264-720p preset's settings (io.vidbatch.media.Preset), as vidbatch passes them to ffmpeg.
plain_one() {
  local in=$1 out=$2
  ffmpeg -hide_banner -nostdin -loglevel error -y -i "$in" -map 0:v:0 \
    -vf "scale=w='min(1280,iw)':h='min(720,ih)':force_original_aspect_ratio=decrease:force_divisible_by=2,format=yuv420p" \
    -c:v libx264 -preset veryfast -profile:v high -crf 23 -maxrate 4M -bufsize 8M -fps_mode passthrough \
    -map 0:a:0 -c:a aac -b:a 128k -movflags +faststart -map_metadata -1 -f mp4 "$out"
}
export -f plain_one

run_plain() {
  local start
  start=$(now)
  find "$inputs" -name 'bench-*.mp4' -print0 | sort -z |
    xargs -0 -P 2 -I{} bash -c 'plain_one "$1" "$2/$(basename "$1")"' _ {} "$dir/plain"
  elapsed "$start"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

vb_times=() plain_times=()
for r in $(seq 1 "$rounds"); do
  # Alternate the order so neither side always runs on a warmer machine.
  if (( r % 2 )); then
    plain_times+=("$(run_plain)"); vb_times+=("$(run_vidbatch "$r")")
  else
    vb_times+=("$(run_vidbatch "$r")"); plain_times+=("$(run_plain)")
  fi
  say "round $r: vidbatch ${vb_times[-1]} s, plain ffmpeg ${plain_times[-1]} s"
done
vb=$(printf '%s\n' "${vb_times[@]}" | median)
plain=$(printf '%s\n' "${plain_times[@]}" | median)
echo "inputs: $n x 20 s 1280x720; rounds: $rounds; vidbatch median ${vb} s; plain ffmpeg (2 at a time) median ${plain} s"
awk -v a="$vb" -v b="$plain" 'BEGIN {printf "vidbatch/plain wall-time ratio: %.3f\n", a / b}'
