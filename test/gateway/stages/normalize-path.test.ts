import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizePath } from '../../../src/gateway/stages/normalize-path.ts';

// What the router matches for a raw request path; undefined = 400 path_invalid.
const cases: [raw: string, normalized: string | undefined][] = [
  ['/', '/'],
  ['/api/users', '/api/users'],
  ['//admin', '/admin'],
  ['/api//users///x', '/api/users/x'],
  ['/public/../admin', '/admin'],
  ['/public/./admin', '/public/admin'],
  ['/a/b/..', '/a/'],
  ['/..', '/'],
  ['/../../etc/passwd', '/etc/passwd'],
  ['/%61dmin', '/admin'],
  ['/%2e%2e/admin', '/admin'],
  ['/public/%2E%2E/admin', '/admin'],
  ['/a%7e', '/a~'],
  ['/a%20b', '/a%20b'],
  ['/caf%c3%a9', '/caf%C3%A9'],
  ['/a%2Fb', undefined],
  ['/a%2fb', undefined],
  ['/a%5cb', undefined],
  ['/a%5Cb', undefined],
  ['/a\\b', undefined],
  ['/%zz', undefined],
  ['/%4', undefined],
  ['/a%', undefined],
  ['/a\u0000b', undefined],
  ['/a#frag', undefined],
  ['admin', undefined],
  ['*', undefined],
  ['', undefined],
];

for (const [raw, expected] of cases) {
  test(`normalizePath(${JSON.stringify(raw)}) → ${expected === undefined ? 'refused' : JSON.stringify(expected)}`, () => {
    assert.equal(normalizePath(raw), expected);
  });
}
