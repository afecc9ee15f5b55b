#!/usr/bin/env bash
# Convert floor: the image's `convert` on a small manifest against the least a convert run does
# (bench/src/.../ConvertFloor: YAML read, the pod template bound to fabric8's model, one container moved, YAML
# written; Jackson, SnakeYAML and fabric8's model on the class path, nothing else), each with its own AOT cache on
# JDK 25, the image's flags for convert (C1 only, -XX:TieredStopAtLevel=1) and -XX:MaxRAM=256m. It answers "how far
# below what the JVM, Jackson and fabric8 need is the convert target?" (bench/README.md, sixth pass).
#   convert   java -XX:AOTCache=cli.aot ... -jar quarkus-run.jar convert -f SAMPLE   (what the image runs)
#   floor     java -XX:AOTCache=floor.aot ... -cp <floor> ConvertFloor SAMPLE        (its cache trained on SAMPLE)
# RUNS runs each, alternating, wall time from fork to exit; and `java -version` with each cache, 3 times. Every run
# has -XX:AOTMode=on, so a cache the JVM cannot use fails the script instead of being timed without it.
#
# Usage: bench/run-convert-floor.sh [APP_DIR] [SAMPLE]
#   APP_DIR   the webhook, packaged with its AOT caches (default target/quarkus-app; build it with
#             JAVA_HOME=<Temurin 25> ./mvnw -B package -Paot -DskipTests)
#   SAMPLE    default examples/job-istio.yaml; a workload with spec.template.spec and at least one container
#   RUNS=8 JAVA25=<java> (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)   MAVEN_ARGS=-o builds offline
# ConvertFloor is built with -Pbench on the default JDK. Needs python3. About 1 minute.
# Output: bench/results/convert-<timestamp>/ {runs.tsv, summary.txt}
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/jmh-build.sh
source bench/image-flags.sh
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
app=${1:-target/quarkus-app} sample=${2:-examples/job-istio.yaml} RUNS=${RUNS:-8}
[[ -x $java25 ]] || { echo "no JDK 25 java at $java25 (set JAVA25)" >&2; exit 1; }
[[ -f $app/cli.aot ]] || { echo "$app/cli.aot missing: build with JAVA_HOME=<Temurin 25> ./mvnw -B package -Paot -DskipTests" >&2; exit 1; }
out="bench/results/convert-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

# The image's flags and its entrypoint's for convert (src/main/docker/Dockerfile.jvm).
flags=("${image_flags[@]}" -XX:TieredStopAtLevel=1)
# -XX:AOTMode=on: a JVM that cannot use its cache fails instead of running without it (and it prints its [aot]
# warnings on stdout, not stderr).
convert=("$java25" -XX:AOTMode=on -XX:AOTCache="$app/cli.aot" "${flags[@]}" -Djava.util.logging.manager=org.jboss.logmanager.LogManager
  -jar "$app/quarkus-run.jar" convert -f "$sample")

jmh_build io/nativesidecar/bench/ConvertFloor.class
# A jar, not the classes directory: an AOT cache takes no non-empty directory on its class path.
jar cf "$out/convert-floor.jar" -C target/test-classes io/nativesidecar/bench/ConvertFloor.class
floor_jars=$(tr ':' '\n' < target/bench.classpath |
  grep -E '/(jackson-(core|databind|annotations|dataformat-yaml)|snakeyaml|kubernetes-model-(core|common))-[0-9]' || true)
[[ $(wc -l <<< "$floor_jars") == 7 ]] || { echo "want 7 jars for ConvertFloor in target/bench.classpath, found: $floor_jars" >&2; exit 1; }
floor_cp="$out/convert-floor.jar:$(paste -sd: <<< "$floor_jars")"
floor=("$java25" -XX:AOTMode=on -XX:AOTCache="$out/floor.aot" "${flags[@]}" -cp "$floor_cp" io.nativesidecar.bench.ConvertFloor "$sample")
"$java25" -XX:AOTCacheOutput="$out/floor.aot" "${flags[@]}" -cp "$floor_cp" io.nativesidecar.bench.ConvertFloor "$sample" \
  > "$out/floor.yaml" 2> "$out/floor-training.log" || { cat "$out/floor-training.log" >&2; exit 1; }
grep -q 'restartPolicy: "\?Always' "$out/floor.yaml" || { echo "ConvertFloor wrote no native sidecar ($out/floor.yaml)" >&2; exit 1; }

run() { # run NAME CMD...: one timed run, a row of runs.tsv; fails on an exit other than 0, on the JVM's [aot]
  local name=$1 t0 ms # warnings, and, but for -version, on anything on stderr
  shift
  t0=$(date +%s%N)
  "$@" > "$out/$name.out" 2> "$out/$name.err" || { cat "$out/$name.err" >&2; exit 1; }
  ms=$((($(date +%s%N) - t0) / 1000000))
  if grep -q '\[aot' "$out/$name.out" "$out/$name.err" || [[ $name != version-* && -s $out/$name.err ]]; then
    echo "$name wrote to stderr:" >&2; cat "$out/$name.err" >&2; exit 1
  fi
  printf '%s\t%d\n' "$name" "$ms" >> "$out/runs.tsv"
}
printf 'run\tms\n' > "$out/runs.tsv"
for ((i = 1; i <= RUNS; i++)); do
  if ((i % 2)); then run convert "${convert[@]}"; run floor "${floor[@]}"
  else run floor "${floor[@]}"; run convert "${convert[@]}"; fi
done
for ((i = 1; i <= 3; i++)); do
  run version-cli.aot "$java25" -XX:AOTMode=on -XX:AOTCache="$app/cli.aot" "${flags[@]}" -cp "$app/quarkus-run.jar" -version
  run version-floor.aot "$java25" -XX:AOTMode=on -XX:AOTCache="$out/floor.aot" "${flags[@]}" -cp "$floor_cp" -version
done

python3 - "$out" "$sample" <<'PY' | tee "$out/summary.txt"
import csv, statistics, sys
out, sample = sys.argv[1:3]
rows = list(csv.DictReader(open(f"{out}/runs.tsv"), delimiter="\t"))
ms = {}
for r in rows: ms.setdefault(r["run"], []).append(int(r["ms"]))
print(f"{sample}, wall ms from fork to exit, median [min-max] (JDK 25, C1 only, each with its own AOT cache):")
for name in ms:
    print(f"  {name:<18}{statistics.median(ms[name]):>7.0f} [{min(ms[name])}-{max(ms[name])}]")
print(f"  convert / floor: {statistics.median(ms['convert']) / statistics.median(ms['floor']):.2f}")
PY
echo "results: $out" >&2
