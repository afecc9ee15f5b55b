# Sourced (from the repository root, under set -euo pipefail) by bench/run-startup-floor.sh and
# bench/run-memory-floor.sh: the two floor apps of bench/startup-floor built and trained, the webhook beside them,
# all on JDK 25 with their own AOT caches and the chart's JVM flags in a container-like JVM.
#   floor_setup OUT_PREFIX [APP_DIR]   checks the JDK and the webhook's cache, makes $out with a fresh certificate
#   floor_train                        builds the two apps and trains each one's cache (ready, 200 reviews, stop)
#   floor_start APP LOG [PROPS...]     starts bare, extensions, ours or ours_nowarm in the background ($server),
#                                      $t0 its start in ns
#   floor_rotate ROUNDS FN APP...      per round, each app in turn (the order rotating from round to round): start
#                                      it, wait until ready, call FN APP ROUND LOG, stop it
#   ready LOG / post / stop / ports_free   see below
# Settings: JAVA25=<java> (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java); MAVEN_ARGS=-o builds offline.

source bench/image-flags.sh
java=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
flags=("${image_flags[@]}" -Djava.util.logging.manager=org.jboss.logmanager.LogManager)
body=src/main/resources/warm-up/review.json
https=24643 management=24690
ports=(-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.ssl-port=$https -Dquarkus.management.host=127.0.0.1
  -Dquarkus.management.port=$management)
deadline=120 # seconds a server gets to be ready, and then to answer a review
server=""
trap '[[ -n $server ]] && kill -KILL "$server" 2>/dev/null || true' EXIT

floor_setup() {
  local ours_dir=${2:-target/quarkus-app}
  [[ -x $java ]] || { echo "no JDK 25 java at $java (set JAVA25)" >&2; exit 1; }
  [[ -f $ours_dir/server.aot ]] || { echo "$ours_dir/server.aot missing: build with JAVA_HOME=<Temurin 25> ./mvnw -B package -Paot -DskipTests" >&2; exit 1; }
  out="bench/results/$1-$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$out/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$out/tls/tls.key" -out "$out/tls/tls.crt" 2>/dev/null
  floor_props=(-Dquarkus.http.ssl.certificate.files="$out/tls/tls.crt" -Dquarkus.http.ssl.certificate.key-files="$out/tls/tls.key")
  ours_props=(-Dnativesidecar.cluster.access=none -Dnativesidecar.tls.cert-file="$out/tls/tls.crt"
    -Dnativesidecar.tls.key-file="$out/tls/tls.key")
  declare -gA jar=([bare]=bench/startup-floor/bare/target/quarkus-app [extensions]=bench/startup-floor/extensions/target/quarkus-app
    [ours]=$ours_dir [ours_nowarm]=$ours_dir)
  declare -gA cache=([bare]=${jar[bare]}/app.aot [extensions]=${jar[extensions]}/app.aot [ours]=$ours_dir/server.aot
    [ours_nowarm]=$ours_dir/server.aot)
}

floor_train() {
  local app dir i
  echo "== building bench/startup-floor with $java" >&2
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$java")")") ./mvnw -B -q -f bench/startup-floor/pom.xml package -DskipTests >&2
  for app in bare extensions; do
    dir=${jar[$app]}
    echo "== training $dir/app.aot (ready, 200 reviews, stop)" >&2
    rm -f "$dir/app.aot"
    ports_free
    "$java" -XX:AOTCacheOutput="$dir/app.aot" "${flags[@]}" "${ports[@]}" "${floor_props[@]}" -jar "$dir/quarkus-run.jar" \
      > "$out/$app-training.log" 2>&1 &
    server=$!
    ready "$out/$app-training.log"
    # Quarkus may report ready before its HTTPS port listens (first_code in run-startup-floor.sh): wait for the port.
    for ((i = 0; i < 500; i++)); do [[ $(post) == 200* ]] && break; sleep 0.01; done
    for ((i = 0; i < 200; i++)); do
      [[ $(post) == 200* ]] || { echo "a training review was not answered 200 ($app)" >&2; exit 1; }
    done
    stop
    [[ -f $dir/app.aot ]] || { echo "no cache written for $app (see $out/$app-training.log)" >&2; exit 1; }
  done
}

floor_start() {
  local app=$1 log=$2 props=("${floor_props[@]}")
  shift 2
  [[ $app == ours* ]] && props=("${ours_props[@]}")
  [[ $app == ours_nowarm ]] && props+=(-Dnativesidecar.admission.warm-up-reviews=0)
  ports_free
  t0=$(date +%s%N)
  "$java" -XX:AOTMode=on -XX:AOTCache="${cache[$app]}" "${flags[@]}" "${ports[@]}" "${props[@]}" "$@" \
    -jar "${jar[$app]}/quarkus-run.jar" > "$log" 2>&1 &
  server=$!
}

floor_rotate() {
  local rounds=$1 fn=$2 r k app log
  shift 2
  local apps=("$@")
  for ((r = 1; r <= rounds; r++)); do
    for ((k = 0; k < ${#apps[@]}; k++)); do
      app=${apps[$(((k + r) % ${#apps[@]}))]}
      log="$out/$app-$r.log"
      floor_start "$app" "$log"
      ready "$log"
      "$fn" "$app" "$r" "$log"
      stop
    done
  done
}

ready() { # waits for readiness of $server; fails if it exits or takes too long
  local until=$((SECONDS + deadline))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$management/q/health/ready") == 200 ]]; do
    kill -0 "$server" 2>/dev/null || { echo "the server exited before ready (see $1)" >&2; return 1; }
    ((SECONDS < until)) || { echo "not ready within ${deadline} s (see $1)" >&2; return 1; }
    sleep 0.01
  done
}
ports_free() { # an old JVM on a port would answer for the new one
  local p
  for p in $https $management; do
    if { exec 3<>"/dev/tcp/127.0.0.1/$p"; } 2>/dev/null; then
      exec 3<&-; echo "port $p is in use: stop what holds it" >&2; return 1
    fi
  done
}
post() { # POSTs $body (or $1) to /mutate: "<status> <seconds>"
  curl -sk --max-time 30 -o /dev/null -w '%{http_code} %{time_total}' -H 'Content-Type: application/json' \
    --data-binary @"${1:-$body}" "https://127.0.0.1:$https/mutate" || true
}
stop() { kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; }
