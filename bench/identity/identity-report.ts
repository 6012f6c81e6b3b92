// Medians per (store, algorithm, operation) and the markdown table of the identity benchmark,
// with the issue 7 target: ≥ 2,000 client-credentials tokens per second per core on SQLite.
import { median } from '../stats.ts';
import type { IdentityFailure, IdentityRun } from './identity-bench.ts';

export const TOKENS_PER_SECOND_TARGET = 2_000;

export interface IdentitySummaryRow {
  store: IdentityRun['store'];
  algorithm: IdentityRun['algorithm'];
  operation: IdentityRun['operation'];
  runs: number;
  requestsPerSecond: number;
  p50Micros: number;
  p99Micros: number;
  cpuMicrosPerRequest: number;
  rssBytes: number;
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
  const groups = new Map<string, IdentityRun[]>();
  for (const run of runs) {
    const key = `${run.store}|${run.algorithm}|${run.operation}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => ({
    store: group[0].store,
    algorithm: group[0].algorithm,
    operation: group[0].operation,
    runs: group.length,
    requestsPerSecond: median(group.map((run) => run.requestsPerSecond)),
    p50Micros: median(group.map((run) => run.p50Micros)),
    p99Micros: median(group.map((run) => run.p99Micros)),
    cpuMicrosPerRequest: median(group.map((run) => run.cpuMicrosPerRequest)),
    rssBytes: median(group.map((run) => run.rssBytes)),
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
