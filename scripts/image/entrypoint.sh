#!/bin/sh
# The container image's one entrypoint (docs/install.md): `web` (the default CMD), `worker` or `migrate`.
# Plain node, no npm/npx/tsx: scripts/image/assemble.ts lays out /app, and
# scripts/image/standalone.int.test.ts runs this very file against that layout.
set -eu
cd "$(dirname "$0")"
command="${1:-web}"
if [ "$#" -gt 0 ]; then shift; fi
case "$command" in
  web) exec node server.js "$@" ;;
  worker) exec node worker.mjs "$@" ;;
  migrate) exec node node_modules/prisma/build/index.js migrate deploy "$@" ;;
  *)
    echo "vcluster-portal image: unknown command \"$command\": use web, worker or migrate" >&2
    exit 64
    ;;
esac
