import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, ratio, rowFor, summarize, type RunMeasurement } from '../../bench/stats.ts';

test('median of odd and even counts, unsorted input', () => {
  const cases: [number[], number][] = [
    [[5], 5],
    [[3, 1, 2], 2],
    [[10, 40, 20, 30], 25],
    [[7, 7, 1, 100, 7], 7],
  ];
  for (const [values, expected] of cases) assert.equal(median(values), expected, `median(${values})`);
});

test('median of nothing is an error, not NaN', () => {
  assert.throws(() => median([]), RangeError);
});

test('ratio divides, and is undefined without a usable denominator', () => {
  assert.equal(ratio(12_000, 4_000), 3);
  assert.equal(ratio(5, 0), undefined);
  assert.equal(ratio(undefined, 10), undefined);
  assert.equal(ratio(10, undefined), undefined);
});

function run(peer: string, round: number, requestsPerSecond: number, alg: 'RS256' | null = 'RS256'): RunMeasurement {
  return {
    peer,
    alg,
    mix: alg ? 'session' : null,
    round,
    requests: requestsPerSecond * 10,
    requestsPerSecond,
    p50Micros: requestsPerSecond / 10,
    p99Micros: requestsPerSecond / 5,
    cpuMicrosPerRequest: 1_000_000 / requestsPerSecond,
    rssBytes: round * 1_000_000,
  };
}

test('summarize takes the median of each metric per peer and scenario, keeping run order', () => {
  const runs = [
    run('haproxy', 1, 12_000), run('gatehouse-1w', 1, 15_000),
    run('haproxy', 2, 11_000), run('gatehouse-1w', 2, 30_000),
    run('haproxy', 3, 13_000), run('gatehouse-1w', 3, 14_000),
  ];
  const rows = summarize(runs);
  assert.deepEqual(rows.map((r) => [r.peer, r.runs, r.requestsPerSecond, r.rssBytes]), [
    ['haproxy', 3, 12_000, 2_000_000],
    ['gatehouse-1w', 3, 15_000, 2_000_000],
  ]);
  assert.equal(rows[1].p99Micros, 3_000);
  assert.equal(ratio(rows[1].requestsPerSecond, rows[0].requestsPerSecond), 1.25);
});

test('rowFor finds the scenario row, and the no-auth reference row for any scenario', () => {
  const rows = summarize([run('nginx', 1, 40_000, null), run('haproxy', 1, 12_000)]);
  assert.equal(rowFor(rows, 'haproxy', 'RS256', 'session')?.requestsPerSecond, 12_000);
  assert.equal(rowFor(rows, 'haproxy', 'ES256', 'session'), undefined);
  assert.equal(rowFor(rows, 'nginx', 'ES256', 'distinct')?.requestsPerSecond, 40_000);
});
