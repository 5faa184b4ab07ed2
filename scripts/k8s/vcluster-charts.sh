#!/usr/bin/env bash
# Packages the real loft-sh/vcluster Helm chart, at pinned versions, into a local chart repository
# dir (served by scripts/k8s/chart-repo.ts). The chart is taken from the Go module
# github.com/loft-sh/vcluster@v<ver> (its chart/ folder), because the Go module proxy is reachable
# here while charts.loft.sh is not.
#
#   bash scripts/k8s/vcluster-charts.sh       # idempotent: skips versions already packaged
#
# Output: $VCP_CACHE_DIR/vcluster-charts/{vcluster-<ver>.tgz,index.yaml}
# Pinned versions must match VCLUSTER_CHART_VERSIONS in scripts/k8s/chart-repo.ts.
set -euo pipefail

VERSIONS="${VCP_VCLUSTER_CHART_VERSIONS:-0.30.0 0.36.1}"
K8S_VERSION="${VCP_K8S_VERSION:-v1.36.3}"
CACHE_ROOT="${VCP_CACHE_DIR:-$HOME/.cache/vcluster-portal}"
OUT="$CACHE_ROOT/vcluster-charts"
HELM_BIN="${HELM_BIN:-$CACHE_ROOT/k8s-$K8S_VERSION/bin/helm}"

log() { echo "[vcluster charts] $*"; }

GO_BIN="${VCP_GO_BIN:-$(command -v go || echo /usr/local/go/bin/go)}"
if [[ ! -x "$GO_BIN" ]]; then
  log "Go is not installed: cannot fetch the vcluster chart from the Go module proxy."
  exit 3
fi
if [[ ! -x "$HELM_BIN" ]]; then
  log "helm not found at $HELM_BIN: build it first (bash scripts/k8s/build.sh) or set HELM_BIN."
  exit 1
fi
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"

mkdir -p "$OUT"
# One writer at a time (build.sh and cluster.ts may both call this).
exec 8>"$OUT/.lock"
if ! flock -n 8; then
  log "another run is packaging charts in $OUT; waiting for it"
  flock 8
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

changed=0
for ver in $VERSIONS; do
  tgz="$OUT/vcluster-$ver.tgz"
  if [[ -f "$tgz" ]]; then
    log "vcluster $ver ... already packaged"
    continue
  fi
  t0=$(date +%s)
  log "vcluster $ver ... downloading github.com/loft-sh/vcluster@v$ver"
  # From an empty dir, so no surrounding go.mod is consulted or touched.
  json="$(cd "$WORK" && "$GO_BIN" mod download -json "github.com/loft-sh/vcluster@v$ver")" || {
    log "go mod download of github.com/loft-sh/vcluster@v$ver failed:"; echo "$json"; exit 1; }
  dir="$(sed -n 's/.*"Dir": "\(.*\)".*/\1/p' <<<"$json")"
  if [[ ! -f "$dir/chart/Chart.yaml" ]]; then
    log "github.com/loft-sh/vcluster@v$ver has no chart/Chart.yaml (Dir: ${dir:-none})"
    exit 1
  fi
  # The module cache is read-only; the chart's Chart.yaml says 0.0.1 (set by their release
  # pipeline), and its image tags derive from .Chart.Version: package with the real version.
  rm -rf "$WORK/vcluster" "$WORK/pkg"
  cp -r "$dir/chart" "$WORK/vcluster"
  chmod -R u+w "$WORK/vcluster"
  "$HELM_BIN" package "$WORK/vcluster" --version "$ver" --app-version "$ver" --destination "$WORK/pkg" >/dev/null
  mv -f "$WORK/pkg/vcluster-$ver.tgz" "$tgz"
  changed=1
  log "vcluster $ver ... packaged in $(($(date +%s) - t0))s"
done

if [[ $changed -eq 1 || ! -f "$OUT/index.yaml" ]]; then
  # No --url: helm resolves the relative chart URLs against wherever the repo is served.
  "$HELM_BIN" repo index "$OUT"
  log "index.yaml written"
fi
log "charts: $OUT"
