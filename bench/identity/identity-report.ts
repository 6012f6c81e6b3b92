// Medians per (store, algorithm, operation) and the markdown table of the identity benchmark,
// with the issue 7 target: ≥ 2,000 client-credentials tokens per second per core on SQLite.
import { medianRuns, type MedianRun } from '../stats.ts';
import type { IdentityFailure, IdentityRun } from './identity-bench.ts';

export const TOKENS_PER_SECOND_TARGET = 2_000;

export interface IdentitySummaryRow extends MedianRun {
  store: IdentityRun['store'];
  algorithm: IdentityRun['algorithm'];
  operation: IdentityRun['operation'];
}

export interface IdentityBenchResults {
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; kernel: string };
  settings: Record<string, unknown>;
  runs: IdentityRun[];
  failures: IdentityFailure[];
  summary: IdentitySummaryRow[];
}

export function summarizeIdentityRuns(runs: readonly IdentityRun[]): IdentitySummaryRow[] {
  return medianRuns(runs, (run) => `${run.store}|${run.algorithm}|${run.operation}`).map(({ first, medians }) => ({
    store: first.store,
    algorithm: first.algorithm,
    operation: first.operation,
    ...medians,
  }));
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (micros: number) => (micros / 1000).toFixed(2);

export function renderIdentityMarkdown(results: IdentityBenchResults): string {
  const lines = [
    `Identity service, ${results.generatedAt} — ${results.machine.cpus} CPUs (${results.machine.cpuModel}); ` +
      `service pinned to core 0, wrk to core 1; ${String(results.settings.connections)} connections; ` +
      `${String(results.settings.rounds)} round(s) of ${String(results.settings.warmupSeconds)} s warm-up + ${String(results.settings.durationSeconds)} s measured, medians.`,
    '',
    '| store | keys | operation | req/s | p50 ms | p99 ms | CPU µs/req | req/s per core (from CPU) | RSS MB | runs |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of results.summary) {
    lines.push(
      `| ${row.store} | ${row.algorithm} | ${row.operation === 'token' ? 'client-credentials token' : 'introspection (refresh token)'} | ` +
        `${integer(row.requestsPerSecond)} | ${ms(row.p50Micros)} | ${ms(row.p99Micros)} | ${row.cpuMicrosPerRequest.toFixed(0)} | ` +
        `${integer(1_000_000 / row.cpuMicrosPerRequest)} | ${(row.rssBytes / 1024 / 1024).toFixed(1)} | ${row.runs} |`,
    );
  }
  lines.push('', `Target (issue 7): ≥ ${integer(TOKENS_PER_SECOND_TARGET)} client-credentials tokens/s per core on SQLite.`, '');
  lines.push('| keys | measured tokens/s (one pinned core) | ÷ target | met |', '|---|---:|---:|:---:|');
  for (const row of results.summary.filter((entry) => entry.store === 'sqlite' && entry.operation === 'token')) {
    const ratio = row.requestsPerSecond / TOKENS_PER_SECOND_TARGET;
    lines.push(`| ${row.algorithm} | ${integer(row.requestsPerSecond)} | ${ratio.toFixed(2)}× | ${ratio >= 1 ? 'yes' : 'no'} |`);
  }
  if (results.failures.length > 0) {
    lines.push('', '**Refused runs** (never in a median):', '');
    for (const failure of results.failures) lines.push(`- round ${failure.round} ${failure.store} ${failure.algorithm} ${failure.operation}: ${failure.code} — ${failure.message.split('\n')[0]}`);
  }
  return `${lines.join('\n')}\n`;
}
