// `gatehouse gateway` as an operator starts it: a real process on a real port, stopped by SIGTERM.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LAUNCHER, MAIN_SCRIPT, runCli } from './run-cli.ts';

const workDir = mkdtempSync(join(tmpdir(), 'gatehouse-gateway-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

/** The CLI binds configured ports, so ask the OS for one that is free right now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function gatewayConfig(port: number): string {
  const path = join(workDir, `gateway-${port}.yaml`);
  writeFileSync(
    path,
    `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
spec:
  addresses:
  - value: 127.0.0.1
  listeners:
  - name: http
    port: ${port}
    protocol: HTTP
`,
  );
  return path;
}

async function getUntilUp(url: string, timeoutMs = 30_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => existsSync(path));
const systemNodeIsOld = systemNode !== undefined && Number(spawnSync(systemNode, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.split('.')[0]) < 24;

const ways: { name: string; command: string[]; workers: number; skip?: string | false }[] = [
  { name: '--workers 1', command: [process.execPath, MAIN_SCRIPT], workers: 1 },
  { name: '--workers 2', command: [process.execPath, MAIN_SCRIPT], workers: 2 },
  {
    name: 'bin/gatehouse.js under the older system node (SIGTERM forwarded to the Node 24 child)',
    command: [systemNode ?? 'node', LAUNCHER],
    workers: 1,
    skip: systemNodeIsOld ? false : 'no system node older than 24 on this machine',
  },
];

describe('gatehouse gateway', () => {
  for (const { name, command, workers, skip } of ways) {
    it(`${name}: serves the configured listener and stops cleanly on SIGTERM`, { skip }, async () => {
      const port = await freePort();
      const [executable, ...prefix] = command;
      const args = [...prefix, 'gateway', '--config', gatewayConfig(port), '--workers', String(workers), '--admin', 'off', '--log-level', 'warn'];
      const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.stdout.resume();
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const response = await getUntilUp(`http://127.0.0.1:${port}/anything`);
        assert.equal(response.status, 404);
        assert.deepEqual(await response.json(), { error: 'route_not_found', message: 'No route matches the request' });
      } finally {
        child.kill('SIGTERM');
      }
      assert.equal(await exited, 0, stderr);
      await assert.rejects(fetch(`http://127.0.0.1:${port}/`), 'the port is closed once the command exited');
    });
  }

  it('refuses an invalid config with every problem on stderr, exit 1', async () => {
    const path = join(workDir, 'invalid.yaml');
    writeFileSync(path, 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: edge\nspec:\n  listeners: []\n');
    for (const workers of ['1', '2']) {
      const result = await runCli(['gateway', '--config', path, '--workers', workers, '--admin', 'off']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: document 0 \\(Gateway/edge\\): spec\\.listeners: `, 'm'));
    }
  });

  // bin/gatehouse.js gives the serving commands a small V8 heap (docs/performance.md, "Runtime")
  // by replacing its own process image: the PID a supervisor started keeps serving and gets SIGTERM.
  const heapFlagCases: { name: string; nodeOptions?: string; expected: string[]; absent: string[] }[] = [
    { name: 'adds the serving heap flags', expected: ['--max-semi-space-size=4', '--heap-growing-percent=50'], absent: [] },
    { name: 'keeps a semi-space size given in NODE_OPTIONS', nodeOptions: '--max-semi-space-size=16', expected: ['--heap-growing-percent=50'], absent: ['--max-semi-space-size=4'] },
  ];
  for (const { name, nodeOptions, expected, absent } of heapFlagCases) {
    it(`bin/gatehouse.js ${name}, in the process it was started as, and fills the compile cache`, async () => {
      const port = await freePort();
      const compileCache = mkdtempSync(join(workDir, 'compile-cache-'));
      const env = { ...process.env, NODE_COMPILE_CACHE: compileCache, ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) };
      const child = spawn(process.execPath, [LAUNCHER, 'gateway', '--config', gatewayConfig(port), '--admin', 'off', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'], env });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.stdout.resume();
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        assert.equal((await getUntilUp(`http://127.0.0.1:${port}/`)).status, 404);
        const commandLine = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
        for (const flag of expected) assert.ok(commandLine.includes(flag), `${flag} in ${commandLine.join(' ')}`);
        for (const flag of absent) assert.ok(!commandLine.includes(flag), `${flag} not in ${commandLine.join(' ')}`);
        assert.ok(commandLine.includes('gateway'), 'the same PID runs the gateway');
        assert.ok(readdirSync(compileCache, { recursive: true }).length > 0, 'the compile cache was written');
      } finally {
        child.kill('SIGTERM');
      }
      assert.equal(await exited, 0, stderr);
    });
  }

  it('bin/gatehouse.js starts one-shot commands once, without the heap flags', () => {
    // Loaded by every node process image the launcher runs: an execve would print twice.
    const probe = join(workDir, 'exec-probe.mjs');
    writeFileSync(probe, 'process.stderr.write(`exec-probe ${JSON.stringify(process.execArgv)}\\n`);\n');
    const result = spawnSync(process.execPath, [LAUNCHER, '--version'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--import ${probe}` } });
    assert.equal(result.status, 0, result.stderr);
    const images = result.stderr.split('\n').filter((line) => line.startsWith('exec-probe '));
    assert.equal(images.length, 1, result.stderr);
    assert.doesNotMatch(images[0], /max-semi-space-size|heap-growing-percent/);
  });
});
