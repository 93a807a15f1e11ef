#!/usr/bin/env bash
# Why the VFR sample comes out better segmented than whole (SegmentsIT: 42.35 against 42.00 dB):
# where the keyframes are, not how the pieces are cut. samples/phone-vfr-12s.mp4 switches between
# 60 and 30 fps every 2 s, so 2 s segments start exactly at the switches, and every segment starts
# with an IDR frame. The same h264-720p settings (crf 23, max 4 Mbit/s, frames passed through):
#   1. whole, x264's own GOP (what vidbatch does without segments);
#   2. in 2 s pieces cut at keyframes by stream copy, each encoded alone, joined (what segments do);
#   3. whole, with keyframes forced at the cut points;
#   4. whole, with keyframes forced only where 30 fps turns back into 60 fps (4 s, 8 s).
# Bytes and PSNR against the source for each: if 3 and 4 move the whole encode by as much as
# segmenting does, the gap is the encoder's GOP and rate-control state, not the cutting.
#
#   bench/vfr-segments.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
dir="$(pwd)/target/bench/vfr-segments"
mkdir -p "$dir"
scripts/make-samples test "$dir/samples" >/dev/null
src="$dir/samples/phone-vfr-12s.mp4"

encode() { # $1 input, $2 output, then extra flags
  local in=$1 out=$2
  shift 2
  ffmpeg -hide_banner -nostdin -loglevel error -y -i "$in" -an -fps_mode passthrough -c:v libx264 \
    -preset veryfast -profile:v high -crf 23 -maxrate 4M -bufsize 8M "$@" "$out"
}

report() { # $1 label, $2 output
  local psnr frames
  psnr=$(ffmpeg -hide_banner -nostdin -i "$2" -i "$src" -lavfi "[0:v][1:v]psnr" -f null - 2>&1 |
    sed -nE 's/.*PSNR .* average:([0-9.]+).*/\1/p')
  frames=$(ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 "$2")
  printf '%-58s %8d bytes  %4d frames  PSNR %s dB\n' "$1" "$(stat -c %s "$2")" "$frames" "$psnr"
}

encode "$src" "$dir/whole.mp4"
report "1. whole, x264's GOP" "$dir/whole.mp4"

rm -f "$dir"/seg-*.mp4 "$dir"/enc-*.mp4 "$dir/list.txt"
ffmpeg -hide_banner -nostdin -loglevel error -i "$src" -map 0:v -c copy -f segment -segment_time 2 \
  -reset_timestamps 0 "$dir/seg-%02d.mp4"
for s in "$dir"/seg-*.mp4; do
  encode "$s" "$dir/enc-${s##*/}"
  echo "file '$dir/enc-${s##*/}'" >>"$dir/list.txt"
done
ffmpeg -hide_banner -nostdin -loglevel error -y -f concat -safe 0 -i "$dir/list.txt" -c copy "$dir/cut.mp4"
report "2. $(find "$dir" -name 'seg-*.mp4' | wc -l) pieces of 2 s, each encoded alone, joined" "$dir/cut.mp4"

encode "$src" "$dir/whole-keys.mp4" -force_key_frames 2,4,6,8,10
report "3. whole, keyframes at the cut points" "$dir/whole-keys.mp4"

encode "$src" "$dir/whole-switch.mp4" -force_key_frames 4,8
report "4. whole, keyframes where 30 fps turns into 60 fps" "$dir/whole-switch.mp4"
