// `--workers N`: a node:cluster primary forks N gateway workers that share the listener ports.
// The primary owns the admin listener (aggregating readiness and metrics over the workers),
// relays SIGHUP as a reload to every worker, restarts a worker that died, and stops them all on
// SIGTERM/SIGINT.
import cluster from 'node:cluster';
import module from 'node:module';
import type { Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { AggregatorRegistry } from 'prom-client';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../observability/logger.ts';
import { startAdminServer } from './admin-server.ts';
import type { AdminServer, AdminSource } from './admin-server.ts';
import type { GatewayOptions } from './start-gateway.ts';
import { isWorkerMessage, WORKER_OPTIONS_VARIABLE } from './worker-messages.ts';
import type { PrimaryMessage, WorkerMessage } from './worker-messages.ts';

type WorkerStatus = Extract<WorkerMessage, { gatehouse: 'status' }>;

/** A worker that dies sooner than this after its start is restarted after a pause (crash loop). */
const CRASH_LOOP_MS = 5_000;
const RESTART_PAUSE_MS = 1_000;
const STATUS_TIMEOUT_MS = 2_000;
/** A worker still running this long after its drain timeout (GatewayOptions shutdown) is killed. */
const STOP_MARGIN_MS = 5_000;

/** Resolves once every worker stopped after SIGTERM/SIGINT; throws ConfigError on a bad config. */
export async function runGatewayWorkers(options: GatewayOptions & { workers: number }): Promise<void> {
  const { workers: count, ...gatewayOptions } = options;
  const initialModel = await loadConfig(gatewayOptions.configPath); // refuse a bad config before forking anything
  const stopTimeoutMs = initialModel.options.shutdown.drainTimeoutMs + STOP_MARGIN_MS;
  const log = createLogger({ level: gatewayOptions.logLevel, destination: gatewayOptions.logDestination });
  const logger = log.logger;
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./gateway-worker.ts', import.meta.url)) });
  const env: Record<string, string> = { [WORKER_OPTIONS_VARIABLE]: JSON.stringify(gatewayOptions) };
  // Workers load their modules from the compile cache bin/gatehouse.js turned on, when it did.
  const compileCache = module.getCompileCacheDir();
  if (compileCache !== undefined) env.NODE_COMPILE_CACHE = compileCache;
  const startedAt = new Map<Worker, number>();
  const pendingStatus = new Map<number, (status: WorkerStatus) => void>();
  let nextStatusRequest = 1;
  let stopping = false;

  const fork = () => {
    const worker = cluster.fork(env);
    startedAt.set(worker, Date.now());
    worker.on('message', (message: unknown) => {
      if (isWorkerMessage(message) && message.gatehouse === 'status') pendingStatus.get(message.requestId)?.(message);
    });
  };
  const broadcast = (message: PrimaryMessage) => {
    for (const worker of Object.values(cluster.workers ?? {})) if (worker?.isConnected()) worker.send(message);
  };
  /** Statuses of the workers that answered in time; a worker restarting simply is not counted. */
  const askWorkers = async (): Promise<WorkerStatus[]> => {
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w?.isConnected() === true);
    const settled = await Promise.allSettled(workers.map((worker) => askWorker(worker, nextStatusRequest++, pendingStatus)));
    return settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  };

  const stopped = Promise.withResolvers<void>();
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) stopped.resolve();
      return;
    }
    logger.error({ workerPid: worker.process.pid, code, signal }, 'gateway worker exited; restarting it');
    setTimeout(fork, lived < CRASH_LOOP_MS ? RESTART_PAUSE_MS : 0);
  });
  for (let i = 0; i < count; i++) fork();

  const source: AdminSource = {
    readiness: async () => {
      const statuses = await askWorkers();
      const ready = statuses.length === count && statuses.every((s) => s.ready);
      return { ready, generation: statuses.length === 0 ? 0 : Math.min(...statuses.map((s) => s.generation)) };
    },
    metrics: async () => {
      const registry = AggregatorRegistry.aggregate((await askWorkers()).map((s) => s.metrics));
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    config: async () => (await askWorkers())[0]?.config ?? {},
    // Workers without a shared signingKeyFile each generate a key: publish all of them, once.
    jwks: async () => {
      const byKid = new Map<unknown, object>();
      for (const status of await askWorkers()) for (const key of status.jwks.keys) byKid.set((key as { kid?: unknown }).kid, key);
      return { keys: [...byKid.values()] };
    },
  };
  let admin: AdminServer | undefined;
  const adminAddress = gatewayOptions.adminAddress ?? '127.0.0.1:9901';
  if (adminAddress !== 'off') admin = await startAdminServer({ address: adminAddress, source });

  const onHangUp = () => broadcast({ gatehouse: 'reload' });
  const onStop = () => {
    if (stopping) return;
    stopping = true;
    // A signal, not a message: a worker still starting has no message handler yet, and for it
    // the default SIGTERM action (exit at once) is the right one.
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    if (Object.keys(cluster.workers ?? {}).length === 0) stopped.resolve();
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGKILL');
    }, stopTimeoutMs).unref();
  };
  process.on('SIGHUP', onHangUp);
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  logger.info({ workers: count, adminPort: admin?.port }, 'gateway cluster started');
  await stopped.promise;
  process.off('SIGHUP', onHangUp);
  process.off('SIGTERM', onStop);
  process.off('SIGINT', onStop);
  await admin?.close();
  logger.info({}, 'gateway cluster stopped');
  await log.close();
}

function askWorker(
  worker: Worker,
  requestId: number,
  pending: Map<number, (status: WorkerStatus) => void>,
): Promise<WorkerStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(requestId);
      reject(new Error(`worker ${worker.process.pid} did not report its status`));
    }, STATUS_TIMEOUT_MS);
    pending.set(requestId, (status) => {
      clearTimeout(timer);
      pending.delete(requestId);
      resolve(status);
    });
    worker.send({ gatehouse: 'status', requestId } satisfies PrimaryMessage);
  });
}
