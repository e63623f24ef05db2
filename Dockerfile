# The durable-ingest worker (and, with another command, the codec server) for docker compose or any container host.
# Build: docker build -t durable-ingest .     Run: docker run --env-file worker.env -e TEMPORAL_ADDRESS=host:7233 durable-ingest

# Native modules (better-sqlite3, onnxruntime-node) may need a compiler when no prebuilt binary fits; keep it out of the final image.
FROM node:20-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY simulator ./simulator
# An ingest's relative --output-dir / --download-dir resolve here, on the workers' shared volume (docker-compose.yml).
# Scratch space (worker --work-dir) is not here: it defaults to a folder in /tmp, each container's own.
RUN mkdir -p /data && chown node:node /data
WORKDIR /data
USER node
ENTRYPOINT ["node", "/app/bin/durable-ingest.js"]
CMD ["worker"]
