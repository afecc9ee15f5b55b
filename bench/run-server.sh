#!/usr/bin/env bash
# Server benchmark: the packaged webhook against the framework-default baseline, over HTTPS, side by side.
#
# Builds two jars from this checkout:
#   ours      the production jar, ./mvnw -B -q package -DskipTests -> target/quarkus-app (what the README runs);
#             built last, so target/quarkus-app is the production build when the script ends
#   baseline  -Pframework-baseline -> target/framework-baseline/quarkus-app/quarkus-run.jar (the profile builds in
#             its own directory; target/classes and target/quarkus-app are left alone): the same server plus
#             POST /framework/mutate, the same engine behind kubernetes-webhooks-framework-core's
#             AdmissionController (bench/framework-baseline/.../FrameworkBaselineResource), run with
#             -Dquarkus.rest.input-buffer-size=6M (bodies up to the limit stay in memory, as it was always measured)
# and the review bodies (AdmissionPathBenchmark --write-reviews, built with -Pbench): the Istio "hello" pod review
# (~6 KiB) and the ~1 MiB pod review (40 containers x 300 env vars), the same as the JMH benchmark's.
#
# Every server runs as `java -Xmx256m -jar <dir>/quarkus-run.jar`, HTTPS, HTTP and management bound to 127.0.0.1
# on free ports, serving a certificate pair made with openssl (in production: a mounted Secret).
#   1. start-up to ready: process start -> first 200 from GET /q/health/ready on the management port, polled
#      every 10 ms; STARTS (default 5) starts per jar and certificate mode, ours and baseline alternating, each
#      stopped (SIGTERM, waited for) before the next. Certificate modes: "files" (the openssl pair, as in
#      production) and "self-signed" (none configured: the server generates one, as with the README's run
#      command). Median, min and max are reported.
#   2. load: both jars are started and stay up (an idle server costs no CPU); ours is POST /mutate on the
#      production jar, baseline POST /framework/mutate on the baseline jar. First each answers both reviews
#      once, and the answers must carry patches giving the same pod (AdmissionPathBenchmark --check-answers).
#      Then wrk over HTTPS keep-alive, one thread, --latency, bench/wrk-post.lua POSTing the review, the two
#      servers taking turns phase by phase, so that the noise of a shared machine falls on both alike:
#        warm-up  hello, -c16, 10 s each, not reported
#        hello    hello, -c16, 15 s each, ROUNDS times (T1: throughput and p99)
#        big-wu   big, -c16, 5 s each, not reported
#        big      big, -c16, 15 s each, ROUNDS times (T2 under load: 16 reviews of 1 MiB in flight)
#        big-c1   big, -c1, 15 s each, ROUNDS times  (T2 one at a time: the latency of one review)
#      Rounds alternate who goes first (ours, baseline / baseline, ours / ...); figures are medians over rounds.
#      RSS (ps -o rss=) of each server is sampled every 200 ms from its start to the end; reported: the maximum
#      within each of its phases and over the whole load part; T4 is judged on the hello load (the issue's
#      load), the largest sample over its warm-up and rounds. CPU per phase from /proc: the server's own
#      CPU (cores busy, and requests per CPU-second: less sensitive to the noise than req/s), wrk's, and the
#      rest of the machine ("other": anything else running at the same time).
#
# Usage: bench/run-server.sh
#   BASELINE_REF=<commit>  the baseline is instead the production jar of that commit (built in a git worktree
#                          under $TMPDIR, POST /mutate): this checkout against an earlier one, e.g. before a change
#                          to the admission path. Its answers must still give the same pods as ours.
#   BENCH_SKIP_BUILD=1   reuses the jars and review classes of a previous run
#   MAVEN_ARGS=-o        builds offline (Maven reads MAVEN_ARGS)
#   STARTS=5 ROUNDS=3 DURATION=15s WARMUP=10s BIG_WARMUP=5s   the sizes above
#   SERVER_JAVA_OPTS='-XX:NativeMemoryTracking=summary'      extra JVM options for experiments (after HEAP_OPTS)
#   HEAP_OPTS='-Xmx256m'   the heap options of both (default); a container-like JVM instead:
#                          HEAP_OPTS='-XX:MaxRAM=256m -XX:ActiveProcessorCount=1'
#   OURS_JAVA_HOME=<jdk>   builds ours with that JDK and runs it with its java (default: the java on PATH);
#   OURS_MAVEN_ARGS=-Paot  more arguments for the build of ours (-Paot: aot-jar and trained AOT caches)
#   OURS_JAVA_OPTS / BASELINE_JAVA_OPTS   JVM options of one side only, e.g. the chart's flags and
#                          -XX:AOTCache=target/quarkus-app/server.aot
# The first review after ready (hello, a fresh connection) is timed at every start (first_ms in startup.tsv).
# Needs: java 17, wrk (installed with apt-get when missing and run as root), curl, openssl, python3 (summary).
# About 10 minutes.
# Do not run it in a checkout whose target/ is in use (e.g. tests running): the builds rewrite target/.
# Output: bench/results/<timestamp>/ {summary.txt, results.tsv, startup.tsv, wrk-*.txt, server-*.log, rss-*.tsv,
#         answer-*.json, metrics-*.txt}
set -euo pipefail

cd "$(dirname "$0")/.."

STARTS=${STARTS:-5}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-10s}
BIG_WARMUP=${BIG_WARMUP:-5s}
read -ra extra_java <<< "${SERVER_JAVA_OPTS:-}"
read -ra heap_opts <<< "${HEAP_OPTS:--Xmx256m}"
declare -A java_bin=([ours]="${OURS_JAVA_HOME:+$OURS_JAVA_HOME/bin/}java" [baseline]=java)
declare -A side_opts=([ours]="${OURS_JAVA_OPTS:-}" [baseline]="${BASELINE_JAVA_OPTS:-}")

if ! command -v wrk >/dev/null && [[ $EUID == 0 ]] && command -v apt-get >/dev/null; then
  echo "== installing wrk (Debian package)" >&2
  apt-get install -y -q wrk >&2 || { apt-get update -q >&2 && apt-get install -y -q wrk >&2; }
fi
for tool in java wrk curl openssl python3; do
  command -v "$tool" >/dev/null || { echo "$tool not found${tool/#wrk/ (Debian: apt-get install -y wrk)}" >&2; exit 1; }
done

declare -A app=([ours]=target/quarkus-app [baseline]=target/framework-baseline/quarkus-app)
declare -A path=([ours]=/mutate [baseline]=/framework/mutate)
if [[ -n "${BASELINE_REF:-}" ]]; then
  baseline_tree="${TMPDIR:-/tmp}/nsw-baseline-$(git rev-parse --short "$BASELINE_REF")"
  app[baseline]="$baseline_tree/target/quarkus-app"
  path[baseline]=/mutate
fi
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  if [[ -n "${BASELINE_REF:-}" ]]; then
    echo "== build: baseline jar of $BASELINE_REF (${app[baseline]})" >&2
    [[ -d $baseline_tree ]] || git worktree add --detach "$baseline_tree" "$BASELINE_REF" >&2
    (cd "$baseline_tree" && ./mvnw -B -q package -DskipTests)
  else
    echo "== build: baseline jar (${app[baseline]})" >&2
    ./mvnw -B -q package -DskipTests -Pframework-baseline
  fi
  echo "== build: production jar (${app[ours]})${OURS_JAVA_HOME:+ with $OURS_JAVA_HOME} ${OURS_MAVEN_ARGS:-}" >&2
  # shellcheck disable=SC2086
  JAVA_HOME=${OURS_JAVA_HOME:-${JAVA_HOME:-}} ./mvnw -B -q package -DskipTests ${OURS_MAVEN_ARGS:-}
  echo "== build: review bodies and answer check (-Pbench test-compile)" >&2
  ./mvnw -B -q -Pbench -DskipTests test-compile
fi
for f in "${app[ours]}/quarkus-run.jar" "${app[baseline]}/quarkus-run.jar" target/bench.classpath \
         target/test-classes/io/nativesidecar/bench/AdmissionPathBenchmark.class; do
  [[ -f $f ]] || { echo "$f missing: run without BENCH_SKIP_BUILD" >&2; exit 1; }
done

out="bench/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out/tls"
bench_cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
bench_main=io.nativesidecar.bench.AdmissionPathBenchmark
java -cp "$bench_cp" "$bench_main" --write-reviews "$out" 2>&1 | tee "$out/reviews.txt" >&2
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$out/tls/tls.key" -out "$out/tls/tls.crt" 2>/dev/null
cert_args=("-Dnativesidecar.tls.cert-file=$out/tls/tls.crt" "-Dnativesidecar.tls.key-file=$out/tls/tls.key")
clk_tck=$(getconf CLK_TCK)

# --- the processes this script started: stopped on exit, by their ids ------------------------------------
declare -A pid=() https_port=() mgmt_port=() sampler=()
cleanup() {
  local p
  for p in "${sampler[@]}" "${pid[@]}"; do
    kill -KILL "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT

# A free loopback port: one nobody answers on (bounded tries).
free_port() {
  local port i
  for ((i = 0; i < 200; i++)); do
    port=$((20000 + RANDOM % 40000))
    if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
      echo "$port"; return 0
    fi
    exec 3<&-
  done
  echo "no free port found" >&2; return 1
}

# 0 when GET /q/health/ready on the management port answers 200 (plain HTTP from bash itself: no fork per poll).
ready() {
  local status=
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /q/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 2>/dev/null || true
  read -r -t 2 status <&3 2>/dev/null || true
  exec 3<&-
  [[ $status == "HTTP/1."?" 200"* ]]
}

# start_server SERVER CERT(files|self-signed): starts it and waits until ready; sets pid, https_port and
# mgmt_port for SERVER, and ready_ms (process start -> ready).
start_server() {
  local server=$1 cert=$2 t0 t1 i
  https_port[$server]=$(free_port)
  mgmt_port[$server]=$(free_port)
  local side
  read -ra side <<< "${side_opts[$server]}"
  local args=("${heap_opts[@]}" "${extra_java[@]}" "${side[@]}"
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$(free_port)" -Dquarkus.http.ssl-port="${https_port[$server]}"
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="${mgmt_port[$server]}")
  [[ $cert == files ]] && args+=("${cert_args[@]}")
  [[ $server == baseline && -z "${BASELINE_REF:-}" ]] && args+=(-Dquarkus.rest.input-buffer-size=6M)
  t0=$EPOCHREALTIME
  "${java_bin[$server]}" "${args[@]}" -jar "${app[$server]}/quarkus-run.jar" >>"$out/server-$server.log" 2>&1 &
  pid[$server]=$!
  for ((i = 0; i < 3000; i++)); do   # 30 s at most
    if ready "${mgmt_port[$server]}"; then
      t1=$EPOCHREALTIME
      ready_ms=$(( (10#${t1//[.,]/} - 10#${t0//[.,]/}) / 1000 ))   # EPOCHREALTIME is s.us
      # The first review right after ready, on a fresh connection (handshake included), as an API server's.
      first_ms=$(curl -sk --max-time 30 -o /dev/null -w '%{time_total}' -H 'Content-Type: application/json' \
        --data-binary "@$out/hello.review.json" "https://127.0.0.1:${https_port[$server]}${path[$server]}" \
        | awk '{printf "%d", $1 * 1000}')
      return 0
    fi
    kill -0 "${pid[$server]}" 2>/dev/null || { echo "$server exited during start-up: $out/server-$server.log" >&2; exit 1; }
    sleep 0.01
  done
  echo "$server not ready after 30 s: $out/server-$server.log" >&2; exit 1
}

# SIGTERM, then wait for the exit (the shutdown delay is 3 s); SIGKILL after 25 s.
stop_server() {
  local server=$1 i
  kill -TERM "${pid[$server]}" 2>/dev/null || true
  for ((i = 0; i < 250; i++)); do
    kill -0 "${pid[$server]}" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "${pid[$server]}" 2>/dev/null || true
  wait "${pid[$server]}" 2>/dev/null || true
  unset "pid[$server]"
}

load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
# CPU ticks used so far by a process (utime + stime), and by the whole machine (busy, all CPUs).
proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
machine_busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }

# --- 1. start-up to ready ---------------------------------------------------------------------------------
printf 'server\tcert\tstart\tready_ms\tfirst_ms\n' > "$out/startup.tsv"
echo "== start-up to ready: $STARTS starts per jar and certificate mode; load average $(load_avg)" >&2
for ((s = 1; s <= STARTS; s++)); do
  for cert in files self-signed; do
    for server in ours baseline; do
      start_server "$server" "$cert"
      printf '%s\t%s\t%d\t%d\t%d\n' "$server" "$cert" "$s" "$ready_ms" "$first_ms" >> "$out/startup.tsv"
      echo "   $server ($cert) start $s: ${ready_ms} ms, then the first review ${first_ms} ms" >&2
      stop_server "$server"
    done
  done
done

# --- 2. load ----------------------------------------------------------------------------------------------
echo "== load: starting both servers; load average $(load_avg)" >&2
for server in ours baseline; do
  start_server "$server" files
  echo "   $server ready in ${ready_ms} ms: POST https://127.0.0.1:${https_port[$server]}${path[$server]}" >&2
  # RSS every 200 ms while the server runs (bounded: 30 minutes).
  (
    for ((i = 0; i < 9000; i++)); do
      rss=$(ps -o rss= -p "${pid[$server]}") || break
      echo "$(date +%s%N) $((rss + 0))"
      sleep 0.2
    done
  ) > "$out/rss-$server.tsv" 2>/dev/null &
  sampler[$server]=$!
  url="https://127.0.0.1:${https_port[$server]}${path[$server]}"
  for pod in hello big; do
    code=$(curl -sk --max-time 30 -o "$out/answer-$server-$pod.json" -w '%{http_code}' \
      -H 'Content-Type: application/json' --data-binary "@$out/$pod.review.json" "$url")
    [[ $code == 200 ]] || { echo "$server answered the $pod review with $code" >&2; exit 1; }
  done
  # The production jar must not serve the baseline; the baseline jar must.
  code=$(curl -sk --max-time 30 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "@$out/hello.review.json" "https://127.0.0.1:${https_port[$server]}/framework/mutate")
  want=404; [[ $server == baseline && -z "${BASELINE_REF:-}" ]] && want=200
  [[ $code == "$want" ]] || { echo "$server: POST /framework/mutate answered $code, want $want" >&2; exit 1; }
done
for pod in hello big; do   # exits (set -e, pipefail) unless both patches give the same pod
  java -cp "$bench_cp" "$bench_main" --check-answers "$out/$pod.review.json" \
    "$out/answer-ours-$pod.json" "$out/answer-baseline-$pod.json" 2>&1 | tee -a "$out/answers.txt" >&2
done

printf 'round\tserver\tphase\tconnections\telapsed_ns\tserver_ticks\twrk_cpu_s\tmachine_busy_ticks\trss_max_kib\tresult\n' \
  > "$out/results.tsv"
# run_wrk ROUND SERVER PHASE POD CONNECTIONS DURATION: one wrk run; its RESULT line, CPU use and RSS maximum
# go to results.tsv.
run_wrk() {
  local round=$1 server=$2 phase=$3 pod=$4 conns=$5 duration=$6 log t0 t1 p0 p1 m0 m1 result rss wrk_cpu
  local url="https://127.0.0.1:${https_port[$server]}${path[$server]}"
  log="$out/wrk-$server-$phase-r$round.txt"
  echo "   round $round $server $phase: wrk -t1 -c$conns -d$duration ($pod review); load average $(load_avg)" >&2
  t0=$(date +%s%N); p0=$(proc_ticks "${pid[$server]}"); m0=$(machine_busy_ticks)
  local TIMEFORMAT='%3U %3S'
  { time BODY="$out/$pod.review.json" wrk -t1 -c"$conns" -d"$duration" --timeout 10s --latency \
      -s bench/wrk-post.lua "$url" > "$log" 2>&1; } 2> "$log.cpu"
  t1=$(date +%s%N); p1=$(proc_ticks "${pid[$server]}"); m1=$(machine_busy_ticks)
  result=$(grep '^RESULT ' "$log" | tail -1 | cut -d' ' -f2-)
  [[ -n $result ]] || { echo "wrk gave no result: $log" >&2; exit 1; }
  wrk_cpu=$(awk '{print $1 + $2}' "$log.cpu")
  rss=$(awk -v a="$t0" -v b="$t1" '$1 >= a && $1 <= b && $2 > m {m = $2} END {print m + 0}' "$out/rss-$server.tsv")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$server" "$phase" "$conns" \
    "$((t1 - t0))" "$((p1 - p0))" "$wrk_cpu" "$((m1 - m0))" "$rss" "$result" >> "$out/results.tsv"
}

# run_phase PHASE POD CONNECTIONS DURATION ROUNDS: both servers in turn, ROUNDS times, alternating the order.
run_phase() {
  local phase=$1 pod=$2 conns=$3 duration=$4 rounds=$5 r server
  for ((r = 1; r <= rounds; r++)); do
    local order=(ours baseline)
    (( r % 2 == 0 )) && order=(baseline ours)
    for server in "${order[@]}"; do
      run_wrk "$r" "$server" "$phase" "$pod" "$conns" "$duration"
    done
  done
}

run_phase warm-up hello 16 "$WARMUP" 1
run_phase hello hello 16 "$DURATION" "$ROUNDS"
run_phase big-wu big 16 "$BIG_WARMUP" 1
run_phase big big 16 "$DURATION" "$ROUNDS"
run_phase big-c1 big 1 "$DURATION" "$ROUNDS"

for server in ours baseline; do
  curl -s --max-time 10 "http://127.0.0.1:${mgmt_port[$server]}/q/metrics" > "$out/metrics-$server.txt" || true
  kill "${sampler[$server]}" 2>/dev/null || true
  wait "${sampler[$server]}" 2>/dev/null || true
  unset "sampler[$server]"
  stop_server "$server"
done

# --- summary ----------------------------------------------------------------------------------------------
BASELINE_DESC=${BASELINE_REF:+"the production jar of $BASELINE_REF ($(git rev-parse --short "$BASELINE_REF")), POST /mutate;"} python3 - "$out" "$STARTS" "$ROUNDS" "$DURATION" "$WARMUP" "$BIG_WARMUP" "$clk_tck" <<'EOF' | tee "$out/summary.txt"
import csv, os, statistics, subprocess, sys, time
out, starts, rounds, duration, warmup, big_warmup, clk_tck = sys.argv[1:8]
clk_tck = int(clk_tck)
SERVERS = ("ours", "baseline")

def med(values):
    return statistics.median(values) if values else float("nan")

startup, first = {}, {}
with open(f"{out}/startup.tsv") as f:
    for row in csv.DictReader(f, delimiter="\t"):
        startup.setdefault((row["server"], row["cert"]), []).append(int(row["ready_ms"]))
        first.setdefault((row["server"], row["cert"]), []).append(int(row["first_ms"]))

runs = {}   # (server, phase) -> [row per round]
with open(f"{out}/results.tsv") as f:
    for row in csv.DictReader(f, delimiter="\t"):
        v = {k: float(x) for k, x in (kv.split("=") for kv in row.pop("result").split())}
        v["elapsed_s"] = int(row["elapsed_ns"]) / 1e9
        v["server_cpu_s"] = int(row["server_ticks"]) / clk_tck
        v["machine_busy_s"] = int(row["machine_busy_ticks"]) / clk_tck
        v["wrk_cpu_s"] = float(row["wrk_cpu_s"])
        v["rss_max_kib"] = int(row["rss_max_kib"])
        v["round"] = int(row["round"])
        v["rps"] = v["requests"] / (v["duration_us"] / 1e6)
        v["errors"] = sum(v[k] for k in ("status_errors", "connect_errors", "read_errors", "write_errors", "timeouts"))
        v["server_cores"] = v["server_cpu_s"] / v["elapsed_s"]
        v["req_per_cpu_s"] = v["requests"] / v["server_cpu_s"] if v["server_cpu_s"] else float("nan")
        v["other_cores"] = max(0.0, v["machine_busy_s"] - v["server_cpu_s"] - v["wrk_cpu_s"]) / v["elapsed_s"]
        runs.setdefault((row["server"], row["phase"]), []).append(v)

def m(server, phase, key):
    return med([r[key] for r in runs.get((server, phase), [])])

def rss_over_load(server):
    """The largest RSS sample of the server started for the load part (from its start to its stop)."""
    with open(f"{out}/rss-{server}.tsv") as f:
        return max((int(line.split()[1]) for line in f if line.strip()), default=0)

java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
print(f"Server benchmark {time.strftime('%Y-%m-%d %H:%M %Z')}: {os.cpu_count()} CPUs, {java}")
print("ours = target/quarkus-app, POST /mutate; baseline = " + (os.environ["BASELINE_DESC"] if os.environ.get("BASELINE_DESC")
      else "target/framework-baseline/quarkus-app, POST /framework/mutate;"))
print(f"each: java {os.environ.get('HEAP_OPTS') or '-Xmx256m'} -jar quarkus-run.jar, HTTPS (TLS 1.3) on 127.0.0.1; "
      f"ours {os.environ.get('OURS_JAVA_HOME') or 'java'} {os.environ.get('OURS_JAVA_OPTS', '')}; "
      f"baseline java {os.environ.get('BASELINE_JAVA_OPTS', '')}")
print()
print(f"Start-up to ready (process start -> first 200 from /q/health/ready; ms, median [min-max] of {starts}):")
for cert, label in (("files", "certificate files"), ("self-signed", "self-signed, generated")):
    o, b = startup[("ours", cert)], startup[("baseline", cert)]
    print(f"  {label:23} ours {med(o):5.0f} [{min(o)}-{max(o)}]   baseline {med(b):5.0f} [{min(b)}-{max(b)}]"
          f"   ours/baseline {med(o) / med(b):.2f}")
print("The first review after ready (hello, a fresh connection; ms, median [min-max]):")
for cert, label in (("files", "certificate files"), ("self-signed", "self-signed, generated")):
    o, b = first[("ours", cert)], first[("baseline", cert)]
    print(f"  {label:23} ours {med(o):5.0f} [{min(o)}-{max(o)}]   baseline {med(b):5.0f} [{min(b)}-{max(b)}]")
print()
print(f"Load: wrk -t1 --latency, HTTPS keep-alive, {duration} per server and round, servers taking turns; "
      f"after {warmup} (hello) and {big_warmup} (big) warm-ups; medians over {rounds} round(s).")
print("  cores: CPU used during the phase by the server / by everything else but wrk (noise); req/CPU-s: requests per")
print("  CPU-second of the server.")
print(f"  {'phase':7}{'conns':>6} {'server':9}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'p99.9':>8}{'max ms':>8}"
      f"{'errors':>7}{'RSS MiB':>8}{'cores':>6}{'other':>6}{'req/CPU-s':>10}")
for phase, conns in (("hello", 16), ("big", 16), ("big-c1", 1)):
    for s in SERVERS:
        a = lambda k: m(s, phase, k)
        print(f"  {phase:7}{conns:>6} {s:9}{a('rps'):8,.0f}{a('p50_us') / 1e3:8.2f}{a('p99_us') / 1e3:8.2f}"
              f"{a('p999_us') / 1e3:8.2f}{a('max_us') / 1e3:8.1f}{a('errors'):7.0f}{a('rss_max_kib') / 1024:8.0f}"
              f"{a('server_cores'):6.2f}{a('other_cores'):6.2f}{a('req_per_cpu_s'):10,.0f}")
print()
print("Per round (req/s, p99 ms; ratio ours/baseline of the same round):")
for phase in ("hello", "big", "big-c1"):
    for o, b in zip(runs[("ours", phase)], runs[("baseline", phase)]):
        print(f"  {phase:7} round {o['round']}: ours {o['rps']:8,.0f} req/s p99 {o['p99_us'] / 1e3:7.2f}   "
              f"baseline {b['rps']:8,.0f} req/s p99 {b['p99_us'] / 1e3:7.2f}   "
              f"req/s {o['rps'] / b['rps']:5.2f}x  p99 {o['p99_us'] / b['p99_us']:5.2f}  "
              f"(other load {o['other_cores']:.2f} / {b['other_cores']:.2f} cores)")
rss = {s: rss_over_load(s) for s in SERVERS}
print()
print("Ratios ours/baseline of the medians (req/s and req/CPU-s: >1 = ours better; latency, RSS: <1 = ours better):")
for phase in ("hello", "big", "big-c1"):
    r = lambda k: m("ours", phase, k) / m("baseline", phase, k)
    print(f"  {phase:7} req/s {r('rps'):5.2f}x  req/CPU-s {r('req_per_cpu_s'):5.2f}x  p50 {r('p50_us'):5.2f}  "
          f"p99 {r('p99_us'):5.2f}  p99.9 {r('p999_us'):5.2f}  RSS max {r('rss_max_kib'):5.2f}")
o_files, b_files = med(startup[("ours", "files")]), med(startup[("baseline", "files")])
o_self = med(startup[("ours", "self-signed")])
print(f"  start-up (certificate files) {o_files / b_files:.2f}; RSS max over the load part: ours {rss['ours'] / 1024:.0f} MiB, "
      f"baseline {rss['baseline'] / 1024:.0f} MiB, {rss['ours'] / rss['baseline']:.2f}")
print()
ok = lambda c: "holds" if c else "MISSED"
t1_rps = m("ours", "hello", "rps") / m("baseline", "hello", "rps")
t1_p99 = m("ours", "hello", "p99_us") / m("baseline", "hello", "p99_us")
big1, big16 = m("ours", "big-c1", "p99_us") / 1e3, m("ours", "big", "p99_us") / 1e3
print("Targets, server side:")
print(f"  T1 hello: throughput >= 2x baseline and p99 no worse: {t1_rps:.2f}x, p99 ratio {t1_p99:.2f} -> {ok(t1_rps >= 2 and t1_p99 <= 1)}")
print(f"  T2 ~1 MiB review p99 <= 50 ms: one at a time {big1:.1f} ms -> {ok(big1 <= 50)}; "
      f"16 in flight {big16:.1f} ms -> {ok(big16 <= 50)}")
print(f"  T3 start-up to ready <= 1.5 s: certificate files {o_files:.0f} ms -> {ok(o_files <= 1500)}; "
      f"self-signed {o_self:.0f} ms -> {ok(o_self <= 1500)}")
hello_rss = max(r["rss_max_kib"] for phase in ("warm-up", "hello") for r in runs[("ours", phase)])
print(f"  T4 RSS under load <= 256 MiB with -Xmx256m, the hello load (largest sample over its warm-up and rounds): "
      f"{hello_rss / 1024:.0f} MiB -> {ok(hello_rss <= 256 * 1024)}; with 1 MiB reviews afterwards (not the target's "
      f"load): {rss['ours'] / 1024:.0f} MiB")
EOF
echo "results: $out" >&2
