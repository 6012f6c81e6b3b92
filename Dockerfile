# syntax=docker/dockerfile:1
# Gatehouse image: one image for `gatehouse gateway` (the default command) and `gatehouse identity`.
# Node 24 runs the TypeScript sources directly (type stripping), so there is no build step: the
# first stage only installs the production dependencies, the second copies them next to the
# sources. docs/deploy.md explains the ports, the mounts and how to run it.
#
#   docker build -t gatehouse:0.1.0 .
#   docker run -p 8080:8080 -v "$PWD/my-config:/etc/gatehouse/config:ro" gatehouse:0.1.0
#   docker run -p 9000:9000 -v … gatehouse:0.1.0 identity --config /etc/gatehouse/identity.yaml

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=dev: the `node` devDependency (Node 24 for machines whose system node is older), the
# type checker, the peers of the benchmark and playwright stay out. No production dependency has
# an install script, so none is run.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
# `gatehouse demo` reads examples/quickstart.
COPY examples ./examples
# The image's own `node` user (uid 1000), by number so that Kubernetes' runAsNonRoot can verify it
# without a runAsUser. Sources and dependencies stay owned by root: the process cannot change them.
USER 1000:1000
# 8080, 8443: the gateway listeners of deploy/kubernetes (ports are set by the Gateway config);
# 9901: the gateway's admin listener (/healthz, /readyz, /metrics); 9000: the identity service.
EXPOSE 8080 8443 9901 9000
# Docker's health check (Kubernetes uses the probes of the manifests instead). The identity
# service answers /readyz on its own port: run it with
# GATEHOUSE_HEALTHCHECK_URL=http://127.0.0.1:9000/readyz.
ENV GATEHOUSE_HEALTHCHECK_URL=http://127.0.0.1:9901/readyz
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.GATEHOUSE_HEALTHCHECK_URL, {signal: AbortSignal.timeout(2500)}).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1: the gateway handles SIGTERM itself (drain, then exit 0) and reaps its workers.
ENTRYPOINT ["node", "bin/gatehouse.js"]
# The admin listener on every interface so kubelet probes and Prometheus reach it; the Service
# keeps it inside the cluster (docs/deploy.md).
CMD ["gateway", "--config", "/etc/gatehouse/config", "--admin", "0.0.0.0:9901"]
