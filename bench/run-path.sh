#!/usr/bin/env bash
# Admission path benchmark (JMH 1.37): the whole request-to-response path without HTTP, ours against the
# framework default, in one JVM run.
#
# Reviews (JMH parameter "pod"): the AdmissionReview of Istio's "hello" pod (~6 KiB) and of the generated ~1 MiB pod
# (40 containers x 300 env vars), the pods of bench/run-engine.sh; AdmissionPathBenchmark --write-reviews writes them.
# Benchmarks (bench/src/io/nativesidecar/bench/AdmissionPathBenchmark.java):
#   ours       AdmissionPath.answer(bytes): bytes -> the Pod model in one pass -> engine -> PodPatch -> response
#              bytes, with the server's metrics (on a SimpleMeterRegistry)
#   framework  bytes -> fabric8 AdmissionReview (Jackson ObjectMapper, as Quarkus REST binds it) ->
#              kubernetes-webhooks-framework-core AdmissionController.handle with the same engine as Mutator
#              (clone through JSON, mutate, JSON diff) -> the response review serialized to bytes
# Both are checked at setup to answer with patches that give the same pod.
#
# Two JMH passes: one fork, 3 x 2 s warm-up, 5 x 2 s measurement, one thread, -Xms256m -Xmx256m (the server's
# heap). About 4 minutes.
#   1. throughput (ops/s) with -prof gc (gc.alloc.rate.norm = bytes allocated per review)
#   2. sample time (us/op): p50, p99, p99.9, max
#
# Ratios in summary.txt are ours/framework: ops/s > 1 and latency < 1 mean ours is better; the ops/s range
# combines both error bars (JMH 99.9% intervals over the iterations of one fork: within-run noise only).
#
# Usage: bench/run-path.sh [extra JMH arguments, e.g. -p pod=big]
#   MAVEN_ARGS=-o bench/run-path.sh     builds offline
#   BENCH_SKIP_BUILD=1                  reuses target/ from a previous -Pbench build
#   BENCH_SETTINGS='-f 1 -wi 1 -w 1s -i 2 -r 1s'   replaces the fork/iteration settings
# Output: bench/results/path-<timestamp>/ {reviews.txt, thrpt.json, thrpt.txt, sample.json, sample.txt, summary.txt}
set -euo pipefail

cd "$(dirname "$0")/.."

source bench/jmh-build.sh
jmh_build io/nativesidecar/bench/AdmissionPathBenchmark.class

out="bench/results/path-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
read -ra settings <<< "${BENCH_SETTINGS:--f 1 -wi 3 -w 2s -i 5 -r 2s}"
common=("${settings[@]}" -t 1 -jvmArgsAppend "-Xms256m -Xmx256m")
main=io.nativesidecar.bench.AdmissionPathBenchmark   # with other arguments than its own: org.openjdk.jmh.Main

java -cp "$cp" "$main" --write-reviews "$out" 2>&1 | tee "$out/reviews.txt" >&2
echo "== load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/reviews.txt" >&2

echo "== pass 1/2: throughput + gc, results in $out" >&2
java -cp "$cp" "$main" 'AdmissionPathBenchmark\.' "${common[@]}" -bm thrpt -tu s -prof gc \
  -rf json -rff "$out/thrpt.json" "$@" | tee "$out/thrpt.txt"

echo "== pass 2/2: sample time" >&2
java -cp "$cp" "$main" 'AdmissionPathBenchmark\.' "${common[@]}" -bm sample -tu us \
  -rf json -rff "$out/sample.json" "$@" | tee "$out/sample.txt"

if ! command -v python3 >/dev/null; then
  echo "python3 not found: no summary; results in $out" >&2
  exit 0
fi
python3 - "$out" "$(dirname "$0")" <<'EOF' | tee "$out/summary.txt"
import sys, time
out = sys.argv[1]
sys.path.insert(0, sys.argv[2])
from jmh_rows import rows as read_rows, number as f
rows = read_rows(out)

def num(v, fmt):
    return "-" if v is None else format(v, fmt)
print(f"Admission path benchmark {time.strftime('%Y-%m-%d %H:%M %Z')} (JMH, one thread, -Xmx256m)")
print(f"{'pod':6} {'benchmark':10} {'ops/s':>10} {'± 99.9%':>9} {'alloc B/op':>12} {'p50 us':>9} {'p99 us':>9} "
      f"{'p99.9 us':>9} {'max us':>9}")
for (pod, bench), v in sorted(rows.items(), key=lambda kv: (kv[0][0] != "istio", kv[0][1] != "ours")):
    print(f"{pod:6} {bench:10} {num(v.get('ops'), ',.0f'):>10} {num(v.get('err'), ',.0f'):>9} "
          f"{num(v.get('alloc'), ',.0f'):>12} {num(v.get('p50'), ',.1f'):>9} {num(v.get('p99'), ',.1f'):>9} "
          f"{num(v.get('p999'), ',.1f'):>9} {num(v.get('max'), ',.1f'):>9}")
print()
print("Ratios ours/framework (ops/s: >1 = ours faster; latency and allocation: <1 = ours better):")
verdicts = []
for pod in ("istio", "big"):
    a, b = rows.get((pod, "ours")), rows.get((pod, "framework"))
    if not a or not b:
        continue
    line = f"  {pod:6}"
    if a.get("ops") and b.get("ops"):
        ea, eb = a.get("err") or 0.0, b.get("err") or 0.0
        line += f" ops/s {a['ops'] / b['ops']:.2f}x"
        if a["ops"] > ea and b["ops"] > eb:
            line += f" (range {(a['ops'] - ea) / (b['ops'] + eb):.2f}x-{(a['ops'] + ea) / (b['ops'] - eb):.2f}x)"
    for k, label in (("p50", "p50"), ("p99", "p99"), ("p999", "p99.9")):
        if a.get(k) and b.get(k):
            line += f"; {label} {a[k] / b[k]:.2f}"
    if a.get("alloc") and b.get("alloc"):
        line += f"; alloc {a['alloc'] / b['alloc']:.2f}"
    print(line)
    if pod == "istio" and a.get("ops") and b.get("ops") and a.get("p99") and b.get("p99"):
        ok = a["ops"] / b["ops"] >= 2 and a["p99"] <= b["p99"]
        verdicts.append(f"  T1 (in-process) hello: ops/s {a['ops'] / b['ops']:.2f}x, p99 ratio {a['p99'] / b['p99']:.2f}"
                        f" -> {'holds' if ok else 'MISSED'}")
    if pod == "big" and a.get("p99"):
        verdicts.append(f"  T2 (in-process) ~1 MiB review p99 {a['p99'] / 1000:.1f} ms (<= 50 ms)"
                        f" -> {'holds' if a['p99'] <= 50000 else 'MISSED'}")
if verdicts:
    print()
    print("Targets, in-process (no HTTP, no TLS, one review at a time):")
    print("\n".join(verdicts))
EOF
echo "results: $out" >&2
