#!/usr/bin/env bash
# Builds every benchmark program and runs the whole comparison, then writes
# docs/BENCHMARKS.md (bench/report.py). Run from anywhere inside the repository.
#
# Environment (defaults in brackets):
#   BENCH_SECS [5]    measured seconds per echo load (loadgen -d, at most 15)
#   BENCH_WARMUP [3]  warm-up seconds per echo load (loadgen -w): JIT compilation must be over
#   BENCH_RUNS [3]    fresh runs per figure (the report shows median and min-max)
#   BENCH_ONLY []     regex; only entries whose name matches run (e.g. 'libev$|epoll')
#   BENCH_PORT [17070] first TCP port; each server start takes the next one
#   JAVA []           java 25+ binary (default: newest JDK 25+ under /usr/lib/jvm)
#   BENCH_JVM_OPTS    options for every JVM peer
#   BENCH_SKIP_BUILD  set to 1 to reuse what bench/target already holds
#   BENCH_IDLE_CONNS [10000] idle connections measured by the memory benchmark
#   BENCH_WARM_CONNS [2000]  idle connections opened first, before its baseline
#   BENCH_WARM_ROUNDS [5]    times such a batch is opened (the last one held)
#   BENCH_PARTS ["echo memory alloc pipe timers"] which benchmarks to run
set -euo pipefail

ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$ROOT"
SHARED="$ROOT/../shared"
[ -d "$SHARED/bench" ] || SHARED=/work/shared

SECS=${BENCH_SECS:-5}
WARMUP=${BENCH_WARMUP:-3}
RUNS=${BENCH_RUNS:-3}
ONLY=${BENCH_ONLY:-}
PORT=${BENCH_PORT:-17070}
T=bench/target
C=$T/c
JAR=$T/jevent-bench.jar
EXAMPLES_JAR=examples/target/jevent-examples.jar
RESULTS=$T/results.txt
LOGS=$T/logs
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*/bin/java | grep -E '(2[5-9]|[3-9][0-9])' | sort -V | tail -1)}
JVM_OPTS=${BENCH_JVM_OPTS:---sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -Xms1g -Xmx1g -XX:+AlwaysPreTouch}
JVM="$JAVA $JVM_OPTS -jar $JAR"

# ---- what is compared: one "name|command" entry per program -----------------
# Echo servers; {port} is replaced. Each must print "LISTENING <port>" when ready.
SERVERS=(
  "epoll|$C/echo-epoll {port}"
  "libevent|$C/echo-libevent {port}"
  "libev|$C/echo-libev {port}"
  "netty-nio|$JVM netty-echo --port {port} --transport nio"
  "netty-epoll|$JVM netty-echo --port {port} --transport epoll"
  "jevent|$JAVA $JVM_OPTS -jar $EXAMPLES_JAR echo --port {port}"
  "jevent-nio|$JAVA $JVM_OPTS -jar $EXAMPLES_JAR echo --port {port} --backend nio"
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
  if ! mvn -q -B -pl examples,bench -am package -DskipTests; then
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
  local name=$1 scen=$3 opts=$4 run=$5 log=$LOGS/echo-$1-$3-$5
  record_command echo "$name" "$2"
  start_server "$name" "$2" "$log.server" || { skip echo "$name" "$log.server"; return; }
  local line
  # shellcheck disable=SC2086
  line=$(taskset -c 1 "$T/loadgen" echo -p "$SERVER_PORT" $opts -d "$SECS" -w "$WARMUP" -P $SERVER_PID \
         2>"$log.loadgen" | grep '^RESULT' || true)
  stop_server $SERVER_PID
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

# start_server NAME COMMAND LOG: starts COMMAND (with {port}) pinned to CPU 0; sets SERVER_PID
# and SERVER_PORT, or returns 1 (and records a skip) when it never says LISTENING.
start_server() {
  SERVER_PORT=$((PORT++))
  local cmd=${2//\{port\}/$SERVER_PORT}
  # shellcheck disable=SC2086
  taskset -c 0 $cmd >"$3" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 300); do
    grep -q '^LISTENING' "$3" && return 0
    kill -0 $SERVER_PID 2>/dev/null || break
    sleep 0.1
  done
  stop_server $SERVER_PID
  return 1
}

# Resident anonymous memory (RssAnon): RSS without the pages of mapped files, which the kernel
# drops and reloads as memory gets short (a JVM maps tens of MB: libjvm, the class archive).
rss_kib() { awk '/^RssAnon:/ {print $2}' "/proc/$1/status"; }
is_jvm() { [[ $1 == jevent* || $1 == netty* ]]; }
JCMD=$(dirname "$JAVA")/jcmd
# settle_jvm PID: brings a JVM server's memory to what is in use. A full GC; a second one a
# second later, after the cleaners the first one triggered have freed off-heap memory (pool
# slabs, direct buffers); then malloc returns its free memory to the system (malloc_trim):
# the JIT compilers' arenas, for one, are freed after each compilation but kept by malloc.
settle_jvm() {
  "$JCMD" "$1" GC.run >/dev/null 2>&1
  sleep 1
  "$JCMD" "$1" GC.run >/dev/null 2>&1
  "$JCMD" "$1" System.trim_native_heap >/dev/null 2>&1 || true
}

# settle_jvm_until_stable PID: settle_jvm until RSS holds still (within 256 KiB of the reading a
# second before; 15 tries at most): after connections closed, RssAnon was seen to drop by
# megabytes a few seconds later, with no change of anything the JVM's native memory tracking
# counts.
settle_jvm_until_stable() {
  local before after=-1 try
  for try in $(seq 15); do
    before=$after
    settle_jvm "$1"
    after=$(rss_kib "$1")
    (( before >= 0 && after - before < 256 && before - after < 256 )) && return 0
  done
}

# Heap in use in KiB (after settle_jvm: the live heap).
heap_kib() {
  # Sum the generations (G1 prints one heap line; Serial, chosen on one CPU, two).
  "$JCMD" "$1" GC.heap_info 2>/dev/null | grep -v -e Metaspace -e 'class space' \
    | grep -o 'used [0-9]*K' | tr -dc '0-9\n' | awk '{s += $1} END {print s + 0}'
}

# idle_batch COUNT LOG: opens COUNT idle connections to the server (loadgen idle, held for its
# longest run, 15 s); sets IDLE_PID, or returns 1 when they are not all established.
idle_batch() {
  taskset -c 1 "$T/loadgen" idle -p "$SERVER_PORT" -k "$1" -t 15 >"$2" 2>&1 &
  IDLE_PID=$!
  for _ in $(seq 600); do
    grep -q '^READY' "$2" 2>/dev/null && return 0
    kill -0 $IDLE_PID 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# memory_run NAME COMMAND RUN: the marginal server memory of one more idle connection. Batches
# of BENCH_WARM_CONNS connections are opened and closed (BENCH_WARM_ROUNDS - 1 times), then one
# more is opened and held: this warms up what a server grows once (JIT code, classes, pool
# slabs, descriptor tables). The baseline is taken with it open, then the measured batch
# (BENCH_IDLE_CONNS) is opened and the growth divided by its size. Resident anonymous memory
# for every server; for JVMs, whose heap is pre-touched (so RSS growth is native memory only), plus the
# growth of the live heap after a full GC, and RSS read after malloc returned its free memory.
memory_run() {
  local name=$1 log=$LOGS/memory-$1-$3 warm=${BENCH_WARM_CONNS:-2000} conns=${BENCH_IDLE_CONNS:-10000}
  record_command memory "$name" "$2"
  start_server "$name" "$2" "$log.server" || { skip memory "$name" "$log.server"; return; }
  local rss0 heap0=0 rss1 heap1=0 warm_pid= ok= round
  # Churn first: JIT compilation is over only after some 10,000 connections.
  for round in $(seq $(( ${BENCH_WARM_ROUNDS:-5} - 1 ))); do
    idle_batch "$warm" "$log.loadgen-churn" || true # a failed churn batch only warms less
    kill $IDLE_PID 2>/dev/null || true; wait $IDLE_PID 2>/dev/null || true
  done
  if is_jvm "$name"; then settle_jvm_until_stable $SERVER_PID; fi
  if idle_batch "$warm" "$log.loadgen-warm"; then
    warm_pid=$IDLE_PID
    if is_jvm "$name"; then settle_jvm $SERVER_PID; heap0=$(heap_kib $SERVER_PID); else sleep 1; fi
    rss0=$(rss_kib $SERVER_PID)
    if idle_batch "$conns" "$log.loadgen"; then
      if is_jvm "$name"; then settle_jvm $SERVER_PID; heap1=$(heap_kib $SERVER_PID); else sleep 1; fi
      rss1=$(rss_kib $SERVER_PID)
      kill -0 "$warm_pid" 2>/dev/null && ok=1 # the warm-up batch was still open
    fi
  else
    warm_pid=$IDLE_PID
  fi
  if [ -n "$ok" ]; then
    echo "RESULT bench=memory name=$name run=$3 warm=$warm conns=$conns rss_per_conn=$(( (rss1 - rss0) * 1024 / conns ))" \
         "heap_per_conn=$(( (heap1 - heap0) * 1024 / conns ))" \
         "bytes_per_conn=$(( ((rss1 - rss0) + (heap1 - heap0)) * 1024 / conns ))" | tee -a "$RESULTS"
  else
    echo "FAIL bench=memory name=$name run=$3" | tee -a "$RESULTS"
  fi
  local p
  for p in $IDLE_PID $warm_pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  stop_server $SERVER_PID
}

# alloc_run NAME COMMAND RUN: bytes the loop thread allocates per echoed message in steady
# state (64 connections, 64 B, 16 in flight), from JFR's per-thread allocation counters, and
# where they were allocated (bench/alloc.py). The recording is started with the JVM, delayed
# past the warm-up, with JFR's default settings: attaching later (jcmd JFR.start) or the
# "profile" settings make the threads allocate for JFR itself inside the window (seen: 0.03
# and 0.8 B/msg of JFR's own objects). Changed from the defaults:
#  - the TLAB allocation events, with stacks, on small fixed TLABs: a thread raises one event
#    per 2 KiB it allocates, so the sites of even a few bytes per message are sampled (the
#    size of a TLAB changes how often a thread refills it, not what it allocates);
#  - no socket I/O events: JDK socket channels build them (strings of the peer address) for
#    I/O slower than 20 ms, which a loaded two-core machine causes: JFR's objects, not ours.
alloc_run() {
  local name=$1 log=$LOGS/alloc-$1-$3
  local events=jdk.ThreadAllocationStatistics,jdk.ObjectAllocationInNewTLAB,jdk.ObjectAllocationOutsideTLAB
  local jfr="-XX:TLABSize=2k -XX:-ResizeTLAB -XX:StartFlightRecording=delay=$((WARMUP + 3))s,duration=$((SECS - 1))s"
  jfr+=",filename=$log.jfr,jdk.ObjectAllocationInNewTLAB#enabled=true,jdk.ObjectAllocationOutsideTLAB#enabled=true"
  jfr+=",jdk.SocketRead#enabled=false,jdk.SocketWrite#enabled=false"
  local cmd=${2/ -jar / $jfr -jar }
  record_command alloc "$name" "$cmd"
  start_server "$name" "$cmd" "$log.server" || { skip alloc "$name" "$log.server"; return; }
  # The load outlasts the recording: it starts within a second of the JVM, runs WARMUP + SECS + 3.
  taskset -c 1 "$T/loadgen" echo -p "$SERVER_PORT" -c 64 -s 64 -D 16 -d "$SECS" -w $((WARMUP + 3)) >"$log.loadgen" 2>&1
  stop_server $SERVER_PID
  local rate
  rate=$(grep -o 'msgs_per_sec=[0-9.]*' "$log.loadgen" | head -1 | cut -d= -f2)
  "$(dirname "$JAVA")/jfr" print --json --stack-depth 64 --events "$events" "$log.jfr" >"$log.json" 2>/dev/null || true
  python3 bench/alloc.py "$log.json" "${rate:-0}" "$name" "$3" | tee -a "$RESULTS"
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

PARTS=" ${BENCH_PARTS:-echo memory alloc pipe timers} "
part() { [[ $PARTS == *" $1 "* ]]; }

# The memory benchmark's server holds BENCH_WARM_CONNS + BENCH_IDLE_CONNS sockets at once (each
# loadgen one batch): every process gets the hard descriptor limit as its soft one.
ulimit -n "$(ulimit -Hn)"
if part memory && [ "$(ulimit -n)" != unlimited ] \
   && (( $(ulimit -n) < ${BENCH_WARM_CONNS:-2000} + ${BENCH_IDLE_CONNS:-10000} + 100 )); then
  echo "warning: descriptor limit $(ulimit -n) is too low for the memory benchmark" >&2
fi
meta "memory method" "${BENCH_WARM_ROUNDS:-5} warm-up batches of ${BENCH_WARM_CONNS:-2000} idle connections (the last held), baseline, then ${BENCH_IDLE_CONNS:-10000} more; growth / ${BENCH_IDLE_CONNS:-10000}"

part echo && for scenario in "${SCENARIOS[@]}"; do
  for entry in "${SERVERS[@]}"; do
    name=${entry%%|*}
    selected "$name" || continue
    for run in $(seq "$RUNS"); do
      [ -n "${SKIPPED[echo/$name]:-}" ] && break
      echo_run "$name" "${entry#*|}" "${scenario%%|*}" "${scenario#*|}" "$run"
    done
  done
done
for entry in "${SERVERS[@]}"; do
  name=${entry%%|*}
  selected "$name" || continue
  part memory && for run in $(seq "$RUNS"); do
    [ -n "${SKIPPED[memory/$name]:-}" ] && break
    memory_run "$name" "${entry#*|}" "$run"
  done
  is_jvm "$name" && part alloc && for run in $(seq "$RUNS"); do
    [ -n "${SKIPPED[alloc/$name]:-}" ] && break
    alloc_run "$name" "${entry#*|}" "$run"
  done
done
part pipe && programs pipeping PIPE_CASES "${PIPE_PROGRAMS[@]}"
part timers && programs timers TIMER_CASES "${TIMER_PROGRAMS[@]}"

meta "load average after" "$(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/report.py "$RESULTS" docs
