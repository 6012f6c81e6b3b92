// Medians over rounds and the Gatehouse-to-peer ratios the report prints. Medians, not means:
// one noisy round (a GC pause, a neighbour on the machine) must not move the result.
import type { BenchAlgorithm, TokenMix } from './tokens.ts';
import type { MeasuredRun } from './measure.ts';

/** One measured wrk run of one peer in one scenario. `alg`/`mix` are null for the no-auth peer. */
export interface RunMeasurement extends MeasuredRun {
  peer: string;
  alg: BenchAlgorithm | null;
  mix: TokenMix | null;
  round: number;
}

/** The medians of one scenario's rounds. */
export interface MedianRun {
  runs: number;
  requestsPerSecond: number;
  p50Micros: number;
  p99Micros: number;
  cpuMicrosPerRequest: number;
  rssBytes: number;
}

export interface SummaryRow extends MedianRun {
  peer: string;
  alg: BenchAlgorithm | null;
  mix: TokenMix | null;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** numerator ÷ denominator, or undefined when the denominator is missing or zero. */
export function ratio(numerator: number | undefined, denominator: number | undefined): number | undefined {
  if (numerator === undefined || denominator === undefined || denominator === 0) return undefined;
  return numerator / denominator;
}

/** Group runs by (peer, alg, mix), keeping the first-seen order, and take the median of each metric. */
/** Runs grouped by `key` (first-seen order), each group reduced to its medians. */
export function medianRuns<Run extends MeasuredRun>(runs: readonly Run[], key: (run: Run) => string): Array<{ first: Run; medians: MedianRun }> {
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    const group = groups.get(key(run)) ?? [];
    group.push(run);
    groups.set(key(run), group);
  }
  return [...groups.values()].map((group) => ({
    first: group[0],
    medians: {
      runs: group.length,
      requestsPerSecond: median(group.map((r) => r.requestsPerSecond)),
      p50Micros: median(group.map((r) => r.p50Micros)),
      p99Micros: median(group.map((r) => r.p99Micros)),
      cpuMicrosPerRequest: median(group.map((r) => r.cpuMicrosPerRequest)),
      rssBytes: median(group.map((r) => r.rssBytes)),
    },
  }));
}

export function summarize(runs: readonly RunMeasurement[]): SummaryRow[] {
  return medianRuns(runs, (run) => `${run.peer}|${run.alg}|${run.mix}`).map(({ first, medians }) => ({
    peer: first.peer,
    alg: first.alg,
    mix: first.mix,
    ...medians,
  }));
}

/** The row of `peer` that applies to a scenario; the no-auth peer (alg null) applies to every one. */
export function rowFor(rows: readonly SummaryRow[], peer: string, alg: BenchAlgorithm, mix: TokenMix): SummaryRow | undefined {
  return rows.find((row) => row.peer === peer && ((row.alg === alg && row.mix === mix) || row.alg === null));
}
