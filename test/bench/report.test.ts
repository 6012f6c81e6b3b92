import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown, type BenchResults } from '../../bench/report.ts';
import { summarize, type RunMeasurement } from '../../bench/stats.ts';

function run(peer: string, requestsPerSecond: number, p99Micros: number, alg: 'RS256' | null = 'RS256'): RunMeasurement {
  return {
    peer,
    alg,
    mix: alg ? 'session' : null,
    round: 1,
    requests: requestsPerSecond * 8,
    requestsPerSecond,
    p50Micros: 2_000,
    p99Micros,
    cpuMicrosPerRequest: 80.25,
    rssBytes: 64 * 1048576,
  };
}

function results(runs: RunMeasurement[], failures: BenchResults['failures'] = []): BenchResults {
  return {
    generatedAt: '2026-11-25T17:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'AMD EPYC', kernel: '6.18.44' },
    settings: { rounds: 1, warmupSeconds: 1, durationSeconds: 3, connections: 64, wrkThreads: 1, sessionTokens: 64, distinctTokens: 10_000 },
    peers: [
      { id: 'nginx', description: 'plain proxy', version: 'nginx/1.22.1', policyGaps: [] },
      { id: 'haproxy', description: 'jwt_verify', version: 'HAProxy 2.6.12', policyGaps: [] },
      { id: 'gatehouse-1w', description: 'Gatehouse CLI', version: 'gatehouse 0.1.0', policyGaps: ['RS256 no token → 200 (expected 401/403)'] },
    ],
    runs,
    failures,
    summary: summarize(runs),
  };
}

test('each scenario table lists every peer with its medians and the Gatehouse ratios', () => {
  const markdown = renderMarkdown(results([run('nginx', 45_000, 4_000, null), run('haproxy', 12_000, 10_000), run('gatehouse-1w', 18_000, 12_000)]));
  const lines = markdown.split('\n');
  assert.ok(lines.includes('### RS256, session tokens'));
  assert.ok(!markdown.includes('### ES256'), 'scenarios without runs are left out');
  const haproxy = lines.find((line) => line.startsWith('| haproxy |'));
  // req/s, p50 ms, p99 ms, CPU µs/req, peer CPU % (80.25 µs × 12,000/s = 96 % of a core), RSS MB,
  // GH1 ÷ peer: req/s, p99, CPU/req; GH2 ÷ peer req/s (no 2-worker run)
  assert.equal(haproxy, '| haproxy | 12,000 | 2.00 | 10.00 | 80.3 | 96 | 64.0 | 1.50× | 1.20× | 1.00× | — |');
  assert.ok(lines.some((line) => line.startsWith('| nginx (no auth) | 45,000 |') && line.includes('| 0.40× |')));
  assert.ok(lines.some((line) => line.startsWith('| gatehouse-1w | 18,000 |') && line.includes('| 1.00× | 1.00× | 1.00× |')));
});

test('policy gaps and failed runs are shown, not hidden', () => {
  const markdown = renderMarkdown(
    results([run('haproxy', 12_000, 10_000)], [
      { peer: 'gatehouse-1w', alg: 'RS256', mix: 'distinct', round: 1, error: 'gatehouse-1w RS256 distinct #1: 10 of 900 responses were not 2xx (first: HTTP 401)\nmore' },
    ]),
  );
  assert.match(markdown, /⚠ policy gap: RS256 no token → 200/);
  assert.match(markdown, /### Failed runs \(not in the medians\)/);
  assert.match(markdown, /- gatehouse-1w RS256 distinct round 1: .*first: HTTP 401\)$/m);
  assert.ok(!markdown.includes('\nmore'), 'only the first line of an error is shown');
});
