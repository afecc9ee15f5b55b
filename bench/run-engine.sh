#!/usr/bin/env bash
# Engine benchmark (JMH 1.37): what the conversion engine costs per pod, against a naive baseline.
#
# Pods (JMH parameter "pod"):
#   istio  Istio's injected "hello" pod, src/test/resources/istio-vectors/old-version/native-sidecar.input.yaml (~5 KiB of JSON)
#   big    a generated ~1 MiB pod: 40 containers x 300 env vars; log-shipper and metrics-agent are
#          sidecars by annotation, istio-proxy by default (the JSON sizes are printed first)
# Benchmarks (bench/src/io/nativesidecar/bench/EngineBenchmark.java):
#   convert                    SidecarConverter.convert alone
#   convertPatchBytes          convert + PodPatch + the patch serialized to bytes: the webhook's work
#                              once the AdmissionReview is parsed
#   naiveDeepCopy              baseline: deep copy only, Jackson valueToTree -> treeToValue
#   naiveCopyConvertDiffBytes  baseline pipeline: deep copy, convert the copy, valueToTree the result,
#                              zjsonpatch JsonDiff.asJson(before, after), patch to bytes
# Both pipelines are checked at setup to produce patches that give the same pod.
#
# Two JMH passes, sized for a noisy 2-core machine: one fork, 3 x 2 s warm-up, 5 x 2 s measurement,
# one thread, a fixed 1 GiB heap. About 3 minutes per pass.
#   1. throughput (ops/s, higher is better) with -prof gc (gc.alloc.rate.norm = bytes allocated per op)
#   2. sample time (us/op, lower is better): the latency distribution, p50/p99/max
# Error bars are JMH's 99.9% confidence intervals over the 5 iterations (one fork: within-run noise
# only, not run-to-run variation).
#
# Reading the ratios in summary.txt (per pod; every ratio says "the engine is N times better", >1 = it wins):
#   pipeline  convertPatchBytes vs naiveCopyConvertDiffBytes: the engine's patch path against copy+diff
#             producing the same patch
#   vs copy   convert vs naiveDeepCopy: a whole conversion against merely deep-copying the pod
#   ops/s     throughput of the engine / throughput of the baseline; the range is the worst/best
#             combination of both error bars
#   sample-time mean, p50   baseline latency / engine latency, from pass 2
#   alloc     bytes/op of the baseline / bytes/op of the engine (from -prof gc)
#
# Usage: bench/run-engine.sh [extra JMH arguments, e.g. -p pod=big]
#   MAVEN_ARGS=-o bench/run-engine.sh   builds offline (Maven reads MAVEN_ARGS)
#   BENCH_SKIP_BUILD=1                  reuses target/ from a previous build
#   BENCH_SETTINGS='-f 1 -wi 1 -w 1s -i 2 -r 1s'   replaces the fork/iteration settings (JMH rejects
#                                       repeated options, so they cannot be overridden as arguments)
# Output: bench/results/engine-<timestamp>/ {pods.txt, thrpt.json, thrpt.txt, sample.json, sample.txt, summary.txt}
set -euo pipefail

cd "$(dirname "$0")/.."

source bench/jmh-build.sh
jmh_build META-INF/BenchmarkList

out="bench/results/engine-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
read -ra settings <<< "${BENCH_SETTINGS:--f 1 -wi 3 -w 2s -i 5 -r 2s}"
common=("${settings[@]}" -t 1 -jvmArgsAppend "-Xms1g -Xmx1g")
main=io.nativesidecar.bench.EngineBenchmark   # with arguments other than --pod-sizes: org.openjdk.jmh.Main

java -cp "$cp" "$main" --pod-sizes 2>&1 | tee "$out/pods.txt" >&2

echo "== pass 1/2: throughput + gc, results in $out" >&2
java -cp "$cp" "$main" 'EngineBenchmark\.' "${common[@]}" -bm thrpt -tu s -prof gc \
  -rf json -rff "$out/thrpt.json" "$@" | tee "$out/thrpt.txt"

echo "== pass 2/2: sample time" >&2
java -cp "$cp" "$main" 'EngineBenchmark\.' "${common[@]}" -bm sample -tu us \
  -rf json -rff "$out/sample.json" "$@" | tee "$out/sample.txt"

if ! command -v python3 >/dev/null; then
  echo "python3 not found: no summary; results in $out" >&2
  exit 0
fi
python3 - "$out" "$(dirname "$0")" <<'EOF' | tee "$out/summary.txt"
import sys
out = sys.argv[1]
sys.path.insert(0, sys.argv[2])
from jmh_rows import rows as read_rows, number as f
rows = read_rows(out)

def num(v, fmt):
    return "-" if v is None else format(v, fmt)
print(f"{'pod':6} {'benchmark':26} {'ops/s':>12} {'± 99.9%':>10} {'alloc B/op':>12} {'p50 us':>9} {'p99 us':>9} {'max us':>9}")
for (pod, bench), v in sorted(rows.items()):
    print(f"{pod:6} {bench:26} {num(v.get('ops'), ',.0f'):>12} {num(v.get('err'), ',.0f'):>10} "
          f"{num(v.get('alloc'), ',.0f'):>12} {num(v.get('p50'), ',.1f'):>9} {num(v.get('p99'), ',.1f'):>9} {num(v.get('max'), ',.1f'):>9}")

def ratio(pod, fast, slow, label):
    a, b = rows.get((pod, fast)), rows.get((pod, slow))
    if not a or not b:
        return
    line = f"  {label:9} {fast} vs {slow}:"
    if a.get("ops") and b.get("ops"):
        ea, eb = a.get("err") or 0.0, b.get("err") or 0.0
        line += f" ops/s {a['ops'] / b['ops']:,.1f}x"
        if a["ops"] > ea and b["ops"] > eb:
            line += f" (range {(a['ops'] - ea) / (b['ops'] + eb):,.1f}x - {(a['ops'] + ea) / (b['ops'] - eb):,.1f}x)"
        else:
            line += " (error bars wider than a score: no range)"
    if a.get("mean") and b.get("mean"):
        line += f"; sample-time mean {b['mean'] / a['mean']:,.1f}x, p50 {b['p50'] / a['p50']:,.1f}x"
    if a.get("alloc") and b.get("alloc"):
        line += f"; alloc {b['alloc'] / a['alloc']:,.1f}x less"
    print(line)

print()
print("Ratios (engine faster by; ops/s range from the error bars):")
for pod in sorted({p for p, _ in rows}):
    print(f"pod={pod}")
    ratio(pod, "convertPatchBytes", "naiveCopyConvertDiffBytes", "pipeline")
    ratio(pod, "convert", "naiveDeepCopy", "vs copy")
EOF
echo "results: $out" >&2
