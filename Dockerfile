# The bot as one process: `node dist/main.js`, built in a first stage, run in a second that holds only
# the build output, the production dependencies and the seed dataset.
#
#   docker build -t ee-draw-bot .
#   docker run -d --name ee-draw-bot --env-file .env -v ee-draw-bot-data:/data --restart unless-stopped ee-draw-bot
#
# The build runs the commands CI runs on a clean copy (.ci/run): npm ci, npm run build,
# npm prune --omit=dev; the image then starts node itself (not npm), so signals reach the bot.

# ---- build: dependencies (better-sqlite3 compiles from source where no prebuilt binary fits), dist/
FROM node:24-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Native modules build against this Node's own headers, not ones downloaded by node-gyp.
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev

# ---- runtime
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HEALTH_PORT=9090
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/data ./data
# The state (alerts.sqlite, the synced draws.json) lives on the volume, written by the non-root
# `node` user of the base image (uid 1000); the code stays root's, read-only to the bot.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
# 9090: /healthz and /metrics. In Telegram webhook mode the bot also listens on PORT (default 8080).
EXPOSE 9090
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HEALTH_PORT || 9090) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-semi-space-size=4", "dist/main.js"]
