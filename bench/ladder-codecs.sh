#!/usr/bin/env bash
# The built-in ladders side by side on a real-world clip (imageio's 14 s 720p cockatoo, from a
# Debian package): each rung of h264-ladder, hevc-ladder and av1-ladder that fits the clip, with
# the encoder settings of io.vidbatch.media.ChunkEncoder, one rung at a time. Prints per rung the
# bitrate, the PSNR against the source (scaled back to its size, bicubic, as the job measures) and
# the encoder's CPU time.
#
#   bench/ladder-codecs.sh [CLIP]
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(pwd)/target/bench/ladder-codecs"
mkdir -p "$dir"
clip=${1:-}
if [[ -z $clip ]]; then
  scripts/real-world-clips "$dir/clips" >/dev/null
  clip="$dir/clips/cockatoo-720p.mp4"
fi
fps=$(ffprobe -v error -select_streams v:0 -show_entries stream=avg_frame_rate -of csv=p=0 "$clip")
every=$(awk -v r="$fps" 'BEGIN { split(r, f, "/"); printf "%d", 4 * f[1] / f[2] + 0.5 }')
keys=(-force_key_frames "expr:gte(t,n_forced*4)")
codec_args() {
  case $1 in
    h264) echo -c:v libx264 -preset veryfast -profile:v high -x264-params keyint=infinite:scenecut=0:open-gop=0:sync-lookahead=0 \
      -forced-idr 1 -threads 2 "${keys[@]}" ;;
    hevc) echo -c:v libx265 -preset fast -tag:v hvc1 \
      -x265-params log-level=error:keyint=-1:scenecut=0:open-gop=0:pools=2:frame-threads=2 -forced-idr 1 "${keys[@]}" ;;
    av1) echo -c:v libsvtav1 -preset 8 -g "$every" -svtav1-params "keyint=$every:scd=0:irefresh-type=2:lp=2" ;;
  esac
}
# lines:crf:peak per ladder, as in io.vidbatch.media.Ladder (the 1080p rungs are above the clip).
declare -A ladder=(
  [h264]="720:23:3500k 540:24:2M 360:25:1M 240:26:500k"
  [hevc]="720:26:2400k 540:27:1400k 360:28:700k 240:29:350k"
  [av1]="720:33:2M 540:34:1200k 360:36:600k 240:38:300k"
)
seconds=$(ffprobe -v error -select_streams v:0 -show_entries stream=duration -of csv=p=0 "$clip")
printf '%-6s %-5s %10s %9s %8s\n' codec rung kbit/s "PSNR dB" "CPU s"
for codec in h264 hevc av1; do
  for r in ${ladder[$codec]}; do
    IFS=: read -r lines crf peak <<<"$r"
    out="$dir/$codec-$lines.mp4"
    bits=$(awk -v p="$peak" 'BEGIN { n = p + 0; print (p ~ /M$/) ? n * 1000000 : n * 1000 }')
    # shellcheck disable=SC2046
    /usr/bin/time -o "$dir/time" -f "%U %S" ffmpeg -hide_banner -nostdin -loglevel error -y -i "$clip" \
      -vf "scale=-2:$lines:flags=bicubic,format=yuv420p" $(codec_args "$codec") -crf "$crf" -maxrate "$bits" \
      -bufsize $((2 * bits)) -an "$out" 2>/dev/null
    cpu=$(awk '{ print $1 + $2 }' "$dir/time")
    kbits=$(awk -v b="$(stat -c %s "$out")" -v s="$seconds" 'BEGIN { printf "%.0f", b * 8 / s / 1000 }')
    psnr=$(ffmpeg -hide_banner -nostdin -i "$out" -i "$clip" -lavfi \
      "[0:v]settb=1,setpts=N[d];[1:v]format=yuv420p,settb=1,setpts=N[s];[d][s]scale2ref=flags=bicubic[u][r];[u]format=yuv420p[v];[v][r]psnr" \
      -f null - 2>&1 | sed -n 's/.*average:\([0-9.]*\).*/\1/p')
    printf '%-6s %-5s %10s %9.2f %8.1f\n' "$codec" "${lines}p" "$kbits" "$psnr" "$cpu"
  done
done
