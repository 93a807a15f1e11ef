#!/usr/bin/env bash
# Throughput: the same N generated inputs (1280x720 H.264+AAC, SECONDS long) transcoded to h264-720p
#   (a) by vidbatch: one job, local launcher, workers=2, timed from submission to COMPLETED
#       (planning, probing, verification and the report included);
#   (b) by plain ffmpeg with the same encoder settings, two at a time (xargs -P 2).
# The bench waits on GET /jobs/{id}/status?wait=600, which answers when the job ends. The
# server first runs the same job once, untimed: what is measured is a coordinator in its steady
# state (as in a nightly run of thousands of items), not a JVM still compiling its code.
# This machine's speed drifts from minute to minute, so each round runs both sides back to back
# (alternating which goes first) and the result is the median of the rounds' ratios. The last
# line is that ratio of wall times vidbatch / plain (target: <= 1.10).
#
#   bench/throughput.sh [N] [SECONDS]    defaults: 4 inputs of 60 s; ROUNDS (default 5) rounds
#
# vidbatch costs a fixed ~0.35 CPU-s per input whatever its length (one ffprobe to plan it, one
# to verify its output: Debian's ffprobe spends most of that loading 215 shared libraries), so
# the ratio is worse for very short inputs; run with SECONDS=20 to see it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

n=${1:-4}
seconds=${2:-60}
rounds=${ROUNDS:-5}
dir="$(pwd)/target/bench"
clips="clips-${seconds}s-$n"
inputs="$dir/inputs/$clips"
mkdir -p "$inputs" "$dir/plain"

say "generating $n inputs of $seconds s in $inputs"
scripts/make-samples bench "$inputs" "$n" "$seconds" >&2
say "building vidbatch"
vb_build
vb_start "$dir/inputs" "$dir/outputs"


# run_vidbatch NAME: one job over all inputs, timed from submission until it is seen COMPLETED.
run_vidbatch() {
  vb_timed "{\"inputs\": [\"$clips\"], \"preset\": \"h264-720p\", \"workers\": 2, \"outputDir\": \"run-$1\"}"
}

# The h264-720p preset's settings (io.vidbatch.media.Preset), as vidbatch passes them to ffmpeg,
# threads included (io.vidbatch.media.Threads: the CPUs the JVM may use; nproc here).
plain_one() {
  local in=$1 out=$2 n
  n=$(nproc)
  ffmpeg -hide_banner -nostdin -loglevel error -filter_threads "$n" -threads "$n" -y -i "$in" -map 0:v:0 \
    -vf "scale=w='min(1280,iw)':h='min(720,ih)':force_original_aspect_ratio=decrease:force_divisible_by=2,format=yuv420p" \
    -c:v libx264 -preset veryfast -profile:v high -crf 23 -maxrate 4M -bufsize 8M -threads "$n" -fps_mode passthrough \
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


say "warm-up: the same job once, not timed"
run_vidbatch warmup >/dev/null

vb_times=() plain_times=() ratios=()
for r in $(seq 1 "$rounds"); do
  if (( r % 2 )); then
    plain_times+=("$(run_plain)"); vb_times+=("$(run_vidbatch "$r")")
  else
    vb_times+=("$(run_vidbatch "$r")"); plain_times+=("$(run_plain)")
  fi
  ratios+=("$(awk -v a="${vb_times[-1]}" -v b="${plain_times[-1]}" 'BEGIN {printf "%.3f", a / b}')")
  say "round $r: vidbatch ${vb_times[-1]} s, plain ffmpeg ${plain_times[-1]} s, ratio ${ratios[-1]}"
done
vb=$(printf '%s\n' "${vb_times[@]}" | median)
plain=$(printf '%s\n' "${plain_times[@]}" | median)
echo "inputs: $n x $seconds s 1280x720; rounds: $rounds; vidbatch median ${vb} s; plain ffmpeg (2 at a time) median ${plain} s; round ratios: ${ratios[*]}"
echo "vidbatch/plain wall-time ratio (median of rounds): $(printf '%s\n' "${ratios[@]}" | median)"
