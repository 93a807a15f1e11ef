#!/usr/bin/env bash
# Dispatch: what the coordinator costs per item when the item itself costs nothing.
# ITEMS items (default 1000: ITEMS/50 generated 100 s clips, each split into 50 two-second
# segments) run as a dry run (dryRun=true: each worker checks that its piece is readable and
# encodes nothing) over PARTITIONS partitions (default 50), once per launcher:
#   local       items run in the coordinator;
#   process     one worker JVM per group of GROUP items (default 20);
#   kubernetes  one Job/pod per group, against the simulated cluster (src/test, run here as a
#               process of its own on port SIM_PORT, 19750; its pods are real local worker JVMs,
#               run at nice 10 as they would run on other machines than the coordinator's).
# Per launcher it prints the transcode step's items/s (step start to end, from Liberty's batch
# API), the coordinator's peak used heap during the run (jstat -gc every 200 ms, after a full
# GC; garbage not yet collected counts) and what is left after a full GC once the runs are over,
# and for kubernetes the median delay between a pod's worker process exiting and the coordinator
# recording its items (the item's "finished" time in our API). Each launcher runs the job once
# untimed first, so a warm coordinator is measured, as in a long nightly run, then RUNS times
# (default 3): the figures are the median run's (and every pod of every run's delay).
#
# Each launcher is measured in the deployment it is made for: `local` on the embedded default
# (Derby in the coordinator's JVM: what the first command of the README runs), `process` and
# `kubernetes` on PostgreSQL (as in the Kubernetes deployment), schema vidbatch_bench, with
# Liberty's executor keeping 100 threads ready so that all partitions start at once.
# BENCH_DB=postgres or BENCH_DB=derby puts every launcher on that one database instead.
#
#   bench/dispatch.sh [ITEMS] [PARTITIONS] [GROUP]     LAUNCHERS="local process kubernetes" RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

items=${1:-1000}
partitions=${2:-50}
group=${3:-20}
launchers=${LAUNCHERS:-local process kubernetes}
runs=${RUNS:-3}
sim_port=${SIM_PORT:-19750}
(( items % 50 == 0 )) || die "ITEMS must be a multiple of 50 (50 segments per clip)"
clips_n=$(( items / 50 ))
dir="$(pwd)/target/bench"
clips="dispatch-$clips_n"
inputs="$dir/inputs/$clips"
mkdir -p "$inputs" "$dir/outputs"
monitor="monitor:${MONITOR_PASSWORD:-monitor-dev}"

say "generating $clips_n clips of 100 s (keyframe every second) in $inputs"
for i in $(seq 1 "$clips_n"); do
  f="$inputs/clip-$i.mp4"
  [[ -s $f ]] || ffmpeg -hide_banner -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=160x90:rate=10" -t 100 \
    -c:v libx264 -preset ultrafast -g 10 -pix_fmt yuv420p "$f"
done
say "building vidbatch"
vb_build

# db_for LAUNCHER: the job repository that launcher is measured on.
db_for() {
  if [[ -n ${BENCH_DB:-} ]]; then echo "$BENCH_DB"; elif [[ $1 == local ]]; then echo derby; else echo postgres; fi
}
pg_ready=""
say "starting the simulated cluster on port $sim_port"
cp="$dir/test-classpath.txt"
mvn -q -o -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >/dev/null
exits="$dir/pod-exits.txt"
# At lower CPU priority, pods included (they are its children): on a real cluster the control
# plane and the worker pods run on other machines than the coordinator, not on its two CPUs.
nice -n 10 java -cp "target/test-classes:target/classes:$(cat "$cp")" io.vidbatch.k8s.sim.SimMain "$sim_port" "$dir/kubeconfig" "$exits" \
  >"$dir/sim.log" 2>&1 &
sim=$!
for _ in $(seq 1 60); do [[ -s $dir/kubeconfig ]] && break; sleep 0.5; done
[[ -s $dir/kubeconfig ]] || die "the simulated cluster did not start; see $dir/sim.log"

# The coordinator talks to it like to any cluster; its pods run the worker jar as local processes.
export K8S_KUBECONFIG="$dir/kubeconfig" K8S_NAMESPACE=vidbatch-bench K8S_JOB_PREFIX=vbbench \
  K8S_WORKER_COMMAND="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m -XX:SharedArchiveFile=$(pwd)/target/worker/vidbatch-worker.jsa -Xshare:auto -jar $(pwd)/target/worker/vidbatch-worker.jar" \
  K8S_CPU_REQUEST=${K8S_CPU_REQUEST:-1}
cleanup() { "$VB_SERVER" stop vidbatch >/dev/null 2>&1 || true; kill $sim 2>/dev/null || true; }
trap cleanup EXIT

# coordinator_on DB: (re)starts the coordinator on that job repository unless it runs on it already.
db="" pid=""
coordinator_on() {
  [[ $db == "$1" ]] && return 0
  [[ -z $db ]] || "$VB_SERVER" stop vidbatch >/dev/null
  if [[ $1 == postgres ]]; then
    if [[ -z $pg_ready ]]; then
      source scripts/postgres-up >&2
      runuser -u postgres -- psql -qAt -p "$VIDBATCH_PG_PORT" -d vidbatch \
        -c "CREATE SCHEMA IF NOT EXISTS vidbatch_bench AUTHORIZATION vidbatch" >&2
      pg_ready=1
    fi
    export DB_TYPE=postgres DB_PORT=$VIDBATCH_PG_PORT DB_PASSWORD=$VIDBATCH_PG_PASSWORD DB_SCHEMA=vidbatch_bench \
      EXECUTOR_CORE_THREADS=100
  else
    # Derby times out when 50 partitions start at once: Liberty's default executor (server.xml).
    unset DB_TYPE DB_PORT DB_PASSWORD DB_SCHEMA EXECUTOR_CORE_THREADS
  fi
  say "starting the coordinator on $1"
  vb_start "$dir/inputs" "$dir/outputs"
  trap cleanup EXIT
  pid=$(pgrep -f 'ws-server.jar vidbatch( |$)' | head -1)
  [[ -n $pid ]] || die "cannot find the coordinator's JVM"
  db=$1
}

batch_api="https://localhost:$VB_HTTPS/ibm/api/batch"
# step_seconds ID: the transcode step's wall time, from Liberty's own step execution record.
step_seconds() {
  local exec
  exec=$(curl -fsSk -u "$monitor" "$batch_api/jobinstances/$1/jobexecutions" | jq '[.[].executionId] | max')
  curl -fsSk -u "$monitor" "$batch_api/jobexecutions/$exec/stepexecutions" |
    jq -r '.[] | select(.stepName == "transcode") | [.startTime, .endTime] | @tsv' |
    while IFS=$'\t' read -r a b; do
      awk -v a="$(date -d "$a" +%s.%N)" -v b="$(date -d "$b" +%s.%N)" 'BEGIN {printf "%.3f", b - a}'
    done
}

# peak_kb FILE: the highest used heap (survivors + eden + old, KB) among jstat -gc samples.
peak_kb() {
  awk 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
       $1 != "S0C" {u = $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]; if (u > m) m = u} END {printf "%d", m}' "$1"
}

run_job() { # run_job LAUNCHER NAME -> job id, after checking it is ALL DONE
  local id status
  id=$(vb_submit "{\"inputs\": [\"$clips\"], \"workers\": $partitions, \"segmentSeconds\": 2, \"dryRun\": true,
    \"groupSize\": $group, \"launcher\": \"$1\", \"outputDir\": \"dispatch-$2\"}")
  status=$(vb_wait "$id")
  [[ $status == COMPLETED ]] || die "job $id ($1) ended $status"
  local json
  json=$(curl -fsS -u "$VB_USER:$VB_PASS" "$VB_API/jobs/$id")
  jq -e --argjson n "$items" '(.items | length) == $n and all(.items[]; .state == "DONE")' <<<"$json" >/dev/null \
    || die "job $id ($1): not every one of $items items is DONE: $(jq -r .exitStatus <<<"$json")"
  echo "$id"
}


results=()
for launcher in $launchers; do
  coordinator_on "$(db_for "$launcher")"
  say "$launcher: warm-up run (not measured)"
  run_job "$launcher" "$launcher-warmup" >/dev/null
  jcmd "$pid" GC.run >/dev/null
  # One jstat sampling every 200 ms: a jstat (a JVM) started per sample took so much of this
  # machine's two CPUs that it slowed what it measured (kubernetes: 36.5 items/s with it).
  jstat -gc "$pid" 200 >"$dir/heap-$launcher.txt" &
  sampler=$!
  secs_all=() delays=""
  for run in $(seq 1 "$runs"); do
    say "$launcher: measured run $run of $runs"
    id=$(run_job "$launcher" "$launcher-$run")
    secs_all+=("$(step_seconds "$id")")
    if [[ $launcher == kubernetes ]]; then
      # Per pod: when its worker process exited (simulated kubelet) -> when the coordinator recorded its items.
      delays+=$(curl -fsS -u "$VB_USER:$VB_PASS" "$VB_API/jobs/$id" |
        jq -r '.items[] | [(.worker | sub("^k8s:[^/]*/"; "")), .finished] | @tsv' | sort -u -k1,1 |
        while IFS=$'\t' read -r pod finished; do
          exit_ms=$(awk -v p="$pod" '$1 == p {print $2}' "$exits" | tail -1)
          [[ -n $exit_ms ]] || continue
          echo $(( $(date -d "$finished" +%s%3N) - exit_ms ))
        done)$'\n'
    fi
  done
  kill $sampler; wait $sampler 2>/dev/null || true
  secs=$(printf '%s\n' "${secs_all[@]}" | median)
  rate=$(awk -v n="$items" -v s="$secs" 'BEGIN {printf "%.1f", n / s}')
  per=$(awk -v n="$items" -v s="$secs" 'BEGIN {printf "%.2f", 1000 * s / n}')
  peak=$(peak_kb "$dir/heap-$launcher.txt")
  jcmd "$pid" GC.run >/dev/null
  after=$(jstat -gc "$pid" | peak_kb /dev/stdin)
  line="$launcher ($db): $items items in $secs s (median of ${secs_all[*]}) = $rate items/s ($per ms per item); coordinator peak heap $(( peak / 1024 )) MB, $(( after / 1024 )) MB after a full GC at the end"
  if [[ $launcher == kubernetes ]]; then
    delays=$(grep . <<<"$delays")
    line+="; pod exit -> item recorded: median $(median <<<"$delays") ms, max $(sort -n <<<"$delays" | tail -1) ms over $(wc -l <<<"$delays") pods"
  fi
  say "$line"
  results+=("$line")
done
echo "dispatch: $items dry-run items, $partitions partitions, groupSize $group (process and kubernetes: one worker per group); $runs measured runs per launcher"
printf '%s\n' "${results[@]}"
