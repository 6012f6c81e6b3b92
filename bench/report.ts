// The benchmark's results as data (bench/results/latest.json) and as a markdown report
// (latest.md, also printed): one table per scenario (algorithm × token mix), medians over rounds,
// and the ratio of Gatehouse to each peer.
import { BENCH_ALGORITHMS, TOKEN_MIXES, type BenchAlgorithm, type TokenMix } from './tokens.ts';
import { ratio, rowFor, type RunMeasurement, type SummaryRow } from './stats.ts';
import { checkTargets, renderTargets } from './targets.ts';

export const GATEHOUSE_ONE_WORKER = 'gatehouse-1w';
export const GATEHOUSE_TWO_WORKERS = 'gatehouse-2w';

export interface BenchResults {
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; kernel: string };
  settings: {
    rounds: number;
    warmupSeconds: number;
    durationSeconds: number;
    connections: number;
    wrkThreads: number;
    sessionTokens: number;
    distinctTokens: number;
  };
  /** In the order they ran; each with its description, version and policy-check gaps. */
  peers: { id: string; description: string; version: string; policyGaps: string[] }[];
  runs: RunMeasurement[];
  /** Runs refused (non-2xx, socket errors, a peer that did not start), with the reason. */
  failures: { peer: string; alg: BenchAlgorithm | null; mix: TokenMix | null; round: number; error: string }[];
  summary: SummaryRow[];
}

function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function formatRatio(value: number | undefined): string {
  return value === undefined ? '—' : `${value.toFixed(2)}×`;
}

function formatMillis(micros: number): string {
  return (micros / 1000).toFixed(2);
}

/** Share of one core the peer used during the run (100 % = one core saturated). A 1-worker peer
 * well below 100 % was not the bottleneck: the load generator or the machine was. */
function busyPercent(row: SummaryRow): number {
  return (row.cpuMicrosPerRequest * row.requestsPerSecond) / 10_000;
}

function scenarioTable(results: BenchResults, alg: BenchAlgorithm, mix: TokenMix): string[] {
  const rows = results.peers
    .map((peer) => rowFor(results.summary, peer.id, alg, mix))
    .filter((row): row is SummaryRow => row !== undefined);
  if (!rows.some((row) => row.alg !== null)) return [];
  const oneWorker = rowFor(results.summary, GATEHOUSE_ONE_WORKER, alg, mix);
  const twoWorkers = rowFor(results.summary, GATEHOUSE_TWO_WORKERS, alg, mix);
  const lines = [
    `### ${alg}, ${mix} tokens`,
    '',
    '| peer | req/s | p50 ms | p99 ms | CPU µs/req | peer CPU % | RSS MB | GH 1w ÷ peer req/s | GH 1w ÷ peer p99 | GH 1w ÷ peer CPU/req | GH 2w ÷ peer req/s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.peer}${row.alg === null ? ' (no auth)' : ''} | ${formatNumber(row.requestsPerSecond)} | ${formatMillis(row.p50Micros)} | ` +
        `${formatMillis(row.p99Micros)} | ${formatNumber(row.cpuMicrosPerRequest, 1)} | ${formatNumber(busyPercent(row))} | ` +
        `${formatNumber(row.rssBytes / 1048576, 1)} | ` +
        `${formatRatio(ratio(oneWorker?.requestsPerSecond, row.requestsPerSecond))} | ` +
        `${formatRatio(ratio(oneWorker?.p99Micros, row.p99Micros))} | ` +
        `${formatRatio(ratio(oneWorker?.cpuMicrosPerRequest, row.cpuMicrosPerRequest))} | ` +
        `${formatRatio(ratio(twoWorkers?.requestsPerSecond, row.requestsPerSecond))} |`,
    );
  }
  lines.push('');
  return lines;
}

export function renderMarkdown(results: BenchResults): string {
  const { settings, machine } = results;
  const lines = [
    `## Gatehouse benchmark — ${results.generatedAt}`,
    '',
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), Linux ${machine.kernel}. ` +
      `wrk: ${settings.connections} connections, ${settings.wrkThreads} thread(s), ${settings.warmupSeconds} s warm-up + ` +
      `${settings.durationSeconds} s measured, ${settings.rounds} interleaved round(s), medians. ` +
      `Session mix: ${formatNumber(settings.sessionTokens)} tokens (one per connection); distinct mix: ` +
      `${formatNumber(settings.distinctTokens)} tokens round-robin.`,
    '',
    'Ratios: Gatehouse ÷ peer. For req/s, above 1.00× means Gatehouse is faster; for p99 and CPU per request, below 1.00× means Gatehouse is faster / cheaper. ' +
      '"peer CPU %" is the share of one core the peer used: a pinned peer well under 100 % was not what limited req/s ' +
      '(the load generator or other load on the machine was), and then CPU µs/req is the fairer comparison.',
    '',
  ];
  for (const alg of BENCH_ALGORITHMS) for (const mix of TOKEN_MIXES) lines.push(...scenarioTable(results, alg, mix));
  lines.push(...renderTargets(checkTargets(results.summary)));
  lines.push('### Peers', '');
  for (const peer of results.peers) {
    lines.push(`- **${peer.id}** — ${peer.description}. ${peer.version}.`);
    for (const gap of peer.policyGaps) lines.push(`  - ⚠ policy gap: ${gap}`);
  }
  if (results.failures.length > 0) {
    lines.push('', '### Failed runs (not in the medians)', '');
    for (const f of results.failures) {
      lines.push(`- ${f.peer} ${f.alg ?? ''} ${f.mix ?? ''} round ${f.round}: ${f.error.split('\n')[0]}`);
    }
  }
  lines.push('');
  return lines.join('\n');
}
