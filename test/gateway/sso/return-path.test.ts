import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestPathOf, safeReturnPath } from '../../../src/gateway/sso/return-path.ts';

test('return paths stay on this origin: open-redirect attempts become "/"', () => {
  const cases: [string | undefined, string][] = [
    ['/app/orders?id=7', '/app/orders?id=7'],
    ['/', '/'],
    ['/a/../b', '/b'],
    ['//evil.example/path', '/'],
    ['/\\evil.example', '/'],
    ['\\\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['http:evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['/%0d%0aSet-Cookie:x=1', '/%0d%0aSet-Cookie:x=1'],
    ['/\r\nLocation: https://evil.example', '/'],
    ['', '/'],
    [undefined, '/'],
    [`/${'a'.repeat(3000)}`, '/'],
  ];
  for (const [candidate, expected] of cases) assert.equal(safeReturnPath(candidate), expected, JSON.stringify(candidate));
});

test('the request path comes from origin-form or absolute-form targets', () => {
  assert.equal(requestPathOf('/x?y=1'), '/x?y=1');
  assert.equal(requestPathOf('http://gateway.test/x?y=1'), '/x?y=1');
  assert.equal(requestPathOf('not a url'), undefined);
  assert.equal(safeReturnPath(requestPathOf('http://gateway.test//evil.example')), '/');
});
