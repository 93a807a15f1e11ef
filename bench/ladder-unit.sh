#!/usr/bin/env bash
# A ladder's unit of work, measured with plain ffmpeg on one 60 s 1080p source and the five rungs
# of h264-ladder (docs/decisions/010): one decode split to five encoders (a time chunk's work)
# against a rung per item, two at a time, each decoding the source. Prints wall and CPU time.
#
#   bench/ladder-unit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(pwd)/target/bench/ladder-unit"
source scripts/lib.sh
src=$(bench_film)
mkdir -p "$dir"
cd "$dir"
rungs=("1920:1080:22:6000000" "1280:720:23:3500000" "960:540:24:2000000" "640:360:25:1000000" "426:240:26:500000")
# The encoder settings of io.vidbatch.media.ChunkEncoder.
enc() {
  echo -c:v libx264 -preset veryfast -profile:v high -crf "$1" -maxrate "$2" -bufsize $((2 * $2)) \
    -x264-params keyint=infinite:scenecut=0:open-gop=0:sync-lookahead=0 -forced-idr 1 -threads 2 -force_key_frames "expr:gte(t,n_forced*4)" -an
}
graph="[0:v]split=5[s0][s1][s2][s3][s4]" maps=()
for i in "${!rungs[@]}"; do
  IFS=: read -r w h crf peak <<<"${rungs[$i]}"
  graph+=";[s$i]scale=$w:$h:flags=bicubic[v$i]"
  # shellcheck disable=SC2046
  maps+=(-map "[v$i]" $(enc "$crf" "$peak") -f mp4 "one-$i.mp4")
done
/usr/bin/time -f "one decode, 5 rungs: wall %e s, cpu %U+%S s" \
  ffmpeg -hide_banner -nostdin -loglevel error -y -i "$src" -filter_complex "$graph" "${maps[@]}"
per() {
  IFS=: read -r w h crf peak <<<"$1"
  # shellcheck disable=SC2046
  ffmpeg -hide_banner -nostdin -loglevel error -y -i "$src" -vf "scale=$w:$h:flags=bicubic" $(enc "$crf" "$peak") \
    -f mp4 "per-$h.mp4"
}
export -f per enc
export src
/usr/bin/time -f "a rung per item, 2 at a time: wall %e s, cpu %U+%S s" \
  bash -c 'printf "%s\n" "$@" | xargs -P 2 -I{} bash -c "per {}"' _ "${rungs[@]}"
