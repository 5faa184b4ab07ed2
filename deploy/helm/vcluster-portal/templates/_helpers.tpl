{{/* Names. Cluster-scoped objects carry the full name, so one release per host cluster (README.md). */}}
{{- define "vcluster-portal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "vcluster-portal.fullname" -}}
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

{{- define "vcluster-portal.serviceAccountName" -}}
{{- default (include "vcluster-portal.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{/* The username the API server gives the portal's ServiceAccount (the admission policy matches it). */}}
{{- define "vcluster-portal.username" -}}
system:serviceaccount:{{ .Release.Namespace }}:{{ include "vcluster-portal.serviceAccountName" . }}
{{- end }}

{{/*
The ClusterRole the portal binds in every tenant namespace it creates. Fixed: the portal names it in that
RoleBinding (TENANT_ROLE_NAME in lib/kube/host-objects.ts).
*/}}
{{- define "vcluster-portal.tenantRole" -}}
vcluster-portal-tenant
{{- end }}

{{- define "vcluster-portal.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "vcluster-portal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component (web, worker, migrate). */}}
{{- define "vcluster-portal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vcluster-portal.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "vcluster-portal.image" -}}
{{- $repo := required "image.repository is required: the portal image built from the repository's Dockerfile, e.g. registry.example.com/vcluster-portal" .Values.image.repository }}
{{- printf "%s:%s" $repo (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The secret settings: each comes either from a value (then the chart's Secret holds it) or from an existing
Secret (name + key). Given as (list $ "<value path>" <value> <existingSecret> "<key in the chart's Secret>").
Returns a secretKeyRef as YAML, or "" when neither is set.
*/}}
{{- define "vcluster-portal.secretRef" -}}
{{- $root := index . 0 }}{{- $path := index . 1 }}{{- $value := index . 2 }}{{- $existing := index . 3 }}{{- $key := index . 4 }}
{{- if and $value $existing.name }}
{{- fail (printf "%s and %s.existingSecret.name are both set: give the value or an existing Secret, not both" $path (regexReplaceAll "\\.[^.]+$" $path "")) }}
{{- end }}
{{- if $existing.name }}
name: {{ $existing.name }}
key: {{ required (printf "%s.existingSecret.key is required when %s.existingSecret.name is set" (regexReplaceAll "\\.[^.]+$" $path "") (regexReplaceAll "\\.[^.]+$" $path "")) $existing.key }}
{{- else if $value }}
name: {{ include "vcluster-portal.fullname" $root }}
key: {{ $key }}
{{- end }}
{{- end }}

{{/* The secret settings as [envName, value path, value, existingSecret, requiredMessage-or-""]. */}}
{{- define "vcluster-portal.secretSettings" -}}
{{- $v := .Values }}
{{- $settings := list
  (list "DATABASE_URL" "database.url" $v.database.url $v.database.existingSecret "database.url or database.existingSecret.name is required: the PostgreSQL connection string (DATABASE_URL), e.g. postgres://portal:…@postgres:5432/portal")
  (list "AUTH_SECRET" "auth.secret" $v.auth.secret $v.auth.existingSecret "auth.secret or auth.existingSecret.name is required: Auth.js's session secret (AUTH_SECRET), at least 32 characters — openssl rand -base64 32")
  (list "AUTH_OIDC_CLIENT_SECRET" "oidc.clientSecret" $v.oidc.clientSecret $v.oidc.existingSecret "oidc.clientSecret or oidc.existingSecret.name is required: the portal's client secret at your OpenID Connect provider (AUTH_OIDC_CLIENT_SECRET)")
  (list "PORTAL_ENCRYPTION_KEY" "encryptionKey.value" $v.encryptionKey.value $v.encryptionKey.existingSecret "encryptionKey.value or encryptionKey.existingSecret.name is required: 32 random bytes, base64-encoded (PORTAL_ENCRYPTION_KEY), which encrypt stored host kubeconfigs — openssl rand -base64 32")
  (list "METRICS_TOKEN" "metrics.token" $v.metrics.token $v.metrics.existingSecret "")
}}
{{- toJson $settings }}
{{- end }}

{{/* The chart's Secret data: the secret settings given as values. */}}
{{- define "vcluster-portal.secretData" -}}
{{- range (include "vcluster-portal.secretSettings" . | fromJsonArray) }}
{{- if index . 2 }}
{{ index . 0 }}: {{ index . 2 | b64enc | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* env entries for the secret settings; fails naming the value when a required one is missing. */}}
{{- define "vcluster-portal.secretEnv" -}}
{{- $root := . }}
{{- range (include "vcluster-portal.secretSettings" . | fromJsonArray) }}
{{- $ref := include "vcluster-portal.secretRef" (list $root (index . 1) (index . 2) (index . 3) (index . 0)) }}
{{- if and (not $ref) (index . 4) }}{{ fail (index . 4) }}{{ end }}
{{- if $ref }}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      {{- $ref | trim | nindent 6 }}
{{- end }}
{{- end }}
{{- end }}

{{/* The environment of the web app and the worker (lib/env.ts reads it; README.md, Configuration). */}}
{{- define "vcluster-portal.env" -}}
- name: NODE_ENV
  value: production
- name: AUTH_URL
  value: {{ required "portal.url is required: the portal's public URL, e.g. https://portal.example.com (AUTH_URL; sign-in redirects to it)" .Values.portal.url | quote }}
- name: AUTH_OIDC_ISSUER
  value: {{ required "oidc.issuer is required: the issuer URL of your OpenID Connect provider (AUTH_OIDC_ISSUER)" .Values.oidc.issuer | quote }}
- name: AUTH_OIDC_CLIENT_ID
  value: {{ required "oidc.clientId is required: the portal's client id at your OpenID Connect provider (AUTH_OIDC_CLIENT_ID)" .Values.oidc.clientId | quote }}
{{- include "vcluster-portal.secretEnv" . }}
{{- /* helm (the provisioning driver) keeps its cache and config under HOME, which is read-only: */}}
- name: HELM_CACHE_HOME
  value: /tmp/helm/cache
- name: HELM_CONFIG_HOME
  value: /tmp/helm/config
- name: HELM_DATA_HOME
  value: /tmp/helm/data
{{- range $name, $value := .Values.env }}
{{- if has $name (list "NODE_ENV" "PORT" "HOSTNAME" "AUTH_URL" "AUTH_OIDC_ISSUER" "AUTH_OIDC_CLIENT_ID" "DATABASE_URL" "AUTH_SECRET" "AUTH_OIDC_CLIENT_SECRET" "PORTAL_ENCRYPTION_KEY" "METRICS_TOKEN" "WORKER_CONCURRENCY" "WORKER_METRICS_PORT" "WORKER_METRICS_HOST" "HELM_CACHE_HOME" "HELM_CONFIG_HOME" "HELM_DATA_HOME") }}
{{- fail (printf "env.%s: the chart sets %s itself from its own values (see README.md next to the chart); remove it from env" $name $name) }}
{{- end }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* checksum of the settings that are not visible in the pod spec, so a change rolls the pods. */}}
{{- define "vcluster-portal.configChecksum" -}}
{{- include "vcluster-portal.secretData" . | sha256sum }}
{{- end }}

{{/* Scheduling and security shared by every pod. */}}
{{- define "vcluster-portal.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* /tmp (helm, temporary kubeconfigs, the schema engine) and more on a read-only root file system. */}}
{{- define "vcluster-portal.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end }}

{{/* Egress of the web app and the worker (NetworkPolicy). */}}
{{- define "vcluster-portal.egress" -}}
# DNS, anywhere (cluster DNS runs in another namespace).
- ports:
    - { protocol: UDP, port: 53 }
    - { protocol: TCP, port: 53 }
# PostgreSQL.
- ports:
    - { protocol: TCP, port: {{ .Values.networkPolicy.databasePort }} }
  {{- with .Values.networkPolicy.databaseTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
# HTTPS: host API servers (443/6443), the OpenID Connect provider, the vCluster chart repository; 8443: the
# virtual clusters' API servers behind their Services (<release>.<namespace>.svc:443 → pod port 8443).
- ports:
    - { protocol: TCP, port: 443 }
    - { protocol: TCP, port: 6443 }
    - { protocol: TCP, port: 8443 }
{{- with .Values.networkPolicy.extraEgress }}
{{ toYaml . }}
{{- end }}
{{- end }}
