#!/usr/bin/env node
// The package.json `bin` entry, and the way every long-running Gatehouse process is started
// (`npm start`, `npm run gatehouse`, the Docker image, the benchmark). Before the TypeScript CLI
// loads, it sets up the runtime (docs/performance.md, "Runtime"):
// - Node 24: Gatehouse runs TypeScript natively, which needs Node.js 24; a machine's system node
//   may be older, so the launcher re-runs itself with the Node 24 pinned in this package's
//   devDependencies (node_modules/.bin/node) when the running one is too old.
// - Node's compile cache: after the first start, modules load from cached code instead of being
//   type-stripped again, so the stripper (a WebAssembly module, ~17 MB of RSS for the life of
//   the process) is never loaded and start-up is faster.
// - A small V8 heap for the serving commands. V8 sizes the young generation from the machine's
//   memory (up to 128 MB on a 24 GB machine) and lets the old generation grow to several times
//   its live size; a gateway fills both with short-lived request garbage and keeps the pages as
//   RSS. 4 MB semi-spaces and an old generation that grows by half its live size keep RSS after
//   100,000 distinct tokens at ~142 MB instead of ~260 MB, for ~3 % more time in GC on a cached
//   request (docs/performance.md, "Runtime"). A flag of the same name given on node's command
//   line (or --max-semi-space-size in NODE_OPTIONS) wins.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVING_COMMANDS = new Set(['gateway', 'identity', 'demo']);
/** V8 heap flags for the serving commands (see above), as `name=value`. */
const SERVING_HEAP_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=50'];

const launcher = fileURLToPath(import.meta.url);
const packageRoot = join(dirname(launcher), '..');
const mainScript = join(packageRoot, 'src', 'cli', 'main.ts');
const major = Number(process.versions.node.split('.')[0]);

/** Node flags this command should run with that it does not have yet. */
function missingNodeFlags() {
  if (!SERVING_COMMANDS.has(process.argv[2])) return [];
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].map((flag) => flag.split('=')[0]);
  return SERVING_HEAP_FLAGS.filter((flag) => !given.includes(flag.split('=')[0]));
}

if (major >= 24) {
  const flags = missingNodeFlags();
  // execve replaces this process (same PID, same signals and stdio), so nothing supervises a child.
  if (flags.length > 0 && process.platform !== 'win32') {
    process.execve(process.execPath, [process.execPath, ...process.execArgv, ...flags, launcher, ...process.argv.slice(2)]);
  }
  module.enableCompileCache();
  await import(mainScript);
} else {
  const pinnedNode = join(packageRoot, 'node_modules', '.bin', 'node');
  if (!existsSync(pinnedNode)) {
    process.stderr.write(
      `gatehouse: Node.js >= 24 is required (this is ${process.version}) and ${pinnedNode} is missing; run npm install\n`,
    );
    process.exit(1);
  }
  const child = spawn(pinnedNode, [...missingNodeFlags(), launcher, ...process.argv.slice(2)], { stdio: 'inherit' });
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
