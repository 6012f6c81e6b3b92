// `--workers N` as users run it: a separate process whose cluster primary forks workers that
// share the listener port. The primary aggregates /metrics and /readyz, restarts a killed
// worker, relays SIGHUP as a reload, and stops everything on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually, gatewayYaml, startEchoUpstream, type EchoUpstream } from './gateway-harness.ts';

const workersModule = fileURLToPath(new URL('../../src/gateway/workers.ts', import.meta.url));
const script = `import { runGatewayWorkers } from ${JSON.stringify(workersModule)};
await runGatewayWorkers(JSON.parse(process.env.GATEHOUSE_TEST_OPTIONS));`;

describe('gateway cluster workers', () => {
  let dir: string;
  let configPath: string;
  let logPath: string;
  let echo: EchoUpstream;
  let tea: EchoUpstream;
  let child: ReturnType<typeof spawn>;
  let exited: Promise<number | null>;

  const logLines = async () =>
    (await readFile(logPath, 'utf8').catch(() => ''))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const startedWorkers = async () => (await logLines()).filter((line) => line.msg === 'gateway started');
  let baseUrl = '';
  let adminUrl = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-workers-'));
    configPath = join(dir, 'gateway.yaml');
    logPath = join(dir, 'gateway.log');
    echo = await startEchoUpstream('echo');
    tea = await startEchoUpstream('tea');
    // A GatewayIdentity and a Backend with internalToken: each worker then generates a signing key.
    const internalTokens = `---
apiVersion: gatehouse.dev/v1alpha1
kind: GatewayIdentity
metadata: {name: gateway}
spec: {issuer: "https://gateway.test"}
---
apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata: {name: signed}
spec:
  endpoints: [{url: "${echo.url}"}]
  internalToken: {}
`;
    await writeFile(configPath, gatewayYaml({ upstreams: { echo: echo.url }, routes: [{ name: 'api', pathPrefix: '/api', backend: 'echo' }] }) + internalTokens);
    const options = {
      configPath,
      workers: 2,
      adminAddress: '127.0.0.1:0',
      logDestination: logPath,
      watch: false,
      listenerOverrides: { port: 0, address: '127.0.0.1' },
    };
    // A script file, not `node -e`: cluster workers inherit execArgv, and would re-run an -e script.
    const scriptPath = join(dir, 'run-workers.mjs');
    await writeFile(scriptPath, script);
    child = spawn(process.execPath, [scriptPath], {
      env: { ...process.env, GATEHOUSE_TEST_OPTIONS: JSON.stringify(options) },
      stdio: 'inherit',
    });
    exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    assert.ok(await eventually(async () => (await startedWorkers()).length === 2, 500), 'two workers started');
    assert.ok(await eventually(async () => (await logLines()).some((l) => l.msg === 'gateway cluster started'), 500));
    const ports = new Set((await startedWorkers()).map((l) => (l.listeners as Record<string, { port: number }>)['edge/http'].port));
    assert.equal(ports.size, 1, 'workers share one listener port');
    baseUrl = `http://127.0.0.1:${[...ports][0]}`;
    adminUrl = `http://127.0.0.1:${(await logLines()).find((l) => l.msg === 'gateway cluster started')!.adminPort}`;
  });

  after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all([echo.close(), tea.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  test("the primary's JWKS publishes every worker's internal-token key", async () => {
    const { keys } = (await (await fetch(`${adminUrl}/.well-known/jwks.json`)).json()) as { keys: { kid: string; d?: string }[] };
    assert.equal(new Set(keys.map((key) => key.kid)).size, 2);
    assert.ok(keys.every((key) => key.d === undefined));
  });

  test('requests are served and the primary aggregates /metrics and /readyz over workers', async () => {
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${baseUrl}/api/${i}`, { headers: { connection: 'close' } });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    }
    const metrics = await (await fetch(`${adminUrl}/metrics`)).text();
    assert.match(metrics, /^gatehouse_requests_total\{route="default\/api\/rule-0\/match-0",status_class="2xx"\} 6$/m);
    assert.equal((await fetch(`${adminUrl}/readyz`)).status, 200);
  });

  test('a killed worker is replaced', async () => {
    const [victim] = await startedWorkers();
    process.kill(victim.pid as number, 'SIGKILL');
    assert.ok(await eventually(async () => (await startedWorkers()).length === 3, 500), 'a new worker started');
    assert.ok(await eventually(async () => (await fetch(`${adminUrl}/readyz`)).status === 200, 500));
  });

  test('SIGHUP to the primary reloads every worker', async () => {
    await writeFile(configPath, gatewayYaml({ upstreams: { tea: tea.url }, routes: [{ name: 'api', pathPrefix: '/api', backend: 'tea' }] }));
    child.kill('SIGHUP');
    const allTea = async () => {
      for (let i = 0; i < 6; i++) {
        const response = await fetch(`${baseUrl}/api/x`, { headers: { connection: 'close' } });
        if (((await response.json()) as { upstream: string }).upstream !== 'tea') return false;
      }
      return true;
    };
    assert.ok(await eventually(allTea, 200), 'every worker serves the new config');
  });

  test('SIGTERM stops the workers and the primary', async () => {
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    await assert.rejects(fetch(`${baseUrl}/api/x`));
  });
});
