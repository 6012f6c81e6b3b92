import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarize, type RunMeasurement } from '../../bench/stats.ts';
import { checkTargets, renderTargets } from '../../bench/targets.ts';

function run(peer: string, mix: 'session' | 'distinct', requestsPerSecond: number, p99Micros: number): RunMeasurement {
  return { peer, alg: 'RS256', mix, round: 1, requests: 1, requestsPerSecond, p50Micros: 1, p99Micros, cpuMicrosPerRequest: 1, rssBytes: 1 };
}

test('targets compare the right peers, metrics and bounds, and say which were not run', () => {
  const rows = summarize([
    run('haproxy', 'session', 12_000, 10_000),
    run('fastify', 'session', 4_000, 40_000),
    run('gatehouse-1w', 'session', 11_000, 16_000),
    run('gatehouse-2w', 'session', 20_000, 9_000),
  ]);
  const byTarget = new Map(checkTargets(rows).map((check) => [check.target, check]));
  const expectations: [string, number | undefined, boolean | undefined][] = [
    ['RS256 session: gatehouse-1w ÷ haproxy req/s ≥ 1.0×', 11 / 12, false],
    ['RS256 session: gatehouse-1w ÷ fastify req/s ≥ 3.0×', 2.75, false],
    ['RS256 session: gatehouse-1w ÷ haproxy p99 ≤ 1.5×', 1.6, false],
    ['RS256 session: gatehouse-2w ÷ gatehouse-1w req/s ≥ 1.7×', 20 / 11, true],
    ['RS256 distinct: gatehouse-1w ÷ haproxy req/s ≥ 0.6×', undefined, undefined],
    ['ES256 session: gatehouse-1w ÷ haproxy req/s ≥ 1.0×', undefined, undefined],
  ];
  for (const [target, measured, met] of expectations) {
    const check = byTarget.get(target);
    assert.ok(check, `target "${target}" is checked`);
    assert.equal(check.met, met, target);
    if (measured === undefined) assert.equal(check.measured, undefined);
    else assert.ok(Math.abs(check.measured! - measured) < 1e-9, target);
  }
  assert.ok(renderTargets(checkTargets(rows)).includes('| RS256 distinct: gatehouse-1w ÷ haproxy req/s ≥ 0.6× | not run | — |'));
});

test('the RSS target reads the 1-worker distinct run in megabytes', () => {
  const rows = summarize([{ ...run('gatehouse-1w', 'distinct', 5_000, 1), rssBytes: 160 * 1048576 }]);
  const lines = renderTargets(checkTargets(rows));
  assert.ok(lines.includes('| RS256 distinct: gatehouse-1w RSS ≤ 150 MB | 160 MB | no |'));
  assert.ok(lines.includes('| ES256 distinct: gatehouse-1w RSS ≤ 150 MB | not run | — |'));
});
