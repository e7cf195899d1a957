# edigate: the gateway on its embedded defaults (SQLite queue, ERP/WMS spooled to data/spool/).
# Volumes: inbox/ (partners drop files), outbox/ (acknowledgements), data/ (store, raw archive, spool).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY src/transports/sftp/ssh2-server-sig-algs.cjs ./src/transports/sftp/
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production EDIGATE_HOME=/srv/edigate EDIGATE_OPS_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY maps ./maps
COPY partners /srv/edigate/partners
# AS2 decrypts PKCS#1 v1.5 key transport with `openssl cms` (Node 20 refuses it in-process).
RUN apt-get update && apt-get install -y --no-install-recommends openssl && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /srv/edigate/inbox /srv/edigate/outbox /srv/edigate/data && ln -s /app/dist/cli.js /usr/local/bin/edigate && chmod +x /app/dist/cli.js
VOLUME ["/srv/edigate/inbox", "/srv/edigate/outbox", "/srv/edigate/data"]
EXPOSE 8080 4080 2222
CMD ["node", "--max-old-space-size=256", "/app/dist/cli.js", "start", "--home", "/srv/edigate"]
