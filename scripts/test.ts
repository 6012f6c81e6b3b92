// `npm test`: type-check the whole tree, then run every test file with node:test.
// Test files: test/**/*.test.ts (unit tests mirror src/, end-to-end tests live in test/e2e/).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const filter = process.argv.slice(2);
const skipTypecheck = process.env.GATEHOUSE_SKIP_TYPECHECK === '1';
if (!skipTypecheck) {
  console.log('# tsc --noEmit');
  const tsc = spawnSync('tsc', ['--noEmit', '-p', '.'], { stdio: 'inherit', shell: false });
  if (tsc.status !== 0) {
    console.error('type check failed');
    process.exit(tsc.status ?? 1);
  }
}

const files = findTests('test').filter((f) => filter.length === 0 || filter.some((p) => f.includes(p))).sort();
const run = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=120000', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(run.status ?? 1);
