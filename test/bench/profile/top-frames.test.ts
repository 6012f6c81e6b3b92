import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTopFrames, topFrames, type CpuProfile } from '../../../bench/profile/top-frames.ts';

const frame = (id: number, functionName: string, url: string, lineNumber: number) => ({ id, callFrame: { functionName, url, lineNumber } });

const PROFILE: CpuProfile = {
  nodes: [
    frame(1, '(idle)', '', -1),
    frame(2, 'verifyToken', 'file:///work/main/src/authn/verify-token.ts', 35),
    frame(3, 'redactPaths', 'file:///work/main/node_modules/@pinojs/redact/index.js', 198),
    frame(4, 'verifyToken', 'file:///work/main/src/authn/verify-token.ts', 35),
  ],
  samples: [1, 2, 3, 4, 2],
  timeDeltas: [100, 300, 200, 100, 300],
};

test('self time is summed per function and location, largest first, as a share of all samples', () => {
  assert.deepEqual(topFrames(PROFILE, 2), [
    { frame: 'verifyToken src/authn/verify-token.ts:36', selfPercent: 70 },
    { frame: 'redactPaths @pinojs/redact/index.js:199', selfPercent: 20 },
  ]);
});

test('frames print one per line with their share', () => {
  assert.equal(formatTopFrames(topFrames(PROFILE, 3)).split('\n')[2], ' 10.0%  (idle)');
});
