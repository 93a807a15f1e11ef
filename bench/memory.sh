#!/usr/bin/env bash
# Memory: ffmpeg's peak resident memory for one item, by source picture size, as a worker runs it
# (the preset's options, 2 decoder/filter/encoder threads: what a 2-CPU worker passes). What the
# picture budget (MAX_FRAME_PIXELS, docs/inputs-and-outcomes.md#picture-budget) is set against.
#   bench/memory.sh [THREADS]        needs ffmpeg and /usr/bin/time (Debian package "time")
set -euo pipefail
threads=${1:-2}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run() { # run LABEL SOURCE VF ENCODER-ARGS...
  local label=$1 src=$2 vf=$3
  shift 3
  /usr/bin/time -f "%M" -o "$dir/rss" ffmpeg -v error -threads "$threads" -i "$src" -filter_threads "$threads" \
    -vf "$vf" "$@" -f null - </dev/null
  printf '%-48s %6d MB\n' "$label" $(( $(cat "$dir/rss") / 1024 ))
}
h264=(-c:v libx264 -preset veryfast -profile:v high -crf 23 -maxrate 4M -bufsize 8M -threads "$threads")
for size in 1920x1080 3840x2160 8192x4320 8192x8192; do
  ffmpeg -v error -y -f lavfi -i "testsrc2=size=$size:rate=30" -frames:v 30 -c:v libx264 -preset ultrafast \
    -pix_fmt yuv420p "$dir/$size.mp4"
  run "$size H.264 8-bit -> h264-720p" "$dir/$size.mp4" "scale=-2:720" "${h264[@]}"
done
ffmpeg -v error -y -f lavfi -i testsrc2=size=8192x4320:rate=30 -frames:v 10 -c:v libx265 -preset ultrafast \
  -pix_fmt yuv420p10le -x265-params log-level=error "$dir/8k10.mp4"
run "8192x4320 HEVC 10-bit -> h264-720p" "$dir/8k10.mp4" "scale=-2:720,format=yuv420p" "${h264[@]}"
run "8192x4320 HEVC 10-bit -> hevc-10bit-1080p" "$dir/8k10.mp4" "scale=-2:1080" -c:v libx265 -preset fast \
  -profile:v main10 -pix_fmt yuv420p10le -x265-params "log-level=error:pools=$threads"
