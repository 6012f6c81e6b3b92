// The whole refusal chain with a real (one-second) wrk run: Lua hook → parser → refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measurePeer } from '../../bench/measure.ts';
import { WrkRunError } from '../../bench/load/wrk.ts';

const wrkMissing = spawnSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' }).status !== 0;
const settings = { warmupSeconds: 1, durationSeconds: 1, connections: 4, wrkThreads: 1 };

async function withServer(everyNthUnauthorized: number, body: (url: string, tokensFile: string) => Promise<void>): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'bench-measure-test-'));
  const tokensFile = join(directory, 'tokens.txt');
  writeFileSync(tokensFile, 'token-a\ntoken-b\n');
  let count = 0;
  const seen = new Set<string>();
  const server: Server = createServer((req, res) => {
    seen.add(req.headers.authorization ?? '');
    count++;
    res.writeHead(everyNthUnauthorized > 0 && count % everyNthUnauthorized === 0 ? 401 : 200).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, tokensFile);
    assert.deepEqual([...seen].sort(), ['Bearer token-a', 'Bearer token-b'], 'every token of the file is sent as a bearer token');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(directory, { recursive: true, force: true });
  }
}

test('a clean run is measured, with CPU per request and RSS of the peer process', { skip: wrkMissing && 'wrk is not installed' }, async () => {
  await withServer(0, async (url, tokensFile) => {
    const run = await measurePeer({ url, rootPid: process.pid, stop: async () => {} }, tokensFile, settings, 'clean');
    assert.ok(run.requests > 0 && run.requestsPerSecond > 0);
    assert.ok(run.p99Micros >= run.p50Micros);
    assert.ok(run.cpuMicrosPerRequest > 0 && run.rssBytes > 0);
  });
});

test('a run in which the peer answers 401 is refused', { skip: wrkMissing && 'wrk is not installed' }, async () => {
  await withServer(7, async (url, tokensFile) => {
    await assert.rejects(
      measurePeer({ url, rootPid: process.pid, stop: async () => {} }, tokensFile, settings, 'peer under test'),
      (error: unknown) => error instanceof WrkRunError && error.code === 'ERR_BENCH_RUN_NON_2XX' && /first: HTTP 401/.test(error.message),
    );
  });
});
