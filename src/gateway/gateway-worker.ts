// Entry point of one cluster worker: runs a full gateway on the listener ports the cluster
// shares, and answers the primary's reload / stop / status messages. The primary owns the admin
// listener and aggregates every worker's status.
import { startGateway } from './start-gateway.ts';
import type { GatewayOptions } from './start-gateway.ts';
import { EXIT_CONFIG_INVALID, isPrimaryMessage, WORKER_OPTIONS_VARIABLE } from './worker-messages.ts';
import type { WorkerMessage } from './worker-messages.ts';

const options = JSON.parse(process.env[WORKER_OPTIONS_VARIABLE] ?? '{}') as GatewayOptions;

function send(message: WorkerMessage): void {
  process.send?.(message);
}

try {
  const gateway = await startGateway({ ...options, adminAddress: 'off' });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await gateway.close();
    process.exit(0);
  };
  // The primary decides when workers stop; a terminal's Ctrl-C reaches the whole process group.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => void stop());
  process.on('message', async (message: unknown) => {
    if (!isPrimaryMessage(message)) return;
    if (message.gatehouse === 'reload') await gateway.reload();
    else {
      const readiness = await gateway.status.readiness();
      send({
        gatehouse: 'status',
        requestId: message.requestId,
        ready: readiness.ready,
        generation: readiness.generation,
        config: await gateway.status.config(),
        jwks: await gateway.status.jwks(),
        metrics: await gateway.metrics.registry.getMetricsAsJSON(),
      });
    }
  });
  send({ gatehouse: 'started' });
} catch (error) {
  const code = (error as { code?: string }).code;
  process.stderr.write(`gatehouse worker ${process.pid}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(code === 'ERR_CONFIG_INVALID' ? EXIT_CONFIG_INVALID : 1);
}
