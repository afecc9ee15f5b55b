#!/usr/bin/env bash
# Trains the JDK's AOT caches (JEP 483/514, JDK 25) for a packaged app directory built with
# quarkus.package.jar.type=aot-jar, with the JVM flags the app will run with ($JAVA_OPTS: a cache is only
# used by a JVM whose flags match, e.g. -XX:+UseCompactObjectHeaders):
#   server.aot  the server started (no cluster), ready (which includes its warm-up: sample reviews in-process
#               and over HTTPS), then stopped with SIGTERM; the JVM writes the cache as it exits
#   cli.aot     convert --explain on a sample manifest
# Run by the Dockerfile's training stage and by the Maven profile aot (the same JDK that will run the app).
# Usage: train.sh APP_DIR SAMPLE_MANIFEST   (JAVA: the java binary, default java; JAVA_OPTS: the run's flags)
set -euo pipefail
app=$1
sample=$2
java=${JAVA:-java}
read -ra flags <<< "${JAVA_OPTS:-}"
rm -f "$app/server.aot" "$app/cli.aot"

# ready PORT: whether GET /q/health/ready on the plain-HTTP management port answers 200 (bash only: no curl
# in the runtime image).
ready() {
  local status
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /q/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  read -r _ status _ <&3 || true
  exec 3>&-
  [[ $status == 200 ]]
}

management=${TRAIN_MANAGEMENT_PORT:-19000}
"$java" "${flags[@]}" -XX:AOTCacheOutput="$app/server.aot" \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.ssl-port="${TRAIN_HTTPS_PORT:-18443}" \
  -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$management" \
  -Dnativesidecar.cluster.access=none -Dnativesidecar.events.enabled=false \
  -jar "$app/quarkus-run.jar" > "$app/server-training.log" 2>&1 &
server=$!
for _ in $(seq 1200); do   # 120 s at most
  ready "$management" && break
  kill -0 "$server" 2>/dev/null || { cat "$app/server-training.log" >&2; echo "train.sh: the server exited" >&2; exit 1; }
  sleep 0.1
done
ready "$management" || { kill "$server"; echo "train.sh: the server did not get ready" >&2; exit 1; }
kill -TERM "$server"
wait "$server" || true   # exits 143 on SIGTERM after writing the cache
[[ -s $app/server.aot ]] || { cat "$app/server-training.log" >&2; echo "train.sh: no server.aot" >&2; exit 1; }

"$java" "${flags[@]}" -XX:AOTCacheOutput="$app/cli.aot" -jar "$app/quarkus-run.jar" convert --explain -f "$sample" > /dev/null \
  2> "$app/cli-training.log"
[[ -s $app/cli.aot ]] || { cat "$app/cli-training.log" >&2; echo "train.sh: no cli.aot" >&2; exit 1; }
echo "train.sh: $(du -h "$app/server.aot" | cut -f1) server.aot, $(du -h "$app/cli.aot" | cut -f1) cli.aot" >&2
