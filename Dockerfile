# syntax=docker/dockerfile:1
# Same install path as the README (npm ci, whose postinstall puts the native libraries in place,
# then the TypeScript build). Built on a machine with internet, the upstream GitHub download of
# the native libraries is used; the PyPI wheel is the fallback.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# python3/make/g++ build the ffi-napi addons; npm 11 understands package.json `allowScripts`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && npm install -g npm@11
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
USER node
VOLUME /data
EXPOSE 8020 8021
# Production needs CREDENCE_ADMIN_API_KEY, CREDENCE_WALLET_KEY, CREDENCE_JWT_SECRET,
# CREDENCE_BASE_API_KEY and CREDENCE_HMAC_SECRET (the server refuses to boot without them).
CMD ["node", "dist/main.js"]
