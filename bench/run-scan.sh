#!/usr/bin/env bash
# scan benchmark: the packaged jar's `scan -A -o json` against a stand-in API server holding a large cluster
# (default 50,000 pods), with the heap the issue allows (-Xmx256m), beside baselines that only read the same
# pods (PodListBaseline), in the same run.
#
# The stand-in (bench/src/io/nativesidecar/scan/ScanBenchCluster.java) serves HTTPS on loopback and pages as
# the API server does (limit/continue); see its javadoc for the cluster's shape. Each measured run is a fresh
# JVM, KUBECONFIG naming the stand-in:
#   scan-256m    java -Xmx256m -Xlog:gc -jar target/quarkus-app/quarkus-run.jar scan -A -o json (the issue's cap)
#   scan-128m    the same with half that heap: the margin
#   paged-256m   PodListBaseline paged: the same pages read through the same client, nothing judged: the floor
#                under scan's time (the time ratio scan/paged is what judging costs)
#   unpaged-2g   PodListBaseline unpaged, round 1 only: every pod in one list, as a tool that does not page
#                reads them, with eight times scan's heap (it does not fit: the reason scan pages)
# ROUNDS rounds (default 3), scan and baseline alternating who goes first. Reported per run: exit status, wall
# seconds and max RSS (/usr/bin/time), the number of GC pauses and their total milliseconds (-Xlog:gc). Heap
# occupancy at a G1 pause is not reported: G1 fills whatever -Xmx allows before it collects the old
# generation, so it says more about -Xmx than about the scan; the heap a run fits in (it exits 0, not with
# an OutOfMemoryError or a timeout) is what is shown. summary.txt has the medians and the ratios
# scan/paged-256m.
#
# Usage: bench/run-scan.sh
#   PODS=50000            pods in the stand-in cluster
#   ROUNDS=3
#   RUN_TIMEOUT=180       seconds a run may take; then it is stopped and its exit is 124 (a JVM short of heap
#                         can spend minutes collecting before it throws OutOfMemoryError)
#   MAVEN_ARGS=-o         builds offline (Maven reads MAVEN_ARGS)
#   BENCH_SKIP_BUILD=1    reuses target/ (needs target/quarkus-app and the bench profile's test classes)
# Output: bench/results/scan-<timestamp>/ {cluster.txt, runs.txt, summary.txt, scan.json, gc-*.log, stderr-*}
set -euo pipefail

cd "$(dirname "$0")/.."
PODS="${PODS:-50000}"
ROUNDS="${ROUNDS:-3}"
RUN_TIMEOUT="${RUN_TIMEOUT:-180}"

if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -B -q -Pbench -DskipTests package
fi
[[ -f target/quarkus-app/quarkus-run.jar && -f target/bench.classpath \
   && -f target/test-classes/io/nativesidecar/scan/ScanBenchCluster.class ]] || {
  echo "not built: run without BENCH_SKIP_BUILD" >&2; exit 1; }

out="bench/results/scan-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"

mkfifo "$out/stand-in.stdin"
java -Xmx1g -cp "$cp" io.nativesidecar.scan.ScanBenchCluster "$PODS" "$out" < "$out/stand-in.stdin" > "$out/stand-in.log" 2>&1 &
stand_in=$!
exec 3> "$out/stand-in.stdin"
trap 'exec 3>&-; wait "$stand_in" 2>/dev/null || true; rm -f "$out/stand-in.stdin"' EXIT
for _ in $(seq 600); do
  [[ -f "$out/ready" ]] && break
  kill -0 "$stand_in" 2>/dev/null || { cat "$out/stand-in.log" >&2; exit 1; }
  sleep 0.1
done
[[ -f "$out/ready" ]] || { echo "the stand-in did not start" >&2; exit 1; }
export KUBECONFIG="$out/kubeconfig"
cat "$out/cluster.txt" >&2

# run NAME HEAP ROUND COMMAND...: one measured run, appended to runs.txt as
#   name round exit seconds maxRssMiB gcs gcMillis
run() {
  local name=$1 heap=$2 round=$3; shift 3
  local gc="$out/gc-$name-$round.log" stdout="$out/stdout-$name"
  local status=0
  /usr/bin/time -f '%e %M' -o "$out/time" timeout -k 5 "$RUN_TIMEOUT" java "-Xmx$heap" "-Xlog:gc:file=$gc" "$@" > "$stdout" 2> "$out/stderr-$name" || status=$?
  read -r seconds rss_kib < <(tail -1 "$out/time")
  local gcs pauses
  gcs=$(grep -c 'Pause' "$gc" || true)
  pauses=$(grep 'Pause' "$gc" | grep -oE '[0-9.]+ms$' | tr -d ms | awk '{t += $1} END {printf "%d", t}')
  printf '%-14s %s %4s %8s %8d %5s %8s\n' "$name" "$round" "$status" "$seconds" "$((rss_kib / 1024))" "$gcs" "${pauses:-0}" \
    | tee -a "$out/runs.txt" >&2
}

printf '%-14s %s %4s %8s %8s %5s %8s\n' run round exit seconds rssMiB gcs gcMillis | tee "$out/runs.txt" >&2
for round in $(seq "$ROUNDS"); do
  scan() {
    run scan-256m 256m "$round" -jar target/quarkus-app/quarkus-run.jar scan -A -o json
    cp "$out/stdout-scan-256m" "$out/scan.json"
    run scan-128m 128m "$round" -jar target/quarkus-app/quarkus-run.jar scan -A -o json
    cmp -s "$out/stdout-scan-128m" "$out/scan.json" || echo "scan-128m: a different report" >&2
  }
  unpaged() {
    run paged-256m 256m "$round" -cp "$cp" io.nativesidecar.scan.PodListBaseline paged
    if (( round == 1 )); then
      run unpaged-2g 2g "$round" -cp "$cp" io.nativesidecar.scan.PodListBaseline unpaged
    fi
  }
  if (( round % 2 )); then scan; unpaged; else unpaged; scan; fi
done

python3 - "$out" <<'PY' | tee "$out/summary.txt"
import statistics, sys
out = sys.argv[1]
rows = [l.split() for l in open(f"{out}/runs.txt").read().splitlines()[1:]]
runs = {}
for name, _round, status, seconds, rss, gcs, pauses in rows:
    runs.setdefault(name, []).append((int(status), float(seconds), int(rss), int(gcs), int(pauses)))
def med(name, i):
    return statistics.median(r[i] for r in runs[name])
print(open(f"{out}/cluster.txt").read().strip())
for name in runs:
    exits = sorted({r[0] for r in runs[name]})
    print(f"{name:14} exit {exits}  median {med(name, 1):6.2f} s  rss {med(name, 2):5.0f} MiB  "
          f"GC pauses {med(name, 3):4.0f} ({med(name, 4):5.0f} ms)")
for scan in ("scan-256m", "scan-128m"):
    if scan in runs and "paged-256m" in runs:
        print(f"{scan} / paged-256m: time {med(scan, 1) / med('paged-256m', 1):.2f}x, rss {med(scan, 2) / med('paged-256m', 2):.2f}x")
PY
