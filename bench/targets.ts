// Issue 7's targets, checked against a run's medians. They are read here, never asserted in a
// test: a benchmark on a shared or noisy machine informs, it does not gate.
import { ratio, rowFor, type SummaryRow } from './stats.ts';
import { BENCH_ALGORITHMS, type TokenMix } from './tokens.ts';

export interface TargetCheck {
  target: string;
  /** undefined when a peer needed for it was not run (or all its runs failed). */
  measured?: number;
  met?: boolean;
  /** How `measured` reads: a ratio (default) or megabytes. */
  unit?: '×' | 'MB';
}

interface TargetSpec {
  mix: TokenMix;
  /** `${numerator}/${denominator}` peers and the metric compared. */
  numerator: string;
  denominator: string;
  metric: 'requestsPerSecond' | 'p99Micros';
  /** Met when measured ≥ bound (or ≤ bound for `atMost`). */
  bound: number;
  atMost?: boolean;
}

const TARGETS: TargetSpec[] = [
  { mix: 'session', numerator: 'gatehouse-1w', denominator: 'haproxy', metric: 'requestsPerSecond', bound: 1.0 },
  { mix: 'session', numerator: 'gatehouse-1w', denominator: 'fastify', metric: 'requestsPerSecond', bound: 3.0 },
  { mix: 'session', numerator: 'gatehouse-1w', denominator: 'haproxy', metric: 'p99Micros', bound: 1.5, atMost: true },
  { mix: 'distinct', numerator: 'gatehouse-1w', denominator: 'haproxy', metric: 'requestsPerSecond', bound: 0.6 },
  { mix: 'distinct', numerator: 'gatehouse-1w', denominator: 'fastify', metric: 'requestsPerSecond', bound: 1.5 },
  { mix: 'session', numerator: 'gatehouse-2w', denominator: 'gatehouse-1w', metric: 'requestsPerSecond', bound: 1.7 },
];

/** Issue 7: "RSS under 150 MB after 100,000 distinct valid tokens (the cache is bounded)". The
 * distinct run sends more distinct tokens than the cache holds, so its RSS is the bounded one. */
const RSS_LIMIT_MB = 150;

export function checkTargets(rows: readonly SummaryRow[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const alg of BENCH_ALGORITHMS) {
    const distinct = rowFor(rows, 'gatehouse-1w', alg, 'distinct');
    const target = `${alg} distinct: gatehouse-1w RSS ≤ ${RSS_LIMIT_MB} MB`;
    const rssMb = distinct === undefined ? undefined : distinct.rssBytes / 1048576;
    checks.push(rssMb === undefined ? { target } : { target, measured: rssMb, met: rssMb <= RSS_LIMIT_MB, unit: 'MB' });
    for (const spec of TARGETS) {
      const measured = ratio(rowFor(rows, spec.numerator, alg, spec.mix)?.[spec.metric], rowFor(rows, spec.denominator, alg, spec.mix)?.[spec.metric]);
      const metric = spec.metric === 'p99Micros' ? 'p99' : 'req/s';
      const target = `${alg} ${spec.mix}: ${spec.numerator} ÷ ${spec.denominator} ${metric} ${spec.atMost ? '≤' : '≥'} ${spec.bound.toFixed(1)}×`;
      checks.push(measured === undefined ? { target } : { target, measured, met: spec.atMost ? measured <= spec.bound : measured >= spec.bound });
    }
  }
  return checks;
}

export function renderTargets(checks: readonly TargetCheck[]): string[] {
  const lines = ['### Issue 7 targets', '', '| target | measured | met |', '|---|---:|:---:|'];
  for (const check of checks) {
    const measured =
      check.measured === undefined ? 'not run' : check.unit === 'MB' ? `${check.measured.toFixed(0)} MB` : `${check.measured.toFixed(2)}×`;
    lines.push(`| ${check.target} | ${measured} | ${check.met === undefined ? '—' : check.met ? 'yes' : 'no'} |`);
  }
  lines.push('');
  return lines;
}
