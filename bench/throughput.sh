#!/usr/bin/env bash
# Throughput: the same N generated inputs (1280x720 H.264+AAC, SECONDS long) transcoded to h264-720p
#   (a) by vidbatch: one job, local launcher, workers=2, timed from submission to COMPLETED
#       (planning, probing, verification and the report included);
#   (b) by plain ffmpeg with the same encoder settings, two at a time (xargs -P 2).
# The bench waits on GET /jobs/{id}/status?wait=600, which answers when the job ends. The
# server first runs the same job WARMUPS (default 3) times, untimed: what is measured is a coordinator in its steady
# state (as in a nightly run of thousands of items), not a JVM still compiling its code.
# This machine's speed drifts from minute to minute, so each round runs both sides back to back
# (alternating which goes first) and the result is the median of the rounds' ratios. The last
# line is that ratio of wall times vidbatch / plain (target: <= 1.10).
#
#   bench/throughput.sh [N] [SECONDS]    defaults: 4 inputs of 60 s; ROUNDS (default 5) rounds
#
# Each round also counts the CPU seconds the whole machine spent on either side (/proc/stat), and
# on vidbatch's side those of the coordinator's JVM: the bench prints their medians. vidbatch's
# fixed cost per input is one ffprobe start to examine it (~0.05 CPU-s, most of it Debian's
# ffprobe loading 215 shared libraries) and the coordinator's own work, so the ratio is worse for
# short inputs: compare `bench/throughput.sh 8 10` with the default.
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


hz=$(getconf CLK_TCK)
# CPU seconds spent so far by the whole machine (user, nice, system, irq, softirq), and by the coordinator.
machine_cpu() { awk -v hz="$hz" '/^cpu /{printf "%.2f\n", ($2 + $3 + $4 + $7 + $8) / hz}' /proc/stat; }
server_pid=$(cat target/liberty/wlp/usr/servers/.pid/vidbatch.pid)
jvm_cpu() { sed 's/.*) //' "/proc/$server_pid/stat" | awk -v hz="$hz" '{printf "%.2f\n", ($12 + $13) / hz}'; }
cpu_since() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }

# run_vidbatch NAME: one job over all inputs, timed from submission until it is seen COMPLETED.
# Leaves the machine's and the coordinator's CPU seconds for it in vb_cpu and vb_jvm.
run_vidbatch() {
  local m j t
  m=$(machine_cpu) j=$(jvm_cpu)
  t=$(vb_timed "{\"inputs\": [\"$clips\"], \"preset\": \"h264-720p\", \"workers\": 2, \"outputDir\": \"run-$1\"}")
  vb_cpu=$(cpu_since "$m" "$(machine_cpu)") vb_jvm=$(cpu_since "$j" "$(jvm_cpu)")
  echo "$t"
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

# Leaves the machine's CPU seconds for it in plain_cpu.
run_plain() {
  local start m
  start=$(now) m=$(machine_cpu)
  find "$inputs" -name 'bench-*.mp4' -print0 | sort -z |
    xargs -0 -P 2 -I{} bash -c 'plain_one "$1" "$2/$(basename "$1")"' _ {} "$dir/plain"
  plain_cpu=$(cpu_since "$m" "$(machine_cpu)")
  elapsed "$start"
}


# One warm-up job left the coordinator's JIT still compiling through the rounds (its CPU fell from
# 0.89 to 0.56 CPU-s from round 1 to round 5 of 8 x 10 s): three reach the steady state a night is in.
warmups=${WARMUPS:-3}
say "warm-up: the same job $warmups times, not timed"
for w in $(seq 1 "$warmups"); do run_vidbatch "warmup-$w" >/dev/null; done

vb_times=() plain_times=() ratios=() vb_cpus=() vb_jvms=() plain_cpus=()
for r in $(seq 1 "$rounds"); do
  # Not in $( ): the runs leave their CPU figures in variables of this shell.
  if (( r % 2 )); then
    run_plain > "$dir/t"; plain_times+=("$(cat "$dir/t")")
    run_vidbatch "$r" > "$dir/t"; vb_times+=("$(cat "$dir/t")")
  else
    run_vidbatch "$r" > "$dir/t"; vb_times+=("$(cat "$dir/t")")
    run_plain > "$dir/t"; plain_times+=("$(cat "$dir/t")")
  fi
  vb_cpus+=("$vb_cpu") vb_jvms+=("$vb_jvm") plain_cpus+=("$plain_cpu")
  ratios+=("$(awk -v a="${vb_times[-1]}" -v b="${plain_times[-1]}" 'BEGIN {printf "%.3f", a / b}')")
  say "round $r: vidbatch ${vb_times[-1]} s (${vb_cpu} CPU-s, coordinator ${vb_jvm}), plain ffmpeg ${plain_times[-1]} s (${plain_cpu} CPU-s), ratio ${ratios[-1]}"
done
echo "CPU-s of the machine, medians: vidbatch $(printf '%s\n' "${vb_cpus[@]}" | median) (coordinator JVM $(printf '%s\n' "${vb_jvms[@]}" | median)), plain ffmpeg $(printf '%s\n' "${plain_cpus[@]}" | median)"
vb=$(printf '%s\n' "${vb_times[@]}" | median)
plain=$(printf '%s\n' "${plain_times[@]}" | median)
echo "inputs: $n x $seconds s 1280x720; rounds: $rounds; vidbatch median ${vb} s; plain ffmpeg (2 at a time) median ${plain} s; round ratios: ${ratios[*]}"
echo "vidbatch/plain wall-time ratio (median of rounds): $(printf '%s\n' "${ratios[@]}" | median)"
