#!/usr/bin/env bash
# A night's worth of inputs in one job: INPUTS (default 10,000) short clips in one folder,
# submitted as that folder through our API to a coordinator started with -Xmx256m (HEAP to
# change it), on the embedded default (Derby, local workers). Prints:
#   - time to first encode: submission until the first item's encode began (its startedAt);
#   - plan time: the plan step, start to end (Liberty's step execution);
#   - items/s: items ÷ the transcode step's seconds;
#   - coordinator CPU-s per input: the server JVM's CPU and its finished children's (ffprobe,
#     ffmpeg of local workers) over the whole job, ÷ inputs;
#   - peak heap (jstat every 200 ms) and heap after a full GC once the job has ended.
# DRY_RUN=true (the default) plans as usual and sends every item to its worker, which checks it
# can read it and encodes nothing: the coordinator's costs without the encodes'. DRY_RUN=false
# encodes them (h264-480p). WORKERS (default 4) local workers. EARLIER_JOBS=N first fills the
# job repository with N one-input dry-run jobs (8 at a time; they are kept, as a month of nights
# would be), so that the night is measured on a repository that holds them.
#
# The clips: CLIPS (default 20) 1 s 160x90 clips (21 to 40 fps) are generated, and copied to make up
# INPUTS files (each its own file, inode and name; long names, as a camera's would be).
#
#   bench/night.sh [INPUTS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

inputs_n=${1:-10000}
dry=${DRY_RUN:-true}
workers=${WORKERS:-4}
clips_n=${CLIPS:-20}
dir="$(pwd)/target/bench"
folder="night-$inputs_n"
inputs="$dir/inputs/$folder"
monitor="monitor:${MONITOR_PASSWORD:-monitor-dev}"
mkdir -p "$inputs" "$dir/outputs" "$dir/night-clips"

say "making $inputs_n inputs from $clips_n generated clips in $inputs"
for i in $(seq 1 "$clips_n"); do
  f="$dir/night-clips/clip-$i.mp4"
  [[ -s $f ]] || ffmpeg -hide_banner -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=160x90:rate=$((20 + i))" \
    -t 1 -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$f"
done
for i in $(seq 1 "$inputs_n"); do
  f="$inputs/$(printf 'camera-a-rooftop-north-evening-timelapse-%05d.mp4' "$i")"
  [[ -s $f ]] || cp "$dir/night-clips/clip-$(( (i - 1) % clips_n + 1 )).mp4" "$f"
done

say "building vidbatch"
vb_build
export JVM_ARGS="${JVM_ARGS:-} -Xmx${HEAP:-256m}"
vb_start "$dir/inputs" "$dir/outputs"
pid=$(pgrep -f 'ws-server.jar vidbatch( |$)' | head -1)
[[ -n $pid ]] || die "cannot find the coordinator's JVM"

# The JVM's CPU seconds with its reaped children's: utime stime cutime cstime, in clock ticks.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); print ($12 + $13 + $14 + $15) / hz}' "/proc/$pid/stat"
}
heap_kb() { # used heap of one jstat -gc line set (header + sample lines), the peak of them
  awk 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
       $1 != "S0C" {u = $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]; if (u > m) m = u} END {printf "%d", m}' "$1"
}
batch_api="https://localhost:$VB_HTTPS/ibm/api/batch"
step_seconds() { # JOB STEP
  local exec
  exec=$(curl -fsSk -u "$monitor" "$batch_api/jobinstances/$1/jobexecutions" | jq '[.[].executionId] | max')
  curl -fsSk -u "$monitor" "$batch_api/jobexecutions/$exec/stepexecutions" |
    jq -r --arg s "$2" '.[] | select(.stepName == $s) | [.startTime, .endTime] | @tsv' |
    while IFS=$'\t' read -r a b; do
      awk -v a="$(date -d "$a" +%s.%N)" -v b="$(date -d "$b" +%s.%N)" 'BEGIN {printf "%.2f", b - a}'
    done
}
job() { # NAME -> job id, once it has ended ALL DONE with every input's item done
  local id status
  id=$(vb_submit "{\"inputs\": [\"$folder\"], \"workers\": $workers, \"dryRun\": $dry, \"preset\": \"h264-480p\", \"outputDir\": \"night-$1\"}")
  echo "$id" >"$dir/night-job"
  status=$(vb_wait "$id")
  [[ $status == COMPLETED ]] || die "job $id ended $status"
  echo "$id"
}

earlier=${EARLIER_JOBS:-0}
if (( earlier > 0 )); then
  say "filling the repository with $earlier earlier one-input jobs"
  for (( j = 0; j < earlier; j += 8 )); do
    ids=()
    for (( k = j; k < j + 8 && k < earlier; k++ )); do
      ids+=("$(vb_submit "{\"inputs\": [\"$folder/$(printf 'camera-a-rooftop-north-evening-timelapse-%05d.mp4' $(( k % inputs_n + 1 )))\"], \"dryRun\": true, \"outputDir\": \"night-earlier\"}")")
    done
    for e in "${ids[@]}"; do [[ $(vb_wait "$e") == COMPLETED ]] || die "earlier job $e did not complete"; done
  done
fi

say "warm-up: a job of the first 99 inputs, not measured"
warm=$(vb_submit "{\"inputs\": [\"$folder/camera-a-rooftop-north-evening-timelapse-000??.mp4\"], \"workers\": $workers, \"dryRun\": $dry, \"preset\": \"h264-480p\", \"outputDir\": \"night-warmup\"}")
[[ $(vb_wait "$warm") == COMPLETED ]] || die "the warm-up job $warm did not complete"
jcmd "$pid" GC.run >/dev/null
jstat -gc "$pid" 200 >"$dir/night-heap.txt" &
sampler=$!
trap 'kill $sampler 2>/dev/null || true; "$VB_SERVER" stop vidbatch >/dev/null 2>&1 || true' EXIT

say "the night: $inputs_n inputs, $workers workers, dryRun $dry"
cpu0=$(cpu_seconds)
submitted=$(date +%s%3N)
id=$(job "$(date +%s)")
cpu1=$(cpu_seconds)
kill $sampler
wait $sampler 2>/dev/null || true
jcmd "$pid" GC.run >/dev/null
after=$(jstat -gc "$pid" | heap_kb /dev/stdin)
# What the heap holds then, biggest classes first: where to look when "after" grows with the night.
jcmd "$pid" GC.class_histogram | head -40 >"$dir/night-histogram-$inputs_n.txt"
peak=$(heap_kb "$dir/night-heap.txt")

detail="$dir/night-detail.json"
curl -fsS -u "$VB_USER:$VB_PASS" "$VB_API/jobs/$id" >"$detail"
jq -e --argjson n "$inputs_n" '(.items | length) == $n and all(.items[]; .state == "DONE")' "$detail" >/dev/null ||
  die "job $id: not every one of $inputs_n items is DONE: $(jq -r .exitStatus "$detail")"
first=$(jq '[.items[].startedAt | select(. != null)] | min' "$detail")
plan=$(step_seconds "$id" plan)
transcode=$(step_seconds "$id" transcode)
assemble=$(step_seconds "$id" assemble)
total=$(awk -v a="$submitted" -v b="$(date +%s%3N)" 'BEGIN {printf "%.1f", (b - a) / 1000}')

echo "night: $inputs_n inputs (1 s 160x90 clips), $workers local workers, dryRun $dry, coordinator -Xmx${HEAP:-256m}, job $id (instance ids count up: $(( id - 1 )) jobs before it in this repository)"
echo "time to first encode: $(awk -v a="$submitted" -v b="$first" 'BEGIN {printf "%.2f", (b - a) / 1000}') s"
echo "plan step: $plan s; transcode step: $transcode s; assemble step: $assemble s; submission to end: $total s"
echo "items/s (transcode step): $(awk -v n="$inputs_n" -v s="$transcode" 'BEGIN {printf "%.1f", n / s}')"
echo "coordinator CPU: $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {printf "%.1f", b - a}') s, $(awk -v a="$cpu0" -v b="$cpu1" -v n="$inputs_n" 'BEGIN {printf "%.4f", (b - a) / n}') CPU-s per input"
echo "heap: peak $(( peak / 1024 )) MB, after a full GC at the end $(( after / 1024 )) MB (classes: $dir/night-histogram-$inputs_n.txt)"
