#!/usr/bin/env bash
# What segments buy one long video: the 60 s 1080p bench source through h264-1080p, whole on one
# worker and in 30 s segments on two, each ffmpeg limited to one thread (the coordinator is
# started with -XX:ActiveProcessorCount=1, which is what its local workers give each ffmpeg), so
# that two cores stand in for two nodes. ROUNDS (default 3) paired rounds after an untimed
# warm-up, each job timed from submission until it is seen COMPLETED (planning, splitting,
# joining and verifying included). Prints, from the last round's outputs, the bitrate ratio
# segmented ÷ whole and the PSNR of each against the source; last line: the median wall-time
# ratio segmented ÷ whole.
#
#   bench/segments.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

rounds=${ROUNDS:-3}
dir="$(pwd)/target/bench"
src=$(bench_film)
say "building vidbatch"
vb_build
export JVM_ARGS="${JVM_ARGS:-} -XX:ActiveProcessorCount=1"
vb_start "$dir/inputs" "$dir/outputs"

# run NAME WORKERS SEGMENT_SECONDS: one job, timed from submission until it is seen COMPLETED.
run() {
  vb_timed "{\"inputs\": [\"ladder/film-1080p-60s.mp4\"], \"preset\": \"h264-1080p\", \"segmentSeconds\": $3, \"workers\": $2, \"outputDir\": \"segments-$1\"}"
}

say "warm-up: both jobs once, not timed"
run warmup-whole 1 0 >/dev/null
run warmup-cut 2 30 >/dev/null

whole=() cut=() ratios=()
for r in $(seq 1 "$rounds"); do
  rm -rf "$dir/outputs/segments-whole-$r" "$dir/outputs/segments-cut-$r"
  if (( r % 2 )); then
    whole+=("$(run "whole-$r" 1 0)"); cut+=("$(run "cut-$r" 2 30)")
  else
    cut+=("$(run "cut-$r" 2 30)"); whole+=("$(run "whole-$r" 1 0)")
  fi
  ratios+=("$(awk -v a="${cut[-1]}" -v b="${whole[-1]}" 'BEGIN {printf "%.3f", a / b}')")
  say "round $r: whole ${whole[-1]} s, segmented ${cut[-1]} s, ratio ${ratios[-1]}"
done

# Video bytes and PSNR against the source, of the last round's two outputs.
video_bytes() {
  ffprobe -v error -select_streams v:0 -show_entries packet=size -of csv=p=0 "$1" | awk '{s += $1} END {print s}'
}
psnr() {
  ffmpeg -hide_banner -nostdin -i "$1" -i "$src" -lavfi "[0:v][1:v]psnr" -f null - 2>&1 |
    sed -nE 's/.*PSNR .* average:([0-9.]+).*/\1/p'
}
w="$dir/outputs/segments-whole-$rounds/film-1080p-60s-h264-1080p.mp4"
c="$dir/outputs/segments-cut-$rounds/film-1080p-60s-h264-1080p.mp4"
wb=$(video_bytes "$w") cb=$(video_bytes "$c") wp=$(psnr "$w") cp=$(psnr "$c")
echo "source: 60 s 1920x1080 30 fps to h264-1080p, one thread per ffmpeg; rounds: $rounds; whole (1 worker) median $(printf '%s\n' "${whole[@]}" | median) s; 2 segments of 30 s (2 workers) median $(printf '%s\n' "${cut[@]}" | median) s"
echo "video bytes: whole $wb, segmented $cb, ratio $(awk -v a="$cb" -v b="$wb" 'BEGIN {printf "%.4f", a / b}')"
echo "PSNR against the source: whole $wp dB, segmented $cp dB, difference $(awk -v a="$cp" -v b="$wp" 'BEGIN {printf "%+.3f", a - b}') dB"
echo "segmented/whole wall-time ratio (median of rounds): $(printf '%s\n' "${ratios[@]}" | median)"
