# syntax=docker/dockerfile:1
# Same install path as the README (npm ci, whose postinstall puts the native libraries in place,
# then the TypeScript build). The postinstall (scripts/install-native.mjs) finds its cache empty
# in a fresh build, so it downloads the upstream GitHub release of each native library when the
# build machine reaches GitHub, and otherwise falls back to the sha256-pinned PyPI wheel of the
# same release. `node scripts/check-dockerfile.mjs` dry-runs these steps without Docker (README, "Docker").

FROM node:20-bookworm-slim AS build
WORKDIR /app
# python3/make/g++ build the ffi-napi addons. npm >= 11.16 reads package.json `allowScripts`, which
# denies the native wrappers' own GitHub downloads (node 20 ships npm 10, which would run them).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && npm install -g npm@^11.16.0
COPY package.json package-lock.json .npmrc ./
COPY scripts ./scripts
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY console ./console
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    CREDENCE_DATA_DIR=/data \
    CREDENCE_HOST=0.0.0.0
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown node:node /data
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
# The shipped Indy and cheqd network definitions, read at boot when CREDENCE_INDY_NETWORKS or
# CREDENCE_CHEQD_NETWORKS is set (resolved from dist/ as ../config).
COPY --chown=node:node config ./config
USER node
VOLUME /data
EXPOSE 8020 8021
# Production needs CREDENCE_ADMIN_API_KEY, CREDENCE_WALLET_KEY, CREDENCE_JWT_SECRET,
# CREDENCE_BASE_API_KEY and CREDENCE_HMAC_SECRET (the server refuses to boot without them).
CMD ["node", "dist/main.js"]
