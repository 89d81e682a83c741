#!/usr/bin/env bash
# Builds every benchmark program and runs the whole comparison, then writes
# docs/BENCHMARKS.md (bench/report.py). Run from anywhere inside the repository.
#
# Environment (defaults in brackets):
#   BENCH_SECS [5]    measured seconds per echo load (loadgen -d, at most 15)
#   BENCH_WARMUP [1]  warm-up seconds per echo load (loadgen -w)
#   BENCH_RUNS [3]    fresh runs per figure (the report shows median and min-max)
#   BENCH_ONLY []     regex; only entries whose name matches run (e.g. 'libev$|epoll')
#   BENCH_PORT [17070] first TCP port; each server start takes the next one
#   JAVA []           java 25+ binary (default: newest JDK 25+ under /usr/lib/jvm)
#   BENCH_JVM_OPTS    options for every JVM peer
#   BENCH_SKIP_BUILD  set to 1 to reuse what bench/target already holds
set -euo pipefail

ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$ROOT"
SHARED="$ROOT/../shared"
[ -d "$SHARED/bench" ] || SHARED=/work/shared

SECS=${BENCH_SECS:-5}
WARMUP=${BENCH_WARMUP:-1}
RUNS=${BENCH_RUNS:-3}
ONLY=${BENCH_ONLY:-}
PORT=${BENCH_PORT:-17070}
T=bench/target
C=$T/c
JAR=$T/jevent-bench.jar
RESULTS=$T/results.txt
LOGS=$T/logs
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*/bin/java | grep -E '(2[5-9]|[3-9][0-9])' | sort -V | tail -1)}
JVM_OPTS=${BENCH_JVM_OPTS:---sun-misc-unsafe-memory-access=allow -Xms1g -Xmx1g}
JVM="$JAVA $JVM_OPTS -jar $JAR"

# ---- what is compared: one "name|command" entry per program -----------------
# Echo servers; {port} is replaced. Each must print "LISTENING <port>" when ready.
SERVERS=(
  "epoll|$C/echo-epoll {port}"
  "libevent|$C/echo-libevent {port}"
  "libev|$C/echo-libev {port}"
  "netty-nio|$JVM netty-echo --port {port} --transport nio"
  "netty-epoll|$JVM netty-echo --port {port} --transport epoll"
  "jevent|$JVM echo --port {port}"
)
# "name|loadgen echo options"
SCENARIOS=(
  "1c-64B|-c 1 -s 64 -D 1"
  "64c-64B|-c 64 -s 64 -D 1"
  "64c-64B-depth16|-c 64 -s 64 -D 16"
  "16c-16KiB|-c 16 -s 16384 -D 1"
)
# Pipe ping and timer programs; the case's options are appended. Each prints a RESULT line.
PIPE_PROGRAMS=(
  "libevent|$C/pipebench-libevent"
  "libev|$C/pipebench-libev"
  "jevent|$JVM pipe-bench"
)
PIPE_CASES=("-p 100 -a 1" "-p 100 -a 100" "-p 1000 -a 1" "-p 1000 -a 100" "-p 9992 -a 1" "-p 9992 -a 100")
TIMER_PROGRAMS=(
  "libevent|$C/timers-libevent"
  "libev|$C/timers-libev"
  "jevent|$JVM timers"
)
TIMER_CASES=("-n 1000000 -s 42")

# ---- build --------------------------------------------------------------------
build() {
  if [ ! -f /usr/include/event2/event.h ] || [ ! -f /usr/include/ev.h ]; then
    apt-get update -qq && apt-get install -y -qq libevent-dev libev-dev
  fi
  make -s -C bench/c
  make -s -C "$SHARED/bench" OUT="$ROOT/$T"
  # A failed Java build skips the Java peers, never the C ones.
  if ! { mvn -q -N install && mvn -q -pl core install -DskipTests \
         && mvn -q -f bench/pom.xml package -DskipTests; }; then
    echo "warning: Java build failed; the Java entries will be skipped" >&2
  fi
}

# ---- helpers --------------------------------------------------------------------
declare -A SKIPPED=() LOGGED=()

# record_command BENCH NAME TEMPLATE: records each entry's command line once, for the report.
record_command() {
  [ -n "${LOGGED[$1/$2]:-}" ] && return 0
  LOGGED["$1/$2"]=1
  echo "CMD bench=$1 name=$2: $3" >>"$RESULTS"
}

selected() { [ -z "$ONLY" ] || [[ $1 =~ $ONLY ]]; }

# skip BENCH NAME LOGFILE: records why NAME cannot run and stops trying it.
skip() {
  local reason
  reason=$(grep -v '^\s*$' "$3" 2>/dev/null | tail -1 | tr -s ' \t' ' ')
  echo "SKIP bench=$1 name=$2 reason=${reason:-no output}" | tee -a "$RESULTS"
  SKIPPED["$1/$2"]=1
}

stop_server() {
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# echo_run NAME COMMAND SCENARIO LOADGEN_OPTIONS RUN
echo_run() {
  local name=$1 scen=$3 opts=$4 run=$5 port=$((PORT++))
  local cmd=${2//\{port\}/$port} log=$LOGS/echo-$1-$3-$5
  record_command echo "$name" "$2"
  # shellcheck disable=SC2086 # commands are plain words
  taskset -c 0 $cmd >"$log.server" 2>&1 &
  local pid=$! ready=
  for _ in $(seq 300); do
    grep -q '^LISTENING' "$log.server" && { ready=1; break; }
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$ready" ]; then
    stop_server $pid
    skip echo "$name" "$log.server"
    return
  fi
  local line
  # shellcheck disable=SC2086
  line=$(taskset -c 1 "$T/loadgen" echo -p "$port" $opts -d "$SECS" -w "$WARMUP" -P $pid \
         2>"$log.loadgen" | grep '^RESULT' || true)
  stop_server $pid
  if [ -n "$line" ]; then
    echo "RESULT bench=echo name=$name scenario=$scen run=$run ${line#RESULT }" | tee -a "$RESULTS"
  else
    echo "FAIL bench=echo name=$name scenario=$scen run=$run" | tee -a "$RESULTS"
  fi
}

# program_run BENCH NAME COMMAND CASE_OPTIONS RUN
program_run() {
  local bench=$1 name=$2 log=$LOGS/$1-$2-$RANDOM line
  record_command "$bench" "$name" "$3 <case options>"
  # shellcheck disable=SC2086
  line=$(timeout 600 taskset -c 0 $3 $4 2>"$log" | grep '^RESULT' || true)
  if [ -n "$line" ]; then
    echo "RESULT name=$name run=$5 ${line#RESULT }" | tee -a "$RESULTS"
  else
    skip "$bench" "$name" "$log"
  fi
}

# programs BENCH CASES_ARRAY ENTRIES...
programs() {
  local bench=$1 entry case run
  local -n cases=$2
  shift 2
  for case in "${cases[@]}"; do
    for entry in "$@"; do
      local name=${entry%%|*} cmd=${entry#*|}
      selected "$name" || continue
      for run in $(seq "$RUNS"); do
        [ -n "${SKIPPED[$bench/$name]:-}" ] && break
        program_run "$bench" "$name" "$cmd" "$case" "$run"
      done
    done
  done
}

meta() { echo "META $1: $2" >>"$RESULTS"; }

# ---- run ------------------------------------------------------------------------
[ "${BENCH_SKIP_BUILD:-}" = 1 ] || build
mkdir -p "$LOGS"
: >"$RESULTS"
meta date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
meta cpu "$(lscpu | sed -n 's/^Model name:\s*//p' | head -1)"
meta cores "$(nproc)"
meta kernel "$(uname -sr)"
meta memory "$(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
meta libevent "$(pkg-config --modversion libevent 2>/dev/null || echo unknown)"
meta libev "$(dpkg-query -W -f '${Version}' libev-dev 2>/dev/null || echo unknown)"
meta netty "$(sed -n 's:.*<netty.version>\(.*\)</netty.version>.*:\1:p' bench/pom.xml)"
meta java "$("$JAVA" -version 2>&1 | head -1)"
meta gcc "$(gcc --version | head -1)"
meta git "$(git rev-parse --short HEAD)$(git diff --quiet || echo ' (dirty)')"
meta loadgen "$T/loadgen echo -p PORT <scenario options> -d $SECS -w $WARMUP -P SERVER_PID (taskset -c 1)"
meta pinning "servers and pipe/timer programs taskset -c 0, loadgen taskset -c 1"
meta runs "$RUNS"
meta "pipe ping cases" "$(printf '[%s] ' "${PIPE_CASES[@]}")"
meta "timer cases" "$(printf '[%s] ' "${TIMER_CASES[@]}")"
meta "load average before" "$(cut -d' ' -f1-3 /proc/loadavg)"

for scenario in "${SCENARIOS[@]}"; do
  for entry in "${SERVERS[@]}"; do
    name=${entry%%|*}
    selected "$name" || continue
    for run in $(seq "$RUNS"); do
      [ -n "${SKIPPED[echo/$name]:-}" ] && break
      echo_run "$name" "${entry#*|}" "${scenario%%|*}" "${scenario#*|}" "$run"
    done
  done
done
programs pipeping PIPE_CASES "${PIPE_PROGRAMS[@]}"
programs timers TIMER_CASES "${TIMER_PROGRAMS[@]}"

meta "load average after" "$(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/report.py "$RESULTS" docs
