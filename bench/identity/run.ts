// `npm run bench -- identity [--quick] [--stores sqlite,postgres] [--algorithms RS256,ES256]`:
// runs the identity benchmark, prints the table and writes bench/results/identity.{json,md}.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine, missingCommands } from '../machine.ts';
import { stopAllManaged } from '../process.ts';
import { runIdentityBenchmark } from './identity-bench.ts';
import { renderIdentityMarkdown, summarizeIdentityRuns, type IdentityBenchResults } from './identity-report.ts';
import { DEFAULT_POSTGRES_URL } from './postgres-schema.ts';
import type { IdentitySigningAlgorithm, IdentityStoreKind } from './service-config.ts';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
const STORES: readonly IdentityStoreKind[] = ['sqlite', 'postgres'];
const ALGORITHMS: readonly IdentitySigningAlgorithm[] = ['RS256', 'ES256'];
const USAGE = 'usage: npm run bench -- identity [--quick] [--stores sqlite,postgres] [--algorithms RS256,ES256] [--rounds N] [--duration S] [--warmup S] [--connections N]\n' +
  `       PostgreSQL: GATEHOUSE_BENCH_POSTGRES_URL (default ${DEFAULT_POSTGRES_URL}); a fresh schema per run, dropped after`;

function listOption<T extends string>(name: string, text: string | undefined, allowed: readonly T[]): T[] {
  if (text === undefined) return [...allowed];
  const values = text.split(',').map((value) => value.trim()).filter(Boolean);
  const unknown = values.filter((value) => !allowed.includes(value as T));
  if (unknown.length > 0 || values.length === 0) throw new RangeError(`--${name} takes a list of ${allowed.join(', ')} (got "${text}")`);
  return values as T[];
}

function wholeNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`--${name} must be a whole number of at least 1 (got "${text}")`);
  return value;
}

/** Exit status: 0 all runs clean, 1 a run was refused, 2 usage or environment problem. */
export async function runIdentityCommand(args: string[]): Promise<number> {
  let options;
  try {
    const { values } = parseArgs({
      args,
      options: {
        quick: { type: 'boolean', default: false },
        stores: { type: 'string' },
        algorithms: { type: 'string' },
        rounds: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const machine = describeMachine();
    options = {
      machine,
      stores: listOption('stores', values.stores, STORES),
      algorithms: listOption('algorithms', values.algorithms, ALGORITHMS),
      rounds: wholeNumber('rounds', values.rounds, values.quick ? 1 : 3),
      warmupSeconds: wholeNumber('warmup', values.warmup, values.quick ? 1 : 2),
      durationSeconds: wholeNumber('duration', values.duration, values.quick ? 3 : 7),
      connections: wholeNumber('connections', values.connections, 32),
      postgresUrl: process.env.GATEHOUSE_BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES_URL,
      serviceCpus: machine.cpus >= 2 ? '0' : undefined,
      loadCpus: machine.cpus >= 2 ? '1' : undefined,
    };
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const missing = missingCommands([{ command: 'wrk', debianPackage: 'wrk' }, { command: 'taskset', debianPackage: 'util-linux' }]);
  if (missing.length > 0) {
    console.error(`missing: ${missing.join(', ')}\ninstall with: apt-get install -y <package>`);
    return 2;
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stopAllManaged().finally(() => process.exit(130)));
  }
  const { machine, ...benchOptions } = options;
  const outcome = await runIdentityBenchmark({ ...benchOptions, log: (line) => console.log(line) });
  const results: IdentityBenchResults = {
    generatedAt: new Date().toISOString(),
    machine,
    settings: { rounds: options.rounds, warmupSeconds: options.warmupSeconds, durationSeconds: options.durationSeconds, connections: options.connections, stores: options.stores, algorithms: options.algorithms },
    runs: outcome.runs,
    failures: outcome.failures,
    summary: summarizeIdentityRuns(outcome.runs),
  };
  const markdown = renderIdentityMarkdown(results);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'identity.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, 'identity.md'), markdown);
  console.log(`\n${markdown}\nwritten: bench/results/identity.json, bench/results/identity.md`);
  return outcome.failures.length > 0 ? 1 : 0;
}
