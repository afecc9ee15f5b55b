#!/usr/bin/env bash
# Jackson's Blackbird module on the review mapper, side by side with the product's plain mapper (issue 12, item 7),
# and where the time of a review goes (JMH 1.37, bench/src/io/nativesidecar/bench/BlackbirdBenchmark.java).
#
# Benchmarks: answer (AdmissionPath.answer, the whole path), read (AdmissionReviewReader.read: bytes -> Pod model),
# decide (PodAdmission.decide: engine + PodPatch bytes), write (AdmissionReviewWriter.write). JMH parameters:
# pod=istio|big (the reviews of bench/run-path.sh), mapper=plain|blackbird (BlackbirdModule registered on
# AdmissionJson.MAPPER first thing in the fork). Every combination runs in a fork of its own.
#
# ROUNDS rounds (4); each round runs each pod with both mappers back to back, plain first in odd rounds and
# blackbird first in even ones (ABBA...), so that the noise of this shared 2-core machine falls on both alike.
# Per round: one fork per combination, BENCH_SETTINGS ('-f 1 -wi 8 -w 3s -i 5 -r 2s'), one thread,
# -Xms256m -Xmx256m, -prof gc.
#
# Usage: bench/run-blackbird.sh [extra JMH arguments]
#   MAVEN_ARGS=-o bench/run-blackbird.sh    builds offline
#   BENCH_SKIP_BUILD=1                      reuses target/ from a previous -Pbench build
#   BENCHES='answer|read'                   the benchmarks to run (default all four)
#   PODS='istio big'  ROUNDS=4
# Output: bench/results/blackbird-<timestamp>/ {round-N-POD.json, round-N-POD.txt, summary.txt}. summary.txt:
# per benchmark and pod, ops/s and B/op of each mapper over all rounds' iterations (mean, 99.9% interval), the
# ratio blackbird/plain with its range, and the ratio per round; then the shares of read, decide and write in the
# time of a plain review (1/ops of each against 1/ops of answer).
set -euo pipefail

cd "$(dirname "$0")/.."

source bench/jmh-build.sh
jmh_build io/nativesidecar/bench/BlackbirdBenchmark.class

out="bench/results/blackbird-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
read -ra settings <<< "${BENCH_SETTINGS:--f 1 -wi 8 -w 3s -i 5 -r 2s}"
benches="${BENCHES:-answer|read|decide|write}"
rounds="${ROUNDS:-4}"

for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then order=plain,blackbird; else order=blackbird,plain; fi
  for pod in ${PODS:-istio big}; do
    echo "== round $r/$rounds, pod=$pod, mapper=$order, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    java -cp "$cp" org.openjdk.jmh.Main "BlackbirdBenchmark\.($benches)\$" "${settings[@]}" -t 1 \
      -jvmArgsAppend "-Xms256m -Xmx256m" -bm thrpt -tu s -prof gc -prof io.nativesidecar.bench.CpuPerOpProfiler -p pod="$pod" -p mapper="$order" \
      -rf json -rff "$out/round-$r-$pod.json" "$@" > "$out/round-$r-$pod.txt"
    grep -E '^BlackbirdBenchmark\.[a-z]+ ' "$out/round-$r-$pod.txt" >&2 || true
  done
done

python3 - "$out" <<'PY' | tee "$out/summary.txt"
import glob, json, math, re, statistics, sys
out = sys.argv[1]
try:
    from scipy.stats import t as student
    def half(xs):
        return student.ppf(0.9995, len(xs) - 1) * statistics.stdev(xs) / math.sqrt(len(xs)) if len(xs) > 1 else float("nan")
except ImportError:  # normal approximation
    def half(xs):
        return 3.29 * statistics.stdev(xs) / math.sqrt(len(xs)) if len(xs) > 1 else float("nan")
METRICS = ("ops", "cpu.worker", "cpu.process", "gc.alloc.rate.norm")
data, per_round = {}, {}
for f in sorted(glob.glob(f"{out}/round-*.json")):
    rnd = int(re.search(r"round-(\d+)-", f).group(1))
    for row in json.load(open(f)):
        key = (row["benchmark"].rsplit(".", 1)[1], row["params"]["pod"], row["params"]["mapper"])
        for m in METRICS:
            src = row["primaryMetric"] if m == "ops" else row.get("secondaryMetrics", {}).get(m)
            if not src:
                continue
            raw = [x for fork in src["rawData"] for x in fork]
            data.setdefault(key + (m,), []).extend(raw)
            per_round.setdefault(key + (m,), {})[rnd] = statistics.mean(raw)

def speedup(bench, pod, m):
    """blackbird against plain, > 1 = blackbird faster (ops/s: bb/plain; ns/op: plain/bb), with the range."""
    a, b = data.get((bench, pod, "plain", m)), data.get((bench, pod, "blackbird", m))
    if not a or not b:
        return None
    ma, mb, ea, eb = statistics.mean(a), statistics.mean(b), half(a), half(b)
    if m == "ops":
        r, lo, hi = mb / ma, (mb - eb) / (ma + ea), (mb + eb) / (ma - ea) if ma > ea else float("inf")
    else:
        r, lo, hi = ma / mb, (ma - ea) / (mb + eb), (ma + ea) / (mb - eb) if mb > eb else float("inf")
    pa, pb = per_round[(bench, pod, "plain", m)], per_round[(bench, pod, "blackbird", m)]
    rounds = [(pb[k] / pa[k] if m == "ops" else pa[k] / pb[k]) for k in sorted(pa) if k in pb]
    return ma, ea, mb, eb, r, lo, hi, rounds

print(f"Blackbird side by side, {out}: means over all measured iterations of all rounds, ± 99.9 % (Student t)")
print("speed-up = blackbird against plain, > 1 means blackbird is faster (ops/s: bb/plain; CPU ns/op: plain/bb)")
print(f"{'benchmark':8} {'pod':6} {'metric':11} {'plain':>20} {'blackbird':>20} {'speed-up':>8} {'range':>13}  per round")
keys = sorted({(b, p) for b, p, _, _ in data}, key=lambda k: (k[1] != "istio", k[0]))
for bench, pod in keys:
    for m in ("ops", "cpu.worker", "cpu.process"):
        s = speedup(bench, pod, m)
        if s:
            ma, ea, mb, eb, r, lo, hi, rounds = s
            print(f"{bench:8} {pod:6} {m:11} {ma:>11,.0f} ± {ea:>6,.0f} {mb:>11,.0f} ± {eb:>6,.0f} {r:>8.3f} "
                  f"{lo:>6.3f}-{hi:<6.3f}  " + " ".join(f"{x:.3f}" for x in rounds))
    a, b = data.get((bench, pod, "plain", "gc.alloc.rate.norm")), data.get((bench, pod, "blackbird", "gc.alloc.rate.norm"))
    if a and b:
        print(f"{bench:8} {pod:6} {'B/op':11} {statistics.mean(a):>20,.0f} {statistics.mean(b):>20,.0f} "
              f"{statistics.mean(b) / statistics.mean(a):>8.3f} (blackbird/plain)")
print()
print("Shares of a review (plain mapper; each part's CPU ns/op of the benchmark thread against answer's):")
for pod in ("istio", "big"):
    whole = data.get(("answer", pod, "plain", "cpu.worker"))
    if not whole:
        continue
    t = statistics.mean(whole)
    parts = {b: statistics.mean(data[(b, pod, "plain", "cpu.worker")]) for b in ("read", "decide", "write")
             if (b, pod, "plain", "cpu.worker") in data}
    if not parts:
        continue
    rest = t - sum(parts.values())
    print(f"  {pod:6} answer {t / 1000:,.1f} us = " + ", ".join(f"{b} {v / 1000:,.1f} us ({100 * v / t:.0f} %)"
          for b, v in parts.items()) + f"; rest {rest / 1000:,.1f} us ({100 * rest / t:.0f} %)")
PY
echo "results: $out" >&2
