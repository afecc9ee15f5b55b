{{/* Chart name, possibly overridden. */}}
{{- define "nsw.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of every resource, the cluster-scoped MutatingWebhookConfiguration included: the release
name, suffixed with the chart name unless the release name already contains it.
*/}}
{{- define "nsw.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "nsw.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "nsw.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nsw.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "nsw.labels" -}}
helm.sh/chart: {{ include "nsw.chart" . }}
{{ include "nsw.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: admission-webhook
app.kubernetes.io/part-of: native-sidecar-webhook
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "nsw.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "nsw.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the serving certificate (tls.crt, tls.key). */}}
{{- define "nsw.tlsSecretName" -}}
{{- if eq .Values.certificates.mode "external" }}
{{- required "certificates.secretName is required in external mode: an existing kubernetes.io/tls Secret" .Values.certificates.secretName }}
{{- else }}
{{- default (printf "%s-tls" (include "nsw.fullname" .)) .Values.certificates.secretName }}
{{- end }}
{{- end }}

{{- define "nsw.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Namespaces never sent to the webhook: the control plane's, the webhook's own (its pods must start
without it) and any the user adds. A label selector requirement, as a dict.
*/}}
{{- define "nsw.excludedNamespaces" -}}
{{- $names := concat (list "kube-system" "kube-node-lease" .Release.Namespace) .Values.webhook.excludedNamespaces | uniq }}
{{- toJson (dict "key" "kubernetes.io/metadata.name" "operator" "NotIn" "values" $names) }}
{{- end }}

{{/*
What every webhook entry shares. Called with a dict: root (the chart context) and the entry's
namespace selector requirements (nsExpressions, a list) and labels (nsLabels, a map).
*/}}
{{- define "nsw.webhookCommon" -}}
{{- $root := .root -}}
admissionReviewVersions:
  - v1
clientConfig:
  service:
    name: {{ include "nsw.fullname" $root }}
    namespace: {{ $root.Release.Namespace }}
    path: /mutate
    port: 443
  {{- if eq $root.Values.certificates.mode "external" }}
  caBundle: {{ required "certificates.caBundle is required in external mode: the base64 PEM CA that signed the serving certificate" $root.Values.certificates.caBundle }}
  {{- end }}
failurePolicy: {{ $root.Values.webhook.failurePolicy }}
matchPolicy: Equivalent
namespaceSelector:
  {{- with .nsLabels }}
  matchLabels:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  matchExpressions:
    {{- prepend .nsExpressions (include "nsw.excludedNamespaces" $root | fromJson) | toYaml | nindent 4 }}
objectSelector: {}
reinvocationPolicy: IfNeeded
rules:
  - apiGroups:
      - ""
    apiVersions:
      - v1
    operations:
      - CREATE
    resources:
      - pods
    scope: Namespaced
sideEffects: None
timeoutSeconds: {{ $root.Values.webhook.timeoutSeconds }}
{{- end }}

{{/*
Whether to check the kubelets of the nodes: cluster.checkNodes, or the deprecated config.checkNodes of
earlier chart versions when it is set.
*/}}
{{- define "nsw.checkNodes" -}}
{{- if hasKey .Values.config "checkNodes" -}}
{{- .Values.config.checkNodes -}}
{{- else -}}
{{- .Values.cluster.checkNodes -}}
{{- end -}}
{{- end -}}
