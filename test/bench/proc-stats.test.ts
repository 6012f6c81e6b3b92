import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcStat, readProcessTreeUsage } from '../../bench/proc-stats.ts';

test('stat lines are split after the last parenthesis, so odd command names do not shift fields', () => {
  // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
  const line = '4242 (node (worker) 1) S 4200 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0';
  assert.deepEqual(parseProcStat(line), { ppid: 4200, cpuTicks: 300 });
});

test('the usage of a live process tree is read from /proc', () => {
  const usage = readProcessTreeUsage(process.pid);
  assert.ok(usage.cpuMicros > 0);
  assert.ok(usage.rssBytes > 10 * 1048576);
  assert.ok(usage.processCount >= 1);
});
