// Bypass attempts on a protected `/admin` under every pathNormalization mode and escaped-slash
// action: what the router and the policies see (and what goes upstream). `400` = refused,
// `307 →` = redirected to the unescaped path.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compilePathNormalizer } from '../../../src/gateway/stages/normalize-path.ts';
import type { EscapedSlashesAction, PathNormalizationMode } from '../../../src/model/path-normalization.ts';

type Expected = string | 400 | { redirectTo: string };
const MODES: PathNormalizationMode[] = ['NONE', 'BASE', 'MERGE_SLASHES', 'DECODE_AND_MERGE_SLASHES'];

// raw path → expected under NONE, BASE, MERGE_SLASHES, DECODE_AND_MERGE_SLASHES (escaped slashes: REJECT_REQUEST)
const ATTEMPTS: [raw: string, ...expected: [Expected, Expected, Expected, Expected]][] = [
  ['/admin', '/admin', '/admin', '/admin', '/admin'],
  ['//admin', '//admin', '//admin', '/admin', '/admin'],
  ['/public/../admin', '/public/../admin', '/admin', '/admin', '/admin'],
  ['/public/./../admin', '/public/./../admin', '/admin', '/admin', '/admin'],
  ['/%61dmin', '/%61dmin', '/admin', '/admin', '/admin'],
  ['/%2e%2e/admin', '/%2e%2e/admin', '/admin', '/admin', '/admin'],
  ['/public/%2E%2E/admin', '/public/%2E%2E/admin', '/admin', '/admin', '/admin'],
  ['/public//..//admin', '/public//..//admin', '/public//admin', '/admin', '/admin'],
  ['/admin/', '/admin/', '/admin/', '/admin/', '/admin/'],
  ['/admin/x/..', '/admin/x/..', '/admin/', '/admin/', '/admin/'],
  ['/%2fadmin', 400, 400, 400, '/admin'],
  ['/public%2F..%2Fadmin', 400, 400, 400, '/admin'],
  ['/public%5C..%5Cadmin', 400, 400, 400, '/admin'],
  ['/admin\\', '/admin\\', 400, 400, 400],
  ['/a%00dmin', 400, 400, 400, 400],
  ['/a%0admin', '/a%0admin', 400, 400, 400],
  ['/%zzadmin', 400, 400, 400, 400],
  ['/admin#x', 400, 400, 400, 400],
  ['admin', 400, 400, 400, 400],
];

describe('pathNormalization modes (escapedSlashes REJECT_REQUEST)', () => {
  MODES.forEach((mode, index) => {
    const normalize = compilePathNormalizer({ normalization: mode, escapedSlashes: 'REJECT_REQUEST' });
    for (const [raw, ...expected] of ATTEMPTS) {
      const want = expected[index];
      test(`${mode}: ${JSON.stringify(raw)} → ${JSON.stringify(want)}`, () => {
        assert.deepEqual(normalize(raw) ?? 400, want);
      });
    }
  });
});

// raw → expected under KEEP_UNCHANGED, UNESCAPE_AND_FORWARD, UNESCAPE_AND_REDIRECT (mode MERGE_SLASHES, then NONE)
const ACTIONS: EscapedSlashesAction[] = ['KEEP_UNCHANGED', 'UNESCAPE_AND_FORWARD', 'UNESCAPE_AND_REDIRECT'];
const ESCAPED: [mode: PathNormalizationMode, raw: string, ...expected: [Expected, Expected, Expected]][] = [
  ['MERGE_SLASHES', '/public%2F..%2Fadmin', '/public%2F..%2Fadmin', '/admin', { redirectTo: '/admin' }],
  ['MERGE_SLASHES', '/files/a%2fb', '/files/a%2Fb', '/files/a/b', { redirectTo: '/files/a/b' }],
  ['MERGE_SLASHES', '/a%5cb', '/a%5Cb', '/a/b', { redirectTo: '/a/b' }],
  ['MERGE_SLASHES', '/%2F%2Fadmin', '/%2F%2Fadmin', '/admin', { redirectTo: '/admin' }],
  ['MERGE_SLASHES', '/plain/../admin', '/admin', '/admin', '/admin'],
  ['NONE', '/files/a%2fb', '/files/a%2fb', '/files/a/b', { redirectTo: '/files/a/b' }],
  ['NONE', '/x/..%2Fadmin', '/x/..%2Fadmin', '/x/../admin', { redirectTo: '/x/../admin' }],
];

describe('escapedSlashes actions', () => {
  ACTIONS.forEach((action, index) => {
    for (const [mode, raw, ...expected] of ESCAPED) {
      const normalize = compilePathNormalizer({ normalization: mode, escapedSlashes: action });
      test(`${mode} + ${action}: ${JSON.stringify(raw)} → ${JSON.stringify(expected[index])}`, () => {
        assert.deepEqual(normalize(raw) ?? 400, expected[index]);
      });
    }
  });

  test('DECODE_AND_MERGE_SLASHES always unescapes (UNESCAPE_AND_FORWARD), whatever escapedSlashes says', () => {
    const normalize = compilePathNormalizer({ normalization: 'DECODE_AND_MERGE_SLASHES', escapedSlashes: 'REJECT_REQUEST' });
    assert.equal(normalize('/a%2Fb'), '/a/b');
  });
});
