// The process logger batches lines (one write per few KiB): a quiet process's lines must still
// appear promptly, and lines held in the batch must not be lost when the gateway stops on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../src/observability/logger.ts';
import { MAIN_SCRIPT } from '../cli/run-cli.ts';

const workDir = mkdtempSync(join(tmpdir(), 'gatehouse-logger-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

function readLines(path: string): Record<string, unknown>[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Polls until `predicate` holds; fails after 10 s (a generous bound, not a latency assertion). */
async function eventually<T>(read: () => T, predicate: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = read();
    if (predicate(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

describe('createLogger', () => {
  it('writes a lone line (far below the batch size) without waiting for close', async () => {
    const path = join(workDir, 'quiet.log');
    const handle = createLogger({ destination: path });
    try {
      handle.logger.info({ probe: 'quiet' }, 'one line');
      const lines = await eventually(() => readLines(path), (found) => found.length > 0);
      assert.deepEqual(lines.map((line) => [line.probe, line.msg]), [['quiet', 'one line']]);
    } finally {
      await handle.close();
    }
  });

  it('close() writes every held line', async () => {
    const path = join(workDir, 'close.log');
    const handle = createLogger({ destination: path });
    for (let i = 0; i < 10; i++) handle.logger.info({ i }, 'held');
    await handle.close();
    assert.deepEqual(readLines(path).map((line) => line.i), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a gateway stopped by SIGTERM right after serving requests has logged every one of them', async () => {
    const port = await freePort();
    const config = join(workDir, 'gateway.yaml');
    writeFileSync(config, `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: edge\nspec:\n  addresses:\n  - value: 127.0.0.1\n  listeners:\n  - name: http\n    port: ${port}\n    protocol: HTTP\n`);
    const child = spawn(process.execPath, [MAIN_SCRIPT, 'gateway', '--config', config, '--workers', '1', '--admin', 'off', '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const paths = Array.from({ length: 8 }, (_, i) => `/logged-${i}`);
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const up = await fetch(`http://127.0.0.1:${port}/up`).then(() => true, () => false);
        if (up || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (const path of paths) assert.equal((await fetch(`http://127.0.0.1:${port}${path}`)).status, 404);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, stderr);
    const logged = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg?: string; path?: string });
    const requestPaths = logged.filter((line) => line.msg === 'request').map((line) => line.path);
    assert.deepEqual(requestPaths.filter((path) => path !== '/up'), paths);
  });
});
