{{/* Chart name, truncated to the 63 characters a DNS label allows. */}}
{{- define "nianbao.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: release-chart unless the release name already holds the chart's. */}}
{{- define "nianbao.fullname" -}}
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

{{- define "nianbao.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "nianbao.labels" -}}
helm.sh/chart: {{ include "nianbao.chart" . }}
{{ include "nianbao.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "nianbao.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nianbao.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "nianbao.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "nianbao.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "nianbao.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* Where the API-key Secret is mounted; NIANBAO_API_KEYS_FILE points at the key inside. */}}
{{- define "nianbao.apiKeysDir" -}}
/etc/nianbao/api-keys
{{- end }}

{{/* The restricted container securityContext (Pod Security Standard "restricted"). */}}
{{- define "nianbao.containerSecurityContext" -}}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "nianbao.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* NIANBAO_SHUTDOWN_TIMEOUT, checked: a request in flight at SIGTERM (body timeout, one
parse deadline waiting for a reader and one reading) must fit in it, as the server checks. */}}
{{- define "nianbao.shutdownTimeout" -}}
{{- $c := .Values.config -}}
{{- if ge (add $c.bodyTimeoutSeconds $c.parseDeadlineSeconds $c.parseDeadlineSeconds | int) ($c.shutdownTimeoutSeconds | int) -}}
{{- fail (printf "config.shutdownTimeoutSeconds (%v) must exceed config.bodyTimeoutSeconds (%v) + 2 x config.parseDeadlineSeconds (%v)" $c.shutdownTimeoutSeconds $c.bodyTimeoutSeconds $c.parseDeadlineSeconds) -}}
{{- end -}}
{{- $c.shutdownTimeoutSeconds -}}
{{- end }}

{{/* terminationGracePeriodSeconds, derived: the preStop sleep, then the shutdown timeout,
then a margin for the process (and its parse workers) to exit. */}}
{{- define "nianbao.terminationGrace" -}}
{{- add .Values.preStopSleepSeconds (include "nianbao.shutdownTimeout" . | int) .Values.terminationGraceMarginSeconds -}}
{{- end }}
