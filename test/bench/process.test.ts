import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchProcessError, findFreePort, spawnManaged, waitForPort } from '../../bench/process.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const cases = [
  { name: 'never listens', script: 'setInterval(() => {}, 1000)', message: /did not listen on \d+ within 300 ms/ },
  { name: 'exits at start-up', script: 'console.error("config is broken"); process.exit(3)', message: /exited before listening on \d+:\nconfig is broken/ },
];

for (const { name, script, message } of cases) {
  test(`a peer that ${name} fails with its log, and is not left running`, async () => {
    const directory = mkdtempSync(join(tmpdir(), 'bench-process-test-'));
    try {
      const proc = spawnManaged({ name: 'peer', command: process.execPath, args: ['-e', script], logFile: join(directory, 'peer.log') });
      await assert.rejects(waitForPort(proc, await findFreePort(), 300), (error: unknown) => error instanceof BenchProcessError && message.test(error.message));
      assert.equal(alive(proc.pid), false);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
}
