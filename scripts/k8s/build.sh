#!/usr/bin/env bash
# Builds a local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok, kubectl, helm) from Go modules into a cache dir outside the repo.
#
#   bash scripts/k8s/build.sh            # idempotent: skips components already built
#   VCP_CACHE_DIR=/some/dir bash scripts/k8s/build.sh
#
# Output: $VCP_CACHE_DIR/k8s-<ver>/bin/*, kwok stage YAMLs in .../stage/, VERSION file,
# progress.json (read by scripts/k8s/cluster.ts to show "building 3/7"); at the end the vcluster
# charts in $VCP_CACHE_DIR/vcluster-charts/ (scripts/k8s/vcluster-charts.sh).
set -euo pipefail

K8S_VERSION="${VCP_K8S_VERSION:-v1.36.3}"
STAGING_VERSION="v0.${K8S_VERSION#v1.}"          # v1.36.3 -> v0.36.3
ETCD_VERSION="${VCP_ETCD_VERSION:-v3.6.16}"
KWOK_VERSION="${VCP_KWOK_VERSION:-v0.8.0}"
HELM_VERSION="${VCP_HELM_VERSION:-v3.22.0}"

CACHE_ROOT="${VCP_CACHE_DIR:-$HOME/.cache/vcluster-portal}"
DIR="$CACHE_ROOT/k8s-$K8S_VERSION"
BIN="$DIR/bin"
SRC="$DIR/src"
STAMPS="$DIR/stamps"
PROGRESS="$DIR/progress.json"
mkdir -p "$BIN" "$SRC" "$STAMPS"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false
export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"

COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok kubectl helm)
TOTAL=${#COMPONENTS[@]}
START_ALL=$(date +%s)
CURRENT=""
DONE=0

log() { echo "[k8s build] $*"; }

write_progress() { # state detail
  local tmp="$PROGRESS.tmp.$$"
  printf '{"state":"%s","done":%d,"total":%d,"current":"%s","detail":"%s","pid":%d,"startedAt":%d,"updatedAt":%d,"k8sVersion":"%s"}\n' \
    "$1" "$DONE" "$TOTAL" "$CURRENT" "${2//\"/\'}" "$$" "$START_ALL" "$(date +%s)" "$K8S_VERSION" >"$tmp"
  mv -f "$tmp" "$PROGRESS"
}

on_exit() {
  local rc=$?
  if [[ $rc -ne 0 ]]; then
    if [[ "$CURRENT" == go ]]; then
      write_progress failed "Go is not installed; attach an existing cluster with KUBECONFIG"
    else
      write_progress failed "build of ${CURRENT:-?} failed (exit $rc); see the build log"
    fi
    log "FAILED at ${CURRENT:-?} (exit $rc)"
  fi
}
trap on_exit EXIT

# VCP_GO_BIN names the go binary (also how tests simulate a machine without Go).
GO_BIN="${VCP_GO_BIN:-$(command -v go || echo /usr/local/go/bin/go)}"
if [[ -x "$GO_BIN" ]]; then export PATH="$(dirname "$GO_BIN"):$PATH"; fi
if [[ ! -x "$GO_BIN" ]]; then
  CURRENT="go"
  log "Go is not installed: cannot build a local cluster. Attach an existing cluster instead (KUBECONFIG=...)."
  exit 3
fi

# Only one build at a time per cache dir; a second caller waits for the first.
exec 9>"$DIR/.build.lock"
if ! flock -n 9; then
  log "another build is running in $DIR; waiting for it"
  flock 9
fi

stamp_of() { # component -> expected stamp content
  case "$1" in
    etcd) echo "etcd $ETCD_VERSION" ;;
    kwok) echo "kwok $KWOK_VERSION" ;;
    helm) echo "helm $HELM_VERSION" ;;
    *) echo "$1 $K8S_VERSION" ;;
  esac
}
is_built() {
  [[ -x "$BIN/$1" && -f "$STAMPS/$1" && "$(cat "$STAMPS/$1")" == "$(stamp_of "$1")" ]] || return 1
  if [[ "$1" == kwok ]]; then [[ -d "$DIR/stage" ]] || return 1; fi
}

go_major_minor() { go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/'; }

# --- wrapper modules ---------------------------------------------------------------------

prepare_k8s_module() {
  local w="$SRC/kubernetes"
  [[ -f "$w/.ready-$K8S_VERSION" ]] && return 0
  rm -rf "$w"; mkdir -p "$w"
  local gomod
  gomod="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [[ -f "$gomod" ]] || { log "cannot download k8s.io/kubernetes@$K8S_VERSION"; return 1; }
  {
    echo "module vcp.local/k8s-build"
    echo
    grep -E '^go [0-9]' "$gomod"
    grep -E '^godebug ' "$gomod" || true
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    # every staging module: k8s.io/<x> => ./staging/src/k8s.io/<x>  ->  k8s.io/<x> v0.<minor>.<patch>
    sed -nE 's#^[[:space:]]*(k8s\.io/[A-Za-z0-9._/-]+)[[:space:]]+=>[[:space:]]+\./staging/src/.*#\t\1 => \1 '"$STAGING_VERSION"'#p' "$gomod"
    echo ")"
  } >"$w/go.mod"
  log "wrapper module for k8s.io/kubernetes $K8S_VERSION ($(grep -c ' => ' "$w/go.mod") staging replaces); resolving dependencies"
  (cd "$w" && go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kube-scheduler@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kubectl@$K8S_VERSION")
  touch "$w/.ready-$K8S_VERSION"
}

prepare_simple_module() { # name module-path@version package...
  local name="$1" modver="$2"; shift 2
  local w="$SRC/$name"
  [[ -f "$w/.ready-${modver##*@}" ]] && return 0
  rm -rf "$w"; mkdir -p "$w"
  printf 'module vcp.local/%s-build\n\ngo %s\n' "$name" "$(go_major_minor)" >"$w/go.mod"
  (cd "$w" && go get "$modver" && for p in "$@"; do go get "$p@${modver##*@}"; done)
  touch "$w/.ready-${modver##*@}"
}

k8s_ldflags() {
  local v="${K8S_VERSION#v}" major minor
  major="${v%%.*}"; minor="$(echo "$v" | cut -d. -f2)"
  local p="k8s.io/component-base/version" q="k8s.io/client-go/pkg/version"
  local date; date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  local f=""
  for pkg in "$p" "$q"; do
    f+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    f+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date -X $pkg.gitCommit=vcp-module-build"
  done
  echo "-s -w$f"
}

build_component() {
  local c="$1"
  case "$c" in
    etcd)
      local w="$SRC/etcd"
      if [[ ! -f "$w/.ready-$ETCD_VERSION" ]]; then
        rm -rf "$w"; mkdir -p "$w"
        printf 'module vcp.local/etcd-build\n\ngo %s\n' "$(go_major_minor)" >"$w/go.mod"
        cat >"$w/main.go" <<'EOF'
// Minimal etcd entry point (same as go.etcd.io/etcd/v3's main.go).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
        (cd "$w" && go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" && go mod tidy)
        touch "$w/.ready-$ETCD_VERSION"
      fi
      (cd "$w" && go build -p 2 -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=module-$ETCD_VERSION" -o "$BIN/etcd.tmp" .)
      ;;
    kube-apiserver | kube-controller-manager | kube-scheduler | kubectl)
      prepare_k8s_module
      (cd "$SRC/kubernetes" && go build -p 2 -trimpath -tags=selinux,notest -ldflags "$(k8s_ldflags)" \
        -o "$BIN/$c.tmp" "k8s.io/kubernetes/cmd/$c")
      ;;
    kwok)
      prepare_simple_module kwok "sigs.k8s.io/kwok@$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok
      (cd "$SRC/kwok" && go build -p 2 -trimpath \
        -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" \
        -o "$BIN/kwok.tmp" sigs.k8s.io/kwok/cmd/kwok)
      local moddir
      moddir="$(cd "$SRC/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
      rm -rf "$DIR/stage"; mkdir -p "$DIR/stage"
      cp -r "$moddir/kustomize/stage/." "$DIR/stage/"
      chmod -R u+w "$DIR/stage"
      ;;
    helm)
      local hm="helm.sh/helm/${HELM_VERSION%%.*}"
      prepare_simple_module helm "$hm@$HELM_VERSION" "$hm/cmd/helm"
      (cd "$SRC/helm" && go build -p 2 -trimpath \
        -ldflags "-s -w -X $hm/internal/version.version=$HELM_VERSION -X $hm/internal/version.gitTreeState=clean" \
        -o "$BIN/helm.tmp" "$hm/cmd/helm")
      ;;
  esac
  mv -f "$BIN/$c.tmp" "$BIN/$c"
  stamp_of "$c" >"$STAMPS/$c"
}

log "k8s $K8S_VERSION (staging $STAGING_VERSION), etcd $ETCD_VERSION, kwok $KWOK_VERSION, helm $HELM_VERSION"
log "cache: $DIR ($(go env GOVERSION), GOMAXPROCS-bounded -p 2)"
built_any=0
i=0
for c in "${COMPONENTS[@]}"; do
  i=$((i + 1))
  CURRENT="$c"
  if is_built "$c"; then
    DONE=$i
    log "$i/$TOTAL $c ... already built"
    continue
  fi
  write_progress building "building $c"
  log "$i/$TOTAL $c ... building"
  t0=$(date +%s)
  build_component "$c"
  t1=$(date +%s)
  DONE=$i
  built_any=1
  echo "$c $((t1 - t0))" >>"$DIR/build-times.txt"
  log "$i/$TOTAL $c ... done in $((t1 - t0))s"
done

# The real vcluster chart (local chart repo dir), with the helm just built. Cheap when cached.
CURRENT="vcluster-charts"
HELM_BIN="$BIN/helm" bash "$(dirname "${BASH_SOURCE[0]}")/vcluster-charts.sh"
CURRENT=""

cat >"$DIR/VERSION" <<EOF
kubernetes $K8S_VERSION
staging $STAGING_VERSION
etcd $ETCD_VERSION
kwok $KWOK_VERSION
helm $HELM_VERSION
go $(go env GOVERSION)
EOF
write_progress done "all $TOTAL components built"
END_ALL=$(date +%s)
if [[ $built_any -eq 1 ]]; then
  log "total build time: $((END_ALL - START_ALL))s"
else
  log "everything already built (nothing to do)"
fi
log "binaries: $BIN"
