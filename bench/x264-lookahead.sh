#!/usr/bin/env bash
# Why ladder rungs run x264 with sync-lookahead=0 (docs/decisions/010): with x264's threaded
# lookahead on (its default with frame threads), the same encode under CPU contention does not
# always make the same bytes; with it off it does, at the same speed.
#   1. RUNS (default 30) encodes of one 6 s chunk to the 240p rung, each started a fraction of a
#      second after the last so that they compete for the cores, with the lookahead threaded and
#      not: how many distinct outputs each way.
#   2. Two 30 s chunks of the 60 s 1080p bench source to the five rungs of h264-ladder, side by
#      side, each way twice: wall time and bytes.
#
#   bench/x264-lookahead.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
runs=${RUNS:-30}
dir="$(pwd)/target/bench/x264-lookahead"
mkdir -p "$dir"
chunk="$dir/chunk-360p.mp4"
[[ -s $chunk ]] || ffmpeg -hide_banner -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=640x360:rate=25" \
  -t 6 -c:v libx264 -preset veryfast -pix_fmt yuv420p "$chunk"
film=$(bench_film)

# The rung settings of io.vidbatch.media.ChunkEncoder, but for the lookahead ($1: "" or ":sync-lookahead=0").
x264() {
  echo -c:v libx264 -preset veryfast -profile:v high -x264-params "keyint=infinite:scenecut=0:open-gop=0$1" \
    -forced-idr 1 -threads 2 -force_key_frames "expr:gte(t,n_forced*4)"
}

rung240() { # $1 mode, $2 output
  # shellcheck disable=SC2046
  ffmpeg -hide_banner -nostdin -loglevel error -filter_threads 2 -threads 2 -y -i "$chunk" \
    -vf "scale=426:240:flags=bicubic,setsar=sar=640/639:max=65535,format=yuv420p" $(x264 "$1") \
    -crf 26 -maxrate 500000 -bufsize 1000000 -an -f mp4 "$2"
}

for mode in "" ":sync-lookahead=0"; do
  rm -f "$dir"/r-*.mp4
  for i in $(seq 1 "$runs"); do
    rung240 "$mode" "$dir/r-$i.mp4" &
    sleep "0.$((RANDOM % 10))"
  done
  wait
  distinct=$(md5sum "$dir"/r-*.mp4 | awk '{print $1}' | sort -u | wc -l)
  echo "x264-params ${mode:-(threaded lookahead)}: $runs encodes of one chunk, $distinct distinct outputs"
done

half() { # $1 mode, $2 start second
  local graph="" maps=() rungs=("1920:1080:22:6000000" "1280:720:23:3500000" "960:540:24:2000000"
    "640:360:25:1000000" "426:240:26:500000")
  for i in "${!rungs[@]}"; do
    IFS=: read -r w h crf peak <<<"${rungs[$i]}"
    graph+=";[s$i]scale=$w:$h:flags=bicubic,format=yuv420p[v$i]"
    # shellcheck disable=SC2046
    maps+=(-map "[v$i]" $(x264 "$1") -crf "$crf" -maxrate "$peak" -bufsize $((2 * peak)) -an -f mp4 "$dir/h$2-$i.mp4")
  done
  ffmpeg -hide_banner -nostdin -loglevel error -filter_threads 2 -threads 2 -y -ss "$2" -t 30 -i "$film" \
    -filter_complex "[0:v]setpts=PTS-STARTPTS,split=5[s0][s1][s2][s3][s4]$graph" "${maps[@]}"
}

for mode in ":sync-lookahead=0" "" ":sync-lookahead=0" ""; do
  start=$(now)
  half "$mode" 0 & half "$mode" 30 & wait
  echo "x264-params ${mode:-(threaded lookahead)}: two 30 s chunks to 5 rungs side by side, $(elapsed "$start") s," \
    "$(cat "$dir"/h0-*.mp4 "$dir"/h30-*.mp4 | wc -c) bytes"
done
