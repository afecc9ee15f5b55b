#!/usr/bin/env bash
# End-to-end checks against a cluster where the chart is installed as release native-sidecar-webhook
# in namespace native-sidecar-webhook (see .github/workflows/e2e.yaml). Needs kubectl pointed at it.
#   1. the webhook answers: a server-side dry run of an opted-in pod comes back converted;
#   2. a pod with an istio-proxy sidecar in a labelled namespace is native and becomes Ready;
#   3. a Job with an annotated sidecar in an unlabelled namespace is native and completes;
#   4. an unannotated pod in an unlabelled namespace is left alone;
#   5. pods created during a rolling restart of the webhook are all created and all converted;
#   6. the metrics endpoint serves the server's metrics.
set -euo pipefail

RELEASE_NAMESPACE=${RELEASE_NAMESPACE:-native-sidecar-webhook}
WEBHOOK=${WEBHOOK:-native-sidecar-webhook}
LABELLED=e2e-labelled
UNLABELLED=e2e-unlabelled
BUSYBOX=busybox:1.36
PAUSE=registry.k8s.io/pause:3.10

step() { echo "=== $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# A pod whose istio-proxy stand-in answers Istio's readiness URL, so the startupProbe the
# conversion adds (httpGet :15021/healthz/ready) passes. $1 name, $2 namespace, $3 image.
pod() {
  local image=${3:-$BUSYBOX}
  cat <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $1
  namespace: $2
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: app
      image: $image
      command: ["sh", "-c", "sleep 3600"]
    - name: istio-proxy
      image: $image
      command: ["sh", "-c", "mkdir -p /tmp/www/healthz && echo ok > /tmp/www/healthz/ready && exec httpd -f -p 15021 -h /tmp/www"]
EOF
}

# The pause image has no shell: the same pod shape, for the many pods of the restart test.
pause_pod() {
  cat <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $1
  namespace: $2
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: app
      image: $PAUSE
    - name: istio-proxy
      image: $PAUSE
EOF
}

# restartPolicy of init container $3 in pod $2 of namespace $1 ("Always" when it is a native sidecar).
restart_policy() {
  kubectl -n "$1" get pod "$2" -o jsonpath="{.spec.initContainers[?(@.name==\"$3\")].restartPolicy}"
}

kubectl create namespace "$LABELLED"
kubectl label namespace "$LABELLED" nativesidecar.io/enabled=true
kubectl create namespace "$UNLABELLED"

step "1. the webhook converts (caBundle in place, server ready)"
converted=""
for _ in $(seq 1 90); do
  converted=$(pod probe "$LABELLED" | kubectl create --dry-run=server -o jsonpath='{.spec.initContainers[*].name}' -f - || true)
  [[ "$converted" == *istio-proxy* ]] && break
  sleep 2
done
[[ "$converted" == *istio-proxy* ]] || fail "a dry-run pod in $LABELLED was not converted within 3 minutes"

step "2. istio-proxy in a labelled namespace"
pod mesh-app "$LABELLED" | kubectl create -f -
[[ "$(restart_policy "$LABELLED" mesh-app istio-proxy)" == "Always" ]] || fail "istio-proxy of mesh-app is not a native sidecar"
[[ "$(kubectl -n "$LABELLED" get pod mesh-app -o jsonpath='{.spec.containers[*].name}')" == "app" ]] \
  || fail "istio-proxy is still a regular container of mesh-app"
kubectl -n "$LABELLED" wait --for=condition=Ready pod/mesh-app --timeout=180s

step "3. a Job with an annotated sidecar in an unlabelled namespace"
kubectl create -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: batch
  namespace: $UNLABELLED
spec:
  backoffLimit: 0
  template:
    metadata:
      annotations:
        nativesidecar.io/enabled: "true"
        nativesidecar.io/sidecars: log-shipper
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 5
      containers:
        - name: main
          image: $BUSYBOX
          command: ["sh", "-c", "echo working; sleep 5; echo done"]
        - name: log-shipper
          image: $BUSYBOX
          command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
EOF
job_pod=""
for _ in $(seq 1 60); do
  job_pod=$(kubectl -n "$UNLABELLED" get pods -l batch.kubernetes.io/job-name=batch -o jsonpath='{.items[0].metadata.name}' 2>/dev/null || true)
  [[ -n "$job_pod" ]] && break
  sleep 1
done
[[ -n "$job_pod" ]] || fail "the Job created no pod"
[[ "$(restart_policy "$UNLABELLED" "$job_pod" log-shipper)" == "Always" ]] || fail "log-shipper of $job_pod is not a native sidecar"
# With a classic sidecar this Job would never complete.
kubectl -n "$UNLABELLED" wait --for=condition=Complete job/batch --timeout=300s

step "4. an unannotated pod in an unlabelled namespace is not sent"
untouched=$(pod plain "$UNLABELLED" | kubectl create --dry-run=server -o jsonpath='{.spec.initContainers[*].name}' -f -)
[[ -z "$untouched" ]] || fail "a pod that did not opt in was converted: $untouched"

step "5. pods created during a rolling restart of the webhook"
kubectl -n "$RELEASE_NAMESPACE" rollout restart deployment/"$WEBHOOK"
kubectl -n "$RELEASE_NAMESPACE" rollout status deployment/"$WEBHOOK" --timeout=300s &
rollout=$!
created=0
# Keep creating until the rollout is over, then a few more against the new replicas.
while kill -0 "$rollout" 2>/dev/null || (( created < 20 )); do
  created=$((created + 1))
  pause_pod "restart-$created" "$LABELLED" | kubectl create -f - >/dev/null || fail "creating pod restart-$created failed"
  (( created < 400 )) || break
  sleep 0.5
done
wait "$rollout" || fail "the webhook's rollout did not finish"
echo "created $created pods during and after the restart"
unconverted=()
for i in $(seq 1 "$created"); do
  [[ "$(restart_policy "$LABELLED" "restart-$i" istio-proxy)" == "Always" ]] || unconverted+=("restart-$i")
done
(( ${#unconverted[@]} == 0 )) || fail "${#unconverted[@]} of $created pods were not converted: ${unconverted[*]}"

step "6. metrics"
metrics=$(kubectl get --raw "/api/v1/namespaces/$RELEASE_NAMESPACE/services/http:$WEBHOOK:http-management/proxy/q/metrics")
for name in nativesidecar_admissions_total nativesidecar_failed_open_total nativesidecar_admission_duration_seconds_bucket; do
  grep -q "^$name" <<<"$metrics" || fail "metric $name is missing"
done

kubectl delete namespace "$LABELLED" "$UNLABELLED" --wait=false
echo "e2e: all checks passed"
