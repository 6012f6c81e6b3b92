// `npm run bench -- identity`: client-credentials tokens issued per second and refresh-token
// introspections per second against the real identity service on SQLite and PostgreSQL (issue 7:
// ≥ 2,000 tokens/s per core on SQLite). The service is pinned to core 0, wrk to core 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measurePeer, type LoadSettings, type MeasuredRun } from '../measure.ts';
import { OPERATION_PATHS, startBenchIdentity, type IdentityOperation } from './identity-process.ts';
import { reserveBenchSchema } from './postgres-schema.ts';
import type { IdentitySigningAlgorithm, IdentityStoreKind } from './service-config.ts';

const FORM_POST_SCRIPT = fileURLToPath(new URL('../load/form-post.lua', import.meta.url));
export const IDENTITY_OPERATIONS: readonly IdentityOperation[] = ['token', 'introspection'];

export interface IdentityBenchOptions {
  readonly stores: readonly IdentityStoreKind[];
  readonly algorithms: readonly IdentitySigningAlgorithm[];
  readonly rounds: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  readonly connections: number;
  readonly postgresUrl: string;
  /** Service on serviceCpus, wrk on loadCpus (undefined: not pinned). */
  readonly serviceCpus?: string;
  readonly loadCpus?: string;
  readonly log?: (line: string) => void;
}

export interface IdentityRun extends MeasuredRun {
  readonly store: IdentityStoreKind;
  readonly algorithm: IdentitySigningAlgorithm;
  readonly operation: IdentityOperation;
  readonly round: number;
}

export interface IdentityFailure {
  readonly store: IdentityStoreKind;
  readonly algorithm: IdentitySigningAlgorithm;
  readonly operation: IdentityOperation | 'start';
  readonly round: number;
  readonly code: string;
  readonly message: string;
}

/** Every (store, algorithm) gets a fresh service per round; a refused run is recorded, never measured. */
export async function runIdentityBenchmark(options: IdentityBenchOptions): Promise<{ runs: IdentityRun[]; failures: IdentityFailure[] }> {
  const log = options.log ?? (() => {});
  const runs: IdentityRun[] = [];
  const failures: IdentityFailure[] = [];
  const settings: LoadSettings = {
    warmupSeconds: options.warmupSeconds,
    durationSeconds: options.durationSeconds,
    connections: options.connections,
    wrkThreads: 1,
    loadCpus: options.loadCpus,
    script: FORM_POST_SCRIPT,
  };
  for (let round = 1; round <= options.rounds; round++) {
    for (const store of options.stores) {
      for (const algorithm of options.algorithms) {
        const dir = mkdtempSync(join(tmpdir(), 'gatehouse-identity-bench-'));
        const failuresBefore = failures.length;
        const schema = store === 'postgres' ? await reserveBenchSchema(options.postgresUrl) : undefined;
        try {
          const identity = await startBenchIdentity({ dir, store, algorithm, cpus: options.serviceCpus, postgres: schema });
          try {
            for (const operation of IDENTITY_OPERATIONS) {
              const label = `round ${round} ${store} ${algorithm} ${operation}`;
              log(`${label}…`);
              try {
                const run = await measurePeer({ url: `${identity.url}${OPERATION_PATHS[operation]}`, rootPid: identity.process.pid, stop: async () => {} }, identity.requestFiles[operation], settings, label);
                runs.push({ store, algorithm, operation, round, ...run });
                log(`${label}: ${Math.round(run.requestsPerSecond)} req/s, p99 ${(run.p99Micros / 1000).toFixed(1)} ms`);
              } catch (error) {
                failures.push({ store, algorithm, operation, round, ...describe(error) });
                log(`${label}: REFUSED — ${(error as Error).message}`);
              }
            }
          } finally {
            await identity.process.stop();
          }
        } catch (error) {
          failures.push({ store, algorithm, operation: 'start', round, ...describe(error) });
          log(`round ${round} ${store} ${algorithm}: could not start — ${(error as Error).message}`);
        } finally {
          await schema?.drop();
          // The service's config and log are kept when something failed, to be read.
          if (failures.length === failuresBefore) rmSync(dir, { recursive: true, force: true });
          else log(`config and log of the service kept in ${dir}`);
        }
      }
    }
  }
  return { runs, failures };
}

function describe(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown }).code;
  return { code: typeof code === 'string' ? code : 'ERR_BENCH_IDENTITY', message: error instanceof Error ? error.message : String(error) };
}
