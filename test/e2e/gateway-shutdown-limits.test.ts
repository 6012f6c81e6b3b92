// Limits that need requests held in flight (maxConcurrentRequests, maxConnections) and graceful
// shutdown: on SIGTERM the gateway stops accepting, lets in-flight requests finish up to
// drainTimeout, then exits 0 — as one process and as a cluster of workers.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually, gatewayYaml, startHarness, type Harness } from './gateway-harness.ts';

/** An upstream that holds every request until release() (then answers 200 "done"). */
interface HeldUpstream {
  url: string;
  waiting(): number;
  release(): void;
  close(): Promise<void>;
}

async function startHeldUpstream(): Promise<HeldUpstream> {
  let held: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    held.push(() => res.end('done'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    waiting: () => held.length,
    release: () => {
      for (const answer of held) answer();
      held = [];
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function get(baseUrl: string, path: string): Promise<{ status: number; retryAfter?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Connects and hangs up at once: true when the port no longer accepts connections. */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

const optionsYaml = (spec: string) => `---
apiVersion: gatehouse.dev/v1alpha1
kind: GatewayOptions
metadata: {name: options}
spec: ${spec}
`;

describe('per-instance limits', () => {
  let held: HeldUpstream;
  let h: Harness;
  before(async () => {
    held = await startHeldUpstream();
    h = await startHarness({
      configYaml: ({ echo }) =>
        gatewayYaml({
          upstreams: { echo, held: held.url },
          routes: [
            { name: 'api', pathPrefix: '/api', backend: 'echo' },
            { name: 'slow', pathPrefix: '/slow', backend: 'held' },
          ],
        }) + optionsYaml('{limits: {maxConcurrentRequests: 2, maxConnections: 3}}'),
    });
  });
  after(async () => {
    held.release();
    await h.close();
    await held.close();
  });

  test('past maxConcurrentRequests → 503 with Retry-After; served again once they finish', async () => {
    const inFlight = [get(h.baseUrl, '/slow/1'), get(h.baseUrl, '/slow/2')];
    assert.ok(await eventually(async () => held.waiting() === 2));
    const refused = await get(h.baseUrl, '/api/x');
    assert.equal(refused.status, 503);
    assert.equal(refused.retryAfter, '1');
    assert.equal(JSON.parse(refused.body).error, 'overloaded');
    held.release();
    assert.deepEqual((await Promise.all(inFlight)).map((answer) => answer.status), [200, 200]);
    assert.equal((await get(h.baseUrl, '/api/x')).status, 200);
  });

  test('past maxConnections a new connection is closed at once; accepted again once one closes', async () => {
    const port = Number(new URL(h.baseUrl).port);
    const open = (): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.on('error', reject);
      });
    const idle = [await open(), await open(), await open()];
    const excess = await open();
    const closedBeforeAnswer = await new Promise<boolean>((resolve) => {
      let answered = false;
      excess.on('data', () => (answered = true));
      excess.on('close', () => resolve(!answered));
      excess.on('error', () => undefined);
      excess.write('GET /api/x HTTP/1.1\r\nHost: a\r\n\r\n');
    });
    assert.ok(closedBeforeAnswer, 'the excess connection is closed without an answer');
    for (const socket of idle) socket.destroy();
    assert.ok(await eventually(async () => (await get(h.baseUrl, '/api/x').catch(() => ({ status: 0 }))).status === 200));
  });
});

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const SINGLE = `import { startGateway } from ${JSON.stringify(join(repoRoot, 'src/gateway/start-gateway.ts'))};
import { waitForStopSignal } from ${JSON.stringify(join(repoRoot, 'src/cli/stop-signal.ts'))};
const gateway = await startGateway(JSON.parse(process.env.GATEHOUSE_TEST_OPTIONS));
await waitForStopSignal();
await gateway.close();`;
const WORKERS = `import { runGatewayWorkers } from ${JSON.stringify(join(repoRoot, 'src/gateway/workers.ts'))};
await runGatewayWorkers({ ...JSON.parse(process.env.GATEHOUSE_TEST_OPTIONS), workers: 2 });`;

describe('graceful shutdown on SIGTERM', () => {
  const cases = [
    { name: 'one process', script: SINGLE, started: 1, drainTimeout: '10s', releaseAfterMs: 300, expect: 200 },
    { name: 'a cluster of workers', script: WORKERS, started: 2, drainTimeout: '10s', releaseAfterMs: 300, expect: 200 },
    { name: 'one process, request slower than drainTimeout', script: SINGLE, started: 1, drainTimeout: '500ms', releaseAfterMs: undefined, expect: 'cut' },
  ] as const;
  for (const row of cases) {
    test(`${row.name}: in-flight request → ${row.expect}, new connections refused, exit 0`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'gatehouse-shutdown-'));
      const held = await startHeldUpstream();
      try {
        const configPath = join(dir, 'gateway.yaml');
        const logPath = join(dir, 'gateway.log');
        await writeFile(
          configPath,
          gatewayYaml({ upstreams: { held: held.url }, routes: [{ name: 'slow', pathPrefix: '/', backend: 'held' }] }) +
            optionsYaml(`{shutdown: {drainTimeout: ${row.drainTimeout}}}`),
        );
        const scriptPath = join(dir, 'run.mjs');
        await writeFile(scriptPath, row.script);
        const options = { configPath, adminAddress: 'off', logDestination: logPath, watch: false, listenerOverrides: { port: 0, address: '127.0.0.1' } };
        const child = spawn(process.execPath, [scriptPath], { env: { ...process.env, GATEHOUSE_TEST_OPTIONS: JSON.stringify(options) }, stdio: 'inherit' });
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        const startedLines = async () =>
          (await readFile(logPath, 'utf8').catch(() => ''))
            .split('\n')
            .filter((line) => line.includes('"gateway started"'))
            .map((line) => JSON.parse(line) as { listeners: Record<string, { port: number }> });
        assert.ok(await eventually(async () => (await startedLines()).length === row.started, 500), 'gateway started');
        const port = (await startedLines())[0].listeners['edge/http'].port;
        const baseUrl = `http://127.0.0.1:${port}`;

        const inFlight = get(baseUrl, '/work').then((answer) => answer.status, () => 'cut' as const);
        assert.ok(await eventually(async () => held.waiting() === 1));
        child.kill('SIGTERM');
        assert.ok(await eventually(() => connectionRefused(port)), 'new connections are refused once SIGTERM arrived');
        if (row.releaseAfterMs !== undefined) setTimeout(() => held.release(), row.releaseAfterMs);
        assert.equal(await inFlight, row.expect);
        assert.equal(await exited, 0);
      } finally {
        held.release();
        await held.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
