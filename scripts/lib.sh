# Shared by ./vidbatch demo and bench/*.sh: build, start a Liberty server, submit and follow a job.
# Source it from the repository root.

say() { printf '\033[1m%s\033[0m\n' "$*" >&2; }
die() { echo "vidbatch: $*" >&2; exit 1; }

VB_HTTP=${HTTP_PORT:-9080}
VB_HTTPS=${HTTPS_PORT:-9443}
VB_USER=submitter
VB_PASS=${SUBMITTER_PASSWORD:-submitter-dev}
VB_API="http://localhost:$VB_HTTP/vidbatch/api/v1"
VB_SERVER="$(pwd)/target/liberty/wlp/bin/server"

# Builds the WAR and the server "vidbatch" (the first build downloads Open Liberty, ~350 MB).
vb_build() {
  mvn -q -B package -DskipTests
  mvn -q -B liberty:create liberty:install-feature liberty:deploy
}

# vb_start INPUT_ROOT OUTPUT_ROOT: starts the server on them and waits until it is ready;
# it is stopped again when the calling script exits.
vb_start() {
  export INPUT_ROOTS=$1 OUTPUT_ROOT=$2 HTTP_PORT=$VB_HTTP HTTPS_PORT=$VB_HTTPS
  if curl -fs "http://localhost:$VB_HTTP/health/ready" >/dev/null 2>&1; then
    die "something already answers on port $VB_HTTP; stop it or set HTTP_PORT/HTTPS_PORT"
  fi
  "$VB_SERVER" start vidbatch >/dev/null
  trap '"$VB_SERVER" stop vidbatch >/dev/null 2>&1 || true' EXIT
  for _ in $(seq 1 180); do
    curl -fs "http://localhost:$VB_HTTP/health/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  die "the server did not become ready; see target/liberty/wlp/usr/servers/vidbatch/logs/messages.log"
}

# vb_submit JSON: submits a job and prints its id.
vb_submit() {
  local reply id
  reply=$(curl -fsS -u "$VB_USER:$VB_PASS" -H 'Content-Type: application/json' "$VB_API/jobs" -d "$1") \
    || die "submission refused"
  id=$(sed -E 's/.*"id":([0-9]+).*/\1/' <<<"$reply")
  [[ $id =~ ^[0-9]+$ ]] || die "unexpected answer: $reply"
  echo "$id"
}

# vb_status ID: the job's batch status (STARTING, STARTED, COMPLETED, ...).
vb_status() {
  curl -fsS -u "$VB_USER:$VB_PASS" "$VB_API/jobs/$1/status" | sed -E 's/.*"status":"([A-Z]+)".*/\1/'
}

# vb_wait ID: blocks until the job ends (the server answers when it does) and prints its status.
vb_wait() {
  local status
  while true; do
    status=$(curl -fsS -u "$VB_USER:$VB_PASS" "$VB_API/jobs/$1/status?wait=600" | sed -E 's/.*"status":"([A-Z]+)".*/\1/')
    vb_ended "$status" && { echo "$status"; return 0; }
  done
}

# vb_timed JSON: submits a job, waits for its end and prints the seconds from submission until it
# was seen ended; dies unless it COMPLETED. What the benches time.
vb_timed() {
  local start id status
  start=$(now)
  id=$(vb_submit "$1")
  status=$(vb_wait "$id")
  [[ $status == COMPLETED ]] || die "job $id ended $status"
  elapsed "$start"
}

# vb_outcome ID: what an ended job achieved: ALL_DONE, PARTIAL (COMPLETED, some inputs failed or
# were rejected), NONE_DONE (FAILED), or nothing when it ended before counting (stopped, failed).
vb_outcome() {
  curl -fsS -u "$VB_USER:$VB_PASS" "$VB_API/jobs/$1/status" | sed -nE 's/.*"outcome":"([A-Z_]+)".*/\1/p'
}

vb_ended() {
  [[ $1 == COMPLETED || $1 == FAILED || $1 == STOPPED || $1 == ABANDONED ]]
}

# For the benches: wall clock, seconds since a start, the median of numbers on stdin.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# The ladder and quality benches' source, made once: 60 s 1920x1080 30 fps H.264 with AAC.
# Prints its path.
bench_film() {
  local src
  src="$(pwd)/target/bench/inputs/ladder/film-1080p-60s.mp4"
  if [[ ! -s $src ]]; then
    mkdir -p "$(dirname "$src")"
    say "generating a 60 s 1080p source"
    ffmpeg -hide_banner -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30" \
      -f lavfi -i "sine=f=440:r=48000" -t 60 -c:v libx264 -preset veryfast -g 60 -pix_fmt yuv420p \
      -c:a aac -b:a 128k -shortest "$src"
  fi
  echo "$src"
}
