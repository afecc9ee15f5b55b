#!/usr/bin/env bash
# The cold cost of Jackson's Blackbird module (issue 12, item 7; bench/README.md): the first AdmissionPath.answer of
# the hello review in a fresh JVM, with the product's mapper (plain) and with BlackbirdModule registered on it
# (bench/src/io/nativesidecar/bench/BlackbirdColdStart.java), RUNS times each, alternating plain/blackbird.
#
# For each JDK in JAVA_HOMES (default: the java on PATH, and /usr/lib/jvm/temurin-25-jdk-amd64 if present) and, on
# JDK 25+, also with an AOT cache trained per mapper by one run of the same main (-XX:AOTCacheOutput, 20 reviews as
# the server's warm-up). The classes are packed into a jar first: the AOT cache takes classes from jars only.
# Each run prints setup / first / second / rest (answers 3-20) in ms; summary.txt has the medians and, for the
# AOT runs, how many classes the first answer loaded from outside the cache (-Xlog:class+load, one extra run).
#
# Usage: MAVEN_ARGS=-o bench/run-blackbird-cold.sh     (BENCH_SKIP_BUILD=1 reuses target/; RUNS=10)
# Output: bench/results/blackbird-cold-<timestamp>/ {runs.tsv, classes-*.log, summary.txt}
set -euo pipefail

cd "$(dirname "$0")/.."

if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -B -q -Pbench -DskipTests test-compile
fi
out="bench/results/blackbird-cold-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out/jar"
jar cf "$out/jar/app.jar" -C target/classes . -C target/test-classes io
cp="$out/jar/app.jar:$(cat target/bench.classpath)"
main=io.nativesidecar.bench.BlackbirdColdStart
java -cp "$cp" io.nativesidecar.bench.AdmissionPathBenchmark --write-reviews "$out" 2>/dev/null
review="$out/hello.review.json"
runs="${RUNS:-10}"
homes="${JAVA_HOMES:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")") $([[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]] && echo /usr/lib/jvm/temurin-25-jdk-amd64)}"

printf 'jdk\tmode\tmapper\trun\tprocess_ms\tsetup\tfirst\tsecond\trest\n' > "$out/runs.tsv"
for home in $homes; do
  feature=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  modes=plain-jvm
  if ((feature >= 25)); then
    modes="plain-jvm aot"
    for mapper in plain blackbird; do
      "$home/bin/java" -XX:AOTCacheOutput="$out/jdk$feature-$mapper.aot" -cp "$cp" "$main" "$mapper" "$review" 20 \
        > "$out/train-jdk$feature-$mapper.log" 2>&1
      "$home/bin/java" -XX:AOTCache="$out/jdk$feature-$mapper.aot" -Xlog:class+load=info -cp "$cp" "$main" "$mapper" "$review" 1 \
        > "$out/classes-jdk$feature-aot-$mapper.log" 2>&1
    done
  fi
  for mode in $modes; do
    for ((i = 1; i <= runs; i++)); do
      if ((i % 2)); then order="plain blackbird"; else order="blackbird plain"; fi
      for mapper in $order; do
        flags=()
        [[ $mode == aot ]] && flags=(-XX:AOTCache="$out/jdk$feature-$mapper.aot")
        t0=$(date +%s%N)
        line=$("$home/bin/java" "${flags[@]}" -cp "$cp" "$main" "$mapper" "$review" 20)
        t1=$(date +%s%N)
        # mapper=plain setup=… first=… second=… rest=… answer_bytes=…
        read -r setup first second rest < <(sed -E 's/.*setup=([0-9.]+) first=([0-9.]+) second=([0-9.]+) rest=([0-9.]+).*/\1 \2 \3 \4/' <<< "$line")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$feature" "$mode" "$mapper" "$i" $(((t1 - t0) / 1000000)) \
          "$setup" "$first" "$second" "$rest" | tee -a "$out/runs.tsv" >&2
      done
    done
  done
  if ((feature >= 25)); then
    for mapper in plain blackbird; do
      "$home/bin/java" -Xlog:class+load=info -cp "$cp" "$main" "$mapper" "$review" 1 > "$out/classes-jdk$feature-jit-$mapper.log" 2>&1
    done
  fi
done

python3 - "$out" <<'PY' | tee "$out/summary.txt"
import csv, glob, os, statistics, sys
out = sys.argv[1]
rows = list(csv.DictReader(open(f"{out}/runs.tsv"), delimiter="\t"))
print(f"Blackbird cold cost, {out}: medians [min-max] in ms over {len(rows)} runs, hello review, fresh JVM each")
print(f"{'jdk':4} {'mode':10} {'mapper':10} {'process':>20} {'setup':>18} {'first answer':>20} {'second':>8} {'answers 3-20':>14}")
groups = {}
for r in rows:
    groups.setdefault((r["jdk"], r["mode"], r["mapper"]), []).append(r)
def col(rs, k):
    xs = [float(r[k]) for r in rs]
    return statistics.median(xs), min(xs), max(xs)
for (jdk, mode, mapper), rs in groups.items():
    cells = []
    for k in ("process_ms", "setup", "first", "second", "rest"):
        m, lo, hi = col(rs, k)
        cells.append(f"{m:,.1f}" + (f" [{lo:,.0f}-{hi:,.0f}]" if k in ("process_ms", "setup", "first") else ""))
    print(f"{jdk:4} {mode:10} {mapper:10} {cells[0]:>20} {cells[1]:>18} {cells[2]:>20} {cells[3]:>8} {cells[4]:>14}")
print()
print("Medians, blackbird - plain (ms): ")
for (jdk, mode, mapper) in groups:
    if mapper != "plain" or (jdk, mode, "blackbird") not in groups:
        continue
    p, b = groups[(jdk, mode, "plain")], groups[(jdk, mode, "blackbird")]
    print(f"  jdk {jdk} {mode:10} process {col(b, 'process_ms')[0] - col(p, 'process_ms')[0]:+,.0f}, "
          f"setup {col(b, 'setup')[0] - col(p, 'setup')[0]:+,.1f}, first answer {col(b, 'first')[0] - col(p, 'first')[0]:+,.1f}, "
          f"answers 3-20 {col(b, 'rest')[0] - col(p, 'rest')[0]:+,.1f}")
print()
print("Classes loaded in a run of one answer (-Xlog:class+load): total / from the AOT cache / hidden (lambdas etc.) not from it")
for f in sorted(glob.glob(f"{out}/classes-*.log")):
    lines = [l for l in open(f) if "[class,load]" in l]
    shared = [l for l in lines if "shared objects file" in l]
    hidden = [l for l in lines if "shared objects file" not in l and ("$$Lambda" in l or "0x" in l.split(" source:")[0])]
    print(f"  {os.path.basename(f):34} {len(lines):6,} / {len(shared):6,} / {len(hidden):5,}")
PY
echo "results: $out" >&2
