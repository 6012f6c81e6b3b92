// The identity benchmark's harness, with tiny durations (numbers are never asserted): a real run
// against the real identity service on SQLite and on PostgreSQL (a fresh schema, dropped after),
// the refusal of a run whose answers are 200 but not what was asked for (introspection answers
// 200 `{"active":false}` for an unknown token), and the medians and target ratio of the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runIdentityBenchmark, type IdentityRun } from '../../bench/identity/identity-bench.ts';
import { renderIdentityMarkdown, summarizeIdentityRuns, TOKENS_PER_SECOND_TARGET } from '../../bench/identity/identity-report.ts';
import { DEFAULT_POSTGRES_URL } from '../../bench/identity/postgres-schema.ts';
import { measurePeer } from '../../bench/measure.ts';

const wrkMissing = spawnSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' }).status !== 0;
const FORM_POST_SCRIPT = fileURLToPath(new URL('../../bench/load/form-post.lua', import.meta.url));

async function benchSchemas(): Promise<string[]> {
  const client = new pg.Client({ connectionString: DEFAULT_POSTGRES_URL });
  await client.connect();
  try {
    const result = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bench_identity_%'");
    return result.rows.map((row) => row.nspname);
  } finally {
    await client.end();
  }
}

test('a tiny run measures token issuance and introspection on SQLite and PostgreSQL, and drops its schema', { skip: wrkMissing && 'wrk is not installed', timeout: 120_000 }, async () => {
  const schemasBefore = await benchSchemas();
  const outcome = await runIdentityBenchmark({
    stores: ['sqlite', 'postgres'],
    algorithms: ['ES256'],
    rounds: 1,
    warmupSeconds: 1,
    durationSeconds: 1,
    connections: 4,
    postgresUrl: DEFAULT_POSTGRES_URL,
  });
  assert.deepEqual(outcome.failures, []);
  assert.deepEqual(outcome.runs.map((run) => `${run.store} ${run.operation}`), ['sqlite token', 'sqlite introspection', 'postgres token', 'postgres introspection']);
  for (const run of outcome.runs) {
    assert.ok(run.requests > 0 && run.requestsPerSecond > 0, `${run.store} ${run.operation} made requests`);
    assert.ok(run.p99Micros >= run.p50Micros && run.cpuMicrosPerRequest > 0 && run.rssBytes > 0);
  }
  assert.deepEqual(await benchSchemas(), schemasBefore, 'the PostgreSQL schema is dropped after the run');
});

test('form-post.lua refuses a 200 whose body lacks the expected text', { skip: wrkMissing && 'wrk is not installed' }, async () => {
  const directory = mkdtempSync(join(tmpdir(), 'bench-identity-test-'));
  const requestFile = join(directory, 'introspection.req');
  writeFileSync(requestFile, 'Basic YTpi\ntoken=abc\n"active":true\n');
  const seen: string[] = [];
  let count = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk)).on('end', () => {
      seen.push(`${req.method} ${req.headers.authorization} ${req.headers['content-type']} ${body}`);
      // Every 5th answer is the "unknown token" answer: HTTP 200, but not active.
      res.writeHead(200, { 'content-type': 'application/json' }).end(++count % 5 === 0 ? '{"active":false}' : '{"active":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token/introspection`;
    const settings = { warmupSeconds: 1, durationSeconds: 1, connections: 2, wrkThreads: 1, script: FORM_POST_SCRIPT };
    await assert.rejects(measurePeer({ url, rootPid: process.pid, stop: async () => {} }, requestFile, settings, 'inactive answers'), { code: 'ERR_BENCH_RUN_NON_2XX' });
    assert.equal(new Set(seen).size, 1);
    assert.equal(seen[0], 'POST Basic YTpi application/x-www-form-urlencoded token=abc');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(directory, { recursive: true, force: true });
  }
});

test('the report takes medians per store, algorithm and operation and compares SQLite tokens/s with the target', () => {
  const run = (store: IdentityRun['store'], operation: IdentityRun['operation'], requestsPerSecond: number, round: number): IdentityRun => ({
    store, algorithm: 'RS256', operation, round, requests: requestsPerSecond, requestsPerSecond, p50Micros: 1000, p99Micros: 2000 * round, cpuMicrosPerRequest: 500, rssBytes: 100 * 1024 * 1024,
  });
  const runs = [run('sqlite', 'token', 1000, 1), run('sqlite', 'token', 3000, 2), run('sqlite', 'token', 1500, 3), run('postgres', 'token', 900, 1)];
  const summary = summarizeIdentityRuns(runs);
  assert.deepEqual(summary.map((row) => [row.store, row.operation, row.runs, row.requestsPerSecond, row.p99Micros]), [
    ['sqlite', 'token', 3, 1500, 4000],
    ['postgres', 'token', 1, 900, 2000],
  ]);
  const markdown = renderIdentityMarkdown({ generatedAt: 'now', machine: { cpus: 2, cpuModel: 'test', kernel: 'test' }, settings: {}, runs, failures: [], summary });
  assert.match(markdown, new RegExp(`\\| RS256 \\| 1,500 \\| ${(1500 / TOKENS_PER_SECOND_TARGET).toFixed(2)}× \\| no \\|`));
  assert.doesNotMatch(markdown, /\| RS256 \| 900 \|/, 'only SQLite is compared with the target');
});
