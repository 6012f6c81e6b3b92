// `gatehouse gateway` as an operator starts it: a real process on a real port, stopped by SIGTERM.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { MAIN_SCRIPT, runCli } from './run-cli.ts';

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

const LAUNCHER = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));
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
});
