// The IPC messages between a cluster primary (workers.ts) and its workers (gateway-worker.ts).
import type { MetricObjectWithValues, MetricValue } from 'prom-client';

export type PrimaryMessage =
  | { gatehouse: 'reload' }
  | { gatehouse: 'status'; requestId: number };

export type WorkerMessage =
  | { gatehouse: 'started' }
  | {
      gatehouse: 'status';
      requestId: number;
      ready: boolean;
      generation: number;
      config: object;
      jwks: { keys: object[] };
      metrics: MetricObjectWithValues<MetricValue<string>>[];
    };

export function isPrimaryMessage(message: unknown): message is PrimaryMessage {
  return typeof message === 'object' && message !== null && 'gatehouse' in message;
}

export function isWorkerMessage(message: unknown): message is WorkerMessage {
  return typeof message === 'object' && message !== null && 'gatehouse' in message;
}

/** Environment variable carrying the worker's GatewayOptions as JSON. */
export const WORKER_OPTIONS_VARIABLE = 'GATEHOUSE_WORKER_OPTIONS';
/** Exit code of a worker whose configuration is invalid (sysexits EX_CONFIG): not restarted. */
export const EXIT_CONFIG_INVALID = 78;
