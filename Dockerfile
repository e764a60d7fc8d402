# syntax=docker/dockerfile:1
# The bot as a container: `docker build -t recording-audit-bot .`
# Stages: toolchain (compilers for better-sqlite3's native build) → build (all deps, tsc and
# the chat page) and prod-deps (production deps only) → runtime (no compilers, no dev deps).
# test/deploy/manifests.test.ts checks this file against the configuration.

FROM node:20-bookworm-slim AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-chat.mjs scripts/
COPY src/ src/
RUN npm run build

FROM toolchain AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
  PORT=3000
WORKDIR /app
COPY --from=prod-deps /app/node_modules/ node_modules/
COPY --from=build /app/dist/ dist/
# Read at run time: the command list (src/bot/manifest.ts) and the card templates (src/cards.ts).
COPY package.json manifest.json ./
COPY cards/ cards/
# `npm run webhooks -- status|sync|remove` (runs dist/cli/webhooks.js; nothing to compile here).
COPY scripts/webhooks.mjs scripts/
# The default sqlite:data/audit-bot.db lives here; with PostgreSQL nothing is written.
RUN mkdir data && chown 1000:1000 data
# The image's `node` user, by number so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 3000
# Liveness only (the process answers); readiness is /readyz, probed by the orchestrator.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# main.ts drains on SIGTERM for SHUTDOWN_GRACE_SECONDS; give the platform a longer stop timeout.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
