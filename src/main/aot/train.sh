#!/usr/bin/env bash
# Trains the JDK's AOT caches (JEP 483/514, JDK 25) for a packaged app directory built with
# quarkus.package.jar.type=aot-jar, with the JVM flags the app will run with ($JAVA_OPTS: a cache is only
# used by a JVM whose flags match, e.g. -XX:+UseCompactObjectHeaders):
#   server.aot  the server started (no cluster), ready (which includes its warm-up: sample reviews in-process
#               and over HTTPS), then stopped with SIGTERM; the JVM writes the cache as it exits
#   cli.aot     convert --explain on a sample manifest
# Then each cache is used once with -XX:AOTMode=on, which fails when the JVM cannot use it.
# Run by the Dockerfile's training stage and by the Maven profile aot (the same JDK that will run the app).
# Usage: train.sh APP_DIR SAMPLE_MANIFEST   (JAVA: the java binary, default java; JAVA_OPTS: the run's flags)
set -euo pipefail
app=$1
sample=$2
java=${JAVA:-java}
read -ra flags <<< "${JAVA_OPTS:-}"
rm -f "$app/server.aot" "$app/cli.aot"

fail() {
  [[ -f ${2:-} ]] && cat "$2" >&2
  echo "train.sh: $1" >&2
  exit 1
}

# ready PORT: whether GET /q/health/ready on the plain-HTTP management port answers 200 (bash only: no curl
# in the runtime image).
ready() {
  local status=
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /q/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  read -r -t 5 _ status _ <&3 || true
  exec 3>&-
  [[ $status == 200 ]]
}

# A loopback port nobody answers on (so that concurrent builds do not meet).
free_port() {
  local port i
  for ((i = 0; i < 200; i++)); do
    port=$((20000 + RANDOM % 40000))
    if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
      echo "$port"; return 0
    fi
    exec 3>&-
  done
  fail "no free port"
}

https=$(free_port)
management=$(free_port)
server=
trap '[[ -n $server ]] && kill -KILL "$server" 2>/dev/null || true' EXIT
log="$app/server-training.log"
"$java" "${flags[@]}" -XX:AOTCacheOutput="$app/server.aot" \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.ssl-port="$https" \
  -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$management" \
  -Dnativesidecar.cluster.access=none -Dnativesidecar.events.enabled=false \
  -jar "$app/quarkus-run.jar" > "$log" 2>&1 &
server=$!
for _ in $(seq 1200); do   # 120 s at most
  ready "$management" && break
  kill -0 "$server" 2>/dev/null || fail "the server exited" "$log"
  sleep 0.1
done
ready "$management" || fail "the server did not get ready in 120 s" "$log"
kill -TERM "$server"
wait "$server" || true   # exits 143 on SIGTERM after writing the cache
server=
[[ -s $app/server.aot ]] || fail "no server.aot" "$log"

# Trained with C1 and C2, although the image runs convert and print-config on C1 alone: scan uses this cache too,
# and a method trained at tier 1 only would stay at tier 1 in a long scan. The check below runs as convert will.
cli_jit=-XX:TieredStopAtLevel=1
log="$app/cli-training.log"
"$java" "${flags[@]}" -XX:AOTCacheOutput="$app/cli.aot" -jar "$app/quarkus-run.jar" convert --explain -f "$sample" \
  > /dev/null 2> "$log" || fail "convert failed" "$log"
[[ -s $app/cli.aot ]] || fail "no cli.aot" "$log"

# Each cache, used as the container will use it: -XX:AOTMode=on refuses to start without a usable cache, and the
# application's own classes must come from it (a fast-jar's class loader would have kept them out: package
# with quarkus.package.jar.type=aot-jar).
"$java" "${flags[@]}" $cli_jit -XX:AOTMode=on -XX:AOTCache="$app/cli.aot" -Xlog:class+load=info:file="$app/cli-check.log" \
  -jar "$app/quarkus-run.jar" convert -f "$sample" > /dev/null 2> "$log" || fail "cli.aot is not usable" "$log"
grep -q 'io.nativesidecar.Main source: shared objects file' "$app/cli-check.log" \
  || fail "the application's classes are not in the cache: package with -Dquarkus.package.jar.type=aot-jar"
rm -f "$app/cli-check.log"
"$java" "${flags[@]}" -XX:AOTMode=on -XX:AOTCache="$app/server.aot" -cp "$app/quarkus-run.jar" -version \
  > /dev/null 2> "$log" || fail "server.aot is not usable" "$log"
echo "train.sh: $(du -h "$app/server.aot" | cut -f1) server.aot, $(du -h "$app/cli.aot" | cut -f1) cli.aot" >&2
