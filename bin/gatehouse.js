#!/usr/bin/env node
// The package.json `bin` entry. Gatehouse runs TypeScript natively, which needs Node.js 24; a
// machine's system node may be older, so re-exec with the Node 24 pinned in this package's
// devDependencies (node_modules/.bin/node) when the running one is too old.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const mainScript = join(packageRoot, 'src', 'cli', 'main.ts');
const major = Number(process.versions.node.split('.')[0]);

if (major >= 24) {
  await import(mainScript);
} else {
  const pinnedNode = join(packageRoot, 'node_modules', '.bin', 'node');
  if (!existsSync(pinnedNode)) {
    process.stderr.write(
      `gatehouse: Node.js >= 24 is required (this is ${process.version}) and ${pinnedNode} is missing; run npm install\n`,
    );
    process.exit(1);
  }
  const child = spawn(pinnedNode, [mainScript, ...process.argv.slice(2)], { stdio: 'inherit' });
  // The child shares our terminal, so Ctrl-C reaches it directly; forward what a supervisor
  // sends to this launcher only (kill PID, systemd stop).
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  process.on('SIGINT', () => {});
  child.on('exit', (code, signal) => {
    if (signal) {
      // Die of the same signal so the caller sees what happened to the real process.
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else {
      process.exit(code ?? 1);
    }
  });
}
