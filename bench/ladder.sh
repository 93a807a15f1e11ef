#!/usr/bin/env bash
# Ladder: one 60 s 1080p source (H.264 + AAC) to the built-in h264-ladder (1080p, 720p, 540p, 360p,
# 240p), packaged as CMAF segments with an HLS and a DASH playlist,
#   (a) by vidbatch: one job, local launcher, workers=2, segmentSeconds=30 (two chunks, each
#       decoded once and encoded to every rung), timed from submission to COMPLETED, planning and
#       packaging included, with quality=false: the same outputs as (b), nothing more;
#   (b) by the best single ffmpeg command for the same outputs: one decode, a split filter, five
#       encodes with the same settings and keyframes, the audio, the same DASH muxer (HLS on).
# Each round runs both back to back (alternating which goes first); the result is the median of
# the rounds' ratios. The server runs the job once untimed first (a coordinator in its steady state).
# One more vidbatch run with quality=true (each rendition measured against the source: PSNR, SSIM)
# is timed apart, for what the measuring costs. The last line is the wall-time ratio vidbatch /
# ffmpeg without measuring (target: <= 1.0 on 2 cores).
#
#   bench/ladder.sh        ROUNDS (default 3) rounds
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

rounds=${ROUNDS:-3}
dir="$(pwd)/target/bench"
mkdir -p "$dir/plain-ladder"
src=$(bench_film)
say "building vidbatch"
vb_build
vb_start "$dir/inputs" "$dir/outputs"

# run_vidbatch NAME [QUALITY]: one ladder job, timed from submission until it is seen COMPLETED.
run_vidbatch() {
  vb_timed "{\"inputs\": [\"ladder/film-1080p-60s.mp4\"], \"ladder\": \"h264-ladder\", \"segmentSeconds\": 30, \"workers\": 2, \"quality\": ${2:-false}, \"outputDir\": \"ladder-$1\"}"
}

# The h264-ladder's rungs (io.vidbatch.media.Ladder) with the encoder settings vidbatch passes
# (io.vidbatch.media.ChunkEncoder): closed GOPs, a keyframe every 4 s, 2 threads per encoder
# (vidbatch fixes it so a ladder is the same bytes on any launcher; 2 is also what nproc gives here).
run_plain() {
  local start out n graph=() maps=()
  n=$(nproc)
  out="$dir/plain-ladder/run"
  rm -rf "$out" && mkdir -p "$out"
  start=$(now)
  # width height crf peak pixel-shape (426x240 is not quite 16:9: its pixels are made 640:639 wide)
  local rungs=("1920 1080 22 6000000 1/1" "1280 720 23 3500000 1/1" "960 540 24 2000000 1/1"
    "640 360 25 1000000 1/1" "426 240 26 500000 640/639")
  local split="[0:v:0]split=5[s0][s1][s2][s3][s4]"
  for i in "${!rungs[@]}"; do
    read -r w h crf peak sar <<<"${rungs[$i]}"
    split+=";[s$i]scale=$w:$h:flags=bicubic,setsar=sar=$sar:max=65535,format=yuv420p[v$i]"
    maps+=(-map "[v$i]" -c:v:$i libx264 -preset:v:$i veryfast -profile:v:$i high -crf:v:$i "$crf"
      -maxrate:v:$i "$peak" -bufsize:v:$i $((2 * peak)))
  done
  ffmpeg -hide_banner -nostdin -loglevel error -filter_threads "$n" -threads "$n" -y -i "$src" \
    -filter_complex "$split" "${maps[@]}" -x264-params keyint=infinite:scenecut=0:open-gop=0:sync-lookahead=0 -forced-idr 1 \
    -threads 2 -force_key_frames "expr:gte(t,n_forced*4)" -fps_mode passthrough \
    -map 0:a:0 -c:a aac -b:a 128k -map_metadata -1 -map_chapters -1 \
    -f dash -seg_duration 2 -use_template 1 -use_timeline 1 -hls_playlist 1 \
    -init_seg_name 'init-$RepresentationID$.m4s' -media_seg_name 'seg-$RepresentationID$-$Number%05d$.m4s' \
    -adaptation_sets "id=0,streams=0,1,2,3,4 id=1,streams=5" "$out/manifest.mpd"
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
  say "round $r: vidbatch ${vb_times[-1]} s, ffmpeg ${plain_times[-1]} s, ratio ${ratios[-1]}"
done
say "vidbatch with quality=true (each rendition measured), once"
measured=$(run_vidbatch measured true)
vb=$(printf '%s\n' "${vb_times[@]}" | median)
plain=$(printf '%s\n' "${plain_times[@]}" | median)
echo "source: 60 s 1920x1080 30 fps; ladder: h264-ladder (5 rungs); rounds: $rounds; vidbatch median ${vb} s; one ffmpeg median ${plain} s; round ratios: ${ratios[*]}"
echo "vidbatch with quality=true: ${measured} s, $(awk -v a="$measured" -v b="$plain" 'BEGIN {printf "%.2f", a / b}') x one ffmpeg"
echo "vidbatch/ffmpeg wall-time ratio (median of rounds): $(printf '%s\n' "${ratios[@]}" | median)"
