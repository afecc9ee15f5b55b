#!/usr/bin/env bash
# Memory floor: the peak resident set of two Quarkus apps with none of the webhook's code (bench/startup-floor) and of
# the webhook, under the footprint issue's two loads, each with its own AOT cache on JDK 25 and the chart's JVM flags
# in a container-like JVM (-XX:MaxRAM=256m, so a 77 MiB heap). It answers "how far below what Quarkus itself needs
# is an RSS target?" (bench/README.md, sixth pass). The apps are run-startup-floor.sh's; the floor apps read each
# review into a map and allow it (a small answer: uid and allowed, no patch). Per round, the apps in rotating order,
# one at a time:
#   start, then wait for the first review answered 200
#   hello   wrk -t1 -c16 with the Istio "hello" review: WARMUP unreported, then DURATION
#   big     one ~1 MiB review must be answered 200, then wrk -t1 -c16 with it (16 in flight): DURATION
# After each phase the process's peak RSS so far (VmHWM: start-up and every phase before, no sampling gaps), the
# requests, p99 and whether the JVM still runs (the flags include -XX:+ExitOnOutOfMemoryError). A JVM that has
# exited gets "NA" and no further phase. Not to be run beside run-startup-floor.sh: the same ports and caches.
#
# Usage: bench/run-memory-floor.sh [APP_DIR]
#   APP_DIR   the webhook, packaged with its AOT cache (default target/quarkus-app; build it with
#             JAVA_HOME=<Temurin 25> ./mvnw -B package -Paot -DskipTests)
#   ROUNDS=2 WARMUP=10s DURATION=15s JAVA25=<java> (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   MAVEN_ARGS=-o   builds offline (Maven reads MAVEN_ARGS)
# The review bodies are AdmissionPathBenchmark's (--write-reviews, built with -Pbench on the default JDK).
# Needs wrk, curl, openssl, python3. About 7 minutes with the defaults. Output: bench/results/memory-<timestamp>/
# {phases.tsv, summary.txt, <app>-<round>.log}
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/startup-floor/floor.sh
source bench/jmh-build.sh
ROUNDS=${ROUNDS:-2} WARMUP=${WARMUP:-10s} DURATION=${DURATION:-15s}
command -v wrk > /dev/null || { echo "wrk not found (Debian package wrk)" >&2; exit 1; }
floor_setup memory "${1:-}"
jmh_build io/nativesidecar/bench/AdmissionPathBenchmark.class
java -cp "$cp" io.nativesidecar.bench.AdmissionPathBenchmark --write-reviews "$out" 2>&1 | tee "$out/reviews.txt" >&2
floor_train

load() { # load APP ROUND PHASE BODY DURATION: wrk against $server, then a row of phases.tsv; fails when the JVM
  local result hwm=NA # has exited (after writing its row with alive "no")
  result=$(BODY="$4" wrk -t1 -c16 -d"$5" --timeout 10s -s bench/wrk-post.lua "https://127.0.0.1:$https/mutate" |
    grep '^RESULT') || { echo "wrk gave no result ($1, $3)" >&2; exit 1; }
  # A JVM that has exited has no status file, or (not yet reaped) one without VmHWM.
  hwm=$(awk '/^VmHWM:/ {printf "%d", $2 / 1024}' "/proc/$server/status" 2>/dev/null) || true
  [[ -n $hwm ]] || hwm=NA
  [[ $3 == warm-up && $hwm != NA ]] && return
  # a JVM lost in the warm-up is reported under hello, of which the warm-up is the start
  printf '%s\t%d\t%s\t%s\t%s\t%s\n' "$1" "$2" "${3/warm-up/hello}" "$([[ $hwm == NA ]] && echo no || echo yes)" \
    "$hwm" "$result" >> "$out/phases.tsv"
  echo "   $1 round $2 $3: peak RSS $hwm MiB; $result" >&2
  [[ $hwm != NA ]]
}
phases() { # phases APP ROUND LOG, called once the server is ready; stops at the first phase the JVM does not survive
  local i
  for ((i = 0; i < 500; i++)); do [[ $(post) == 200* ]] && break; sleep 0.01; done
  load "$1" "$2" warm-up "$out/hello.review.json" "$WARMUP" || return 0
  load "$1" "$2" hello "$out/hello.review.json" "$DURATION" || return 0
  [[ $(post "$out/big.review.json") == 200* ]] || { echo "$1 did not answer the ~1 MiB review 200 (see $3)" >&2; exit 1; }
  load "$1" "$2" big "$out/big.review.json" "$DURATION" || return 0
}
printf 'app\tround\tphase\talive\tpeak_rss_mib\twrk\n' > "$out/phases.tsv"
floor_rotate "$ROUNDS" phases bare extensions ours

python3 - "$out" <<'PY' | tee "$out/summary.txt"
import csv, re, statistics, sys
out = sys.argv[1]
rows = list(csv.DictReader(open(f"{out}/phases.tsv"), delimiter="\t"))
def field(row, name):
    m = re.search(rf"\b{name}=(\d+)", row["wrk"]); return int(m.group(1)) if m else 0
print("Peak RSS (VmHWM, MiB) after each phase, median [min-max] over the rounds; requests/s and p99 medians.")
print("JDK 25, each app's AOT cache, the chart's flags, -XX:MaxRAM=256m (77 MiB heap).")
print(f"{'app':<12}{'phase':<7}{'peak RSS':>16}{'req/s':>9}{'p99 ms':>9}{'errors':>8}{'alive':>8}")
for app in ("bare", "extensions", "ours"):
    for phase in ("hello", "big"):
        r = [x for x in rows if x["app"] == app and x["phase"] == phase]
        if not r: continue
        peak = [int(x["peak_rss_mib"]) for x in r if x["peak_rss_mib"] != "NA"]
        rps = statistics.median(field(x, "requests") / max(field(x, "duration_us"), 1) * 1e6 for x in r)
        p99 = statistics.median(field(x, "p99_us") for x in r) / 1000
        errors = sum(field(x, e) for x in r for e in ("status_errors", "connect_errors", "read_errors", "timeouts"))
        alive = sum(x["alive"] == "yes" for x in r)
        peaks = f"{statistics.median(peak):.0f} [{min(peak)}-{max(peak)}]" if peak else "NA"
        print(f"{app:<12}{phase:<7}{peaks:>16}{rps:>9.0f}"
              f"{p99:>9.1f}{errors:>8}{f'{alive} of {len(r)}':>8}")
PY
echo "results: $out" >&2
