#!/usr/bin/env bash
# Hello-load rotation: several already-built servers (jars, JVMs, flags) under the hello load only, taking turns
# round by round, so that a shared machine's noise falls on all of them alike. Reports each server's per-round
# ratio to the first one, in requests and in requests per CPU-second of the server. Answers questions that
# bench/run-server.sh (two builds, start-up and three loads) is too slow and too coarse for, e.g. "does the AOT
# cache cost throughput?" (bench/README.md, fourth pass: it does, on JDK 25.0.3).
#
# Usage: bench/run-hello-rotation.sh NAME=APP_DIR [NAME=APP_DIR ...]
#   APP_DIR      a packaged app (its quarkus-run.jar), e.g. target/quarkus-app or a worktree's
#   JAVA_<NAME>  that server's java (default: $JAVA, else Temurin 25 if installed, else java)
#   FLAGS_<NAME> that server's JVM flags (default: $FLAGS, else the image's, bench/image-flags.sh); they
#                come after -Dnativesidecar.cluster.access=none and the certificate files, and may override them
#   ROUNDS=5 DURATION=12s   rounds, and wrk's time per server and round (after one 10 s warm-up each)
#   BODY=<file>  the review to POST (default: src/main/resources/warm-up/review.json, the Istio "hello" pod)
# e.g. the same jar with and without its AOT cache (-XX:AOTMode=on: a JVM that cannot use the cache refuses to
# start, rather than silently running without it):
#   F=$(bash -c 'source bench/image-flags.sh; echo "${image_flags[*]}"')
#   FLAGS_nocache="$F" FLAGS_cache="$F -XX:AOTMode=on -XX:AOTCache=target/quarkus-app/server.aot" \
#     bench/run-hello-rotation.sh nocache=target/quarkus-app cache=target/quarkus-app
# Needs wrk, curl, openssl, python3. Output: bench/results/rotation-<timestamp>/ {rounds.tsv, rss.tsv (each server's
# peak RSS over the whole run), summary.txt, server-*.log}
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/image-flags.sh

jdk25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
default_java=${JAVA:-$([[ -x $jdk25 ]] && echo "$jdk25" || echo java)}
default_flags=${FLAGS:-${image_flags[*]}}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-12s}
body=${BODY:-src/main/resources/warm-up/review.json}
(($# >= 2)) || { echo "usage: $0 NAME=APP_DIR NAME=APP_DIR [...]" >&2; exit 2; }

out="bench/results/rotation-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$out/tls/tls.key" -out "$out/tls/tls.crt" 2>/dev/null

declare -A pid=() port=()
names=()
trap 'for p in "${pid[@]}"; do kill -KILL "$p" 2>/dev/null || true; done' EXIT

free_port() {
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 40000))
    if ! { exec 3<>"/dev/tcp/127.0.0.1/$p"; } 2>/dev/null; then echo "$p"; return 0; fi
    exec 3<&-
  done
  echo "no free port found" >&2; return 1
}

for arg in "$@"; do
  name=${arg%%=*} dir=${arg#*=}
  [[ $name =~ ^[A-Za-z0-9_]+$ && -f $dir/quarkus-run.jar ]] || { echo "bad server $arg (NAME=APP_DIR with quarkus-run.jar)" >&2; exit 2; }
  [[ -z ${pid[$name]:-} ]] || { echo "two servers named $name" >&2; exit 2; }
  names+=("$name")
  java_var=JAVA_$name flags_var=FLAGS_$name
  read -ra flags <<< "${!flags_var:-$default_flags}"
  port[$name]=$(free_port)
  management=$(free_port)
  # The server's flags come last, so that they can override these properties too.
  "${!java_var:-$default_java}" -Dnativesidecar.cluster.access=none \
    -Dnativesidecar.tls.cert-file="$out/tls/tls.crt" -Dnativesidecar.tls.key-file="$out/tls/tls.key" "${flags[@]}" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$(free_port)" -Dquarkus.http.ssl-port="${port[$name]}" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$management" \
    -jar "$dir/quarkus-run.jar" > "$out/server-$name.log" 2>&1 &
  pid[$name]=$!
  for ((i = 0; ; i++)); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$management/q/health/ready") == 200 ]] && break
    kill -0 "${pid[$name]}" 2>/dev/null || { echo "$name exited: $out/server-$name.log" >&2; exit 1; }
    ((i < 600)) || { echo "$name not ready after 60 s: $out/server-$name.log" >&2; exit 1; }
    sleep 0.1
  done
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# run NAME DURATION: one wrk run on that server; prints "requests cpu_ticks p99_us"
run() {
  local before after result
  before=$(cpu_ticks "${pid[$1]}")
  result=$(BODY=$body wrk -t1 -c16 -d"$2" --timeout 10s -s bench/wrk-post.lua "https://127.0.0.1:${port[$1]}/mutate" | grep '^RESULT')
  after=$(cpu_ticks "${pid[$1]}")
  [[ $result == *" status_errors=0 connect_errors=0 read_errors=0 write_errors=0 timeouts=0 "* ]] \
    || { echo "$1: errors: $result" >&2; return 1; }
  echo "$(sed 's/.*requests=\([0-9]*\).*/\1/' <<< "$result") $((after - before)) $(sed 's/.*p99_us=\([0-9]*\).*/\1/' <<< "$result")"
}

for name in "${names[@]}"; do run "$name" 10s > /dev/null || exit 1; done   # warm-up
printf 'round\tserver\trequests\tcpu_ticks\tp99_us\tload\n' > "$out/rounds.tsv"
for ((r = 1; r <= ROUNDS; r++)); do
  for ((j = 0; j < ${#names[@]}; j++)); do
    name=${names[$(( (j + r) % ${#names[@]} ))]}   # the order rotates, so nobody always goes first
    line=$(run "$name" "$DURATION") || exit 1   # run's failure ends the script, not only the $(...) subshell
    read -r requests ticks p99 <<< "$line"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$name" "$requests" "$ticks" "$p99" "$(cut -d' ' -f1 /proc/loadavg)" >> "$out/rounds.tsv"
    echo "   round $r $name: $requests requests, p99 $((p99 / 1000)) ms" >&2
  done
done

printf 'server\tpeak_rss_kib\n' > "$out/rss.tsv"
for name in "${names[@]}"; do   # VmHWM: the process's peak resident set, from its start to now
  printf '%s\t%s\n' "$name" "$(awk '/^VmHWM:/ {print $2}' "/proc/${pid[$name]}/status")" >> "$out/rss.tsv"
done

python3 - "$out/rounds.tsv" "${names[@]}" > "$out/summary.txt" <<'EOF'
import csv, statistics, sys
path, names = sys.argv[1], sys.argv[2:]
rounds = {}
for row in csv.DictReader(open(path), delimiter="\t"):
    rounds.setdefault(row["round"], {})[row["server"]] = (int(row["requests"]), int(row["cpu_ticks"]), int(row["p99_us"]))
base = names[0]
print(f"Hello load, wrk -t1 -c16, {len(rounds)} rounds; ratios to {base} in the same round (median [rounds])")
for name in names[1:]:
    req = [r[name][0] / r[base][0] for r in rounds.values()]
    per_cpu = [(r[name][0] / r[name][1]) / (r[base][0] / r[base][1]) for r in rounds.values()]
    p99 = [r[name][2] / r[base][2] for r in rounds.values()]
    fmt = lambda xs: f"{statistics.median(xs):.2f} [{' '.join(f'{x:.2f}' for x in xs)}]"
    print(f"  {name:14s} req/s {fmt(req)}   req/CPU-s {fmt(per_cpu)}   p99 {fmt(p99)}")
rss = dict(line.split("\t") for line in open(path.replace("rounds.tsv", "rss.tsv")).read().split("\n")[1:] if line)
print("  peak RSS (VmHWM): " + ", ".join(f"{name} {int(rss[name]) // 1024} MiB" for name in names))
EOF
cat "$out/summary.txt"
echo "results: $out" >&2
