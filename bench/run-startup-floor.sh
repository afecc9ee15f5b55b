#!/usr/bin/env bash
# Start-up floor: how long Quarkus apps with none of the webhook's code take to get ready on this machine, side by
# side with the webhook, all on JDK 25 with their own AOT caches and the chart's JVM flags (container-like:
# -XX:MaxRAM=256m -XX:ActiveProcessorCount=1). It answers "how far below what Quarkus itself needs is a target?"
# (bench/README.md, fifth pass). The apps (bench/startup-floor, never part of the product's build):
#   bare         quarkus-rest, quarkus-rest-jackson, quarkus-smallrye-health; POST /mutate reads the body into a map
#                and allows the review (a small answer: uid and allowed, no patch)
#   extensions   bare + quarkus-kubernetes-client + quarkus-micrometer-registry-prometheus: the webhook's extensions
#   ours         the webhook, with its warm-up (the default)
#   ours_nowarm  the webhook with nativesidecar.admission.warm-up-reviews=0
# Ours also carries Bouncy Castle, which Netty's first TLS connection probes for (bench/README.md): the first review's
# time is ours against Quarkus's, not like for like. Readiness is polled with a curl process every 10 ms: on a busy
# 2-CPU machine a poll can lag by 0.1-0.2 s, so differences of that size between apps mean little.
# Each is started STARTS times, in rotating order, HTTPS on certificate files, health on the management port:
#   ready_ms    process start -> the first 200 from GET /q/health/ready, polled every 10 ms
#   first_code  the status of the review POSTed right after ready, on a fresh connection (000: no answer; the
#               servers' logs showed the HTTPS port not yet listening)
#   post_ms     the time of the first POST that answered 200 (retried every 10 ms until one does)
#   ok_ms       process start -> that 200
# and `java -cp <jar> -version` with each app's cache against without one (the JVM and the cache alone), 3 times.
#
# Usage: bench/run-startup-floor.sh [APP_DIR]
#   APP_DIR   the webhook, packaged with its AOT cache (default target/quarkus-app; build it with
#             JAVA_HOME=<Temurin 25> ./mvnw -B package -Paot -DskipTests)
#   JAVA25=<java>   (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)   STARTS=5
#   MAVEN_ARGS=-o   builds the two apps offline (Maven reads MAVEN_ARGS)
# Needs curl, openssl, python3. About 5 minutes. Output: bench/results/floor-<timestamp>/ {starts.tsv, version.tsv,
# summary.txt, <app>-<n>.log}
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/startup-floor/floor.sh
STARTS=${STARTS:-5}
floor_setup floor "${1:-}"
floor_train

printf 'app\tcache\trun\tms\n' > "$out/version.tsv"
for ((s = 1; s <= 3; s++)); do
  for app in bare extensions ours; do
    for mode in cache none; do
      aot=(); [[ $mode == cache ]] && aot=(-XX:AOTMode=on -XX:AOTCache="${cache[$app]}")
      t0=$(date +%s%N)
      "$java" "${aot[@]}" "${flags[@]}" -cp "${jar[$app]}/quarkus-run.jar" -version 2>/dev/null \
        || { echo "java -version failed with ${cache[$app]} ($mode): is the cache this JDK's?" >&2; exit 1; }
      printf '%s\t%s\t%d\t%d\n' "$app" "$mode" "$s" $((($(date +%s%N) - t0) / 1000000)) >> "$out/version.tsv"
    done
  done
done

measure() { # measure APP START LOG, called once the server is ready
  local ready_ms=$((($(date +%s%N) - t0) / 1000000)) answer first_code ok_ms post_ms
  answer=$(post) first_code=${answer%% *}
  until [[ $answer == 200* ]]; do
    kill -0 "$server" 2>/dev/null || { echo "the server exited (see $3)" >&2; exit 1; }
    (($(date +%s%N) - t0 < deadline * 1000000000)) || { echo "no review answered 200 within ${deadline} s (see $3)" >&2; exit 1; }
    sleep 0.01; answer=$(post)
  done
  ok_ms=$((($(date +%s%N) - t0) / 1000000))
  post_ms=$(awk -v t="${answer#* }" 'BEGIN { printf "%d", t * 1000 }')
  printf '%s\t%d\t%d\t%s\t%d\t%d\n' "$1" "$2" "$ready_ms" "$first_code" "$post_ms" "$ok_ms" >> "$out/starts.tsv"
  echo "   $1 start $2: ready ${ready_ms} ms, first POST $first_code, 200 in ${post_ms} ms at ${ok_ms} ms" >&2
}
printf 'app\tstart\tready_ms\tfirst_code\tpost_ms\tok_ms\n' > "$out/starts.tsv"
floor_rotate "$STARTS" measure bare extensions ours ours_nowarm

python3 - "$out" <<'EOF' | tee "$out/summary.txt"
import csv, statistics, sys
out = sys.argv[1]
def med(xs): return f"{statistics.median(xs):,.0f} [{min(xs):,}-{max(xs):,}]"
rows = list(csv.DictReader(open(f"{out}/starts.tsv"), delimiter="\t"))
print("Start-up, median [min-max] ms, each app with its AOT cache (JDK 25, the chart's flags):")
print(f"{'app':<13}{'ready':>22}{'first POST 000':>20}{'POST 200 ms':>20}{'POST 200 at':>22}")
for app in ("bare", "extensions", "ours", "ours_nowarm"):
    r = [x for x in rows if x["app"] == app]
    if not r: continue
    refused = sum(1 for x in r if x["first_code"] == "000")
    print(f"{app:<13}{med([int(x['ready_ms']) for x in r]):>22}{f'{refused} of {len(r)}':>20}"
          f"{med([int(x['post_ms']) for x in r]):>20}{med([int(x['ok_ms']) for x in r]):>22}")
v = list(csv.DictReader(open(f"{out}/version.tsv"), delimiter="\t"))
print("\n`java -cp <jar> -version`, median of 3 (ms): the JVM, and the JVM mapping each cache")
for app in ("bare", "extensions", "ours"):
    c = [int(x["ms"]) for x in v if x["app"] == app and x["cache"] == "cache"]
    n = [int(x["ms"]) for x in v if x["app"] == app and x["cache"] == "none"]
    print(f"{app:<13} with its cache {statistics.median(c):>5.0f}   without {statistics.median(n):>5.0f}")
EOF
echo "results: $out" >&2
