#!/usr/bin/env bash
# What examining and checking an input costs next to encoding it: CPU seconds (user + system,
# GNU time) of the ffprobe that examines a source, of an ffprobe of its output (what the output
# check cost before it read MP4s in the JVM, and still costs for WebM), and of the encode itself with the h264-720p settings (those of bench/throughput.sh),
# each the median of RUNS (default 5) runs, on the bench's generated 1280x720 clips of each
# length given (default: 10 and 60 seconds). Prints, per length, the two probes' share of the
# encode's CPU.
#
#   bench/probe-cost.sh [SECONDS...]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

runs=${RUNS:-5}
lengths=("$@")
(( ${#lengths[@]} )) || lengths=(10 60)
dir="$(pwd)/target/bench/probe-cost"
mkdir -p "$dir"

cpu() { # the CPU seconds (user + system) of one of the functions below, run in a bash of its own
  /usr/bin/time -f "%U %S" -o "$dir/time.txt" bash -c '"$@"' _ "$@" >/dev/null 2>&1
  awk '{printf "%.3f\n", $1 + $2}' "$dir/time.txt"
}
# As io.vidbatch.media.Prober runs it, for a source and for an output alike.
probe() {
  ffprobe -v error -count_packets -show_format -show_streams -show_chapters -of json \
    -format_whitelist mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpeg,mpegts,mxf,flv,asf,ogg,yuv4mpegpipe \
    -protocol_whitelist file -i "file:$1"
}
encode() {
  local n
  n=$(nproc)
  ffmpeg -hide_banner -nostdin -loglevel error -filter_threads "$n" -threads "$n" -y -i "$1" -map 0:v:0 \
    -vf "scale=w='min(1280,iw)':h='min(720,ih)':force_original_aspect_ratio=decrease:force_divisible_by=2,format=yuv420p" \
    -c:v libx264 -preset veryfast -profile:v high -crf 23 -maxrate 4M -bufsize 8M -threads "$n" -fps_mode passthrough \
    -map 0:a:0 -c:a aac -b:a 128k -movflags +faststart -map_metadata -1 -f mp4 "$2"
}
export -f probe encode

for s in "${lengths[@]}"; do
  inputs="$(pwd)/target/bench/inputs/clips-${s}s-1"
  scripts/make-samples bench "$inputs" 1 "$s" >&2
  src=$(find "$inputs" -name '*.mp4' | head -1)
  out="$dir/out-$s.mp4"
  encode "$src" "$out"
  plan=() check=() enc=()
  for _ in $(seq 1 "$runs"); do
    plan+=("$(cpu probe "$src")")
    check+=("$(cpu probe "$out")")
    enc+=("$(cpu encode "$src" "$out")")
  done
  p=$(printf '%s\n' "${plan[@]}" | median) c=$(printf '%s\n' "${check[@]}" | median) e=$(printf '%s\n' "${enc[@]}" | median)
  echo "$s s 1280x720: plan probe $p CPU-s, output check $c CPU-s, encode $e CPU-s; probes = $(awk -v p="$p" -v c="$c" -v e="$e" 'BEGIN {printf "%.1f", 100 * (p + c) / e}') % of the encode"
done
