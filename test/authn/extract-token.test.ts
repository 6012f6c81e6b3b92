// The extractor and the shape check alone: which location wins, how values are decoded, what
// is refused unparsed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCompactJws, extractToken, MAX_TOKEN_BYTES } from '../../src/authn/extract-token.ts';
import { AuthnError } from '../../src/authn/errors.ts';
import type { TokenLocation } from '../../src/model/gateway-model.ts';

const locations: TokenLocation[] = [
  { kind: 'header', name: 'authorization', prefix: 'Bearer ' },
  { kind: 'query', name: 'access_token' },
  { kind: 'cookie', name: 'session' },
];
const token = 'aGVhZGVy.cGF5bG9hZA.c2ln';

const rows: { name: string; headers?: Record<string, string>; query?: string; expect: string }[] = [
  { name: 'the first configured location wins', headers: { authorization: `Bearer ${token}`, cookie: 'session=x.y.z' }, query: 'access_token=q.q.q', expect: `header:${token}` },
  { name: 'a percent-encoded query value is decoded', query: `access_token=${token.replace('.', '%2E')}`, expect: `query:${token}` },
  { name: 'a cookie among others', headers: { cookie: `a=1;session=${token} ; b=2` }, expect: `cookie:${token}` },
  { name: 'an empty query value is present but malformed', query: 'access_token=', expect: 'jwt_malformed' },
  { name: 'bad percent-encoding', query: 'access_token=%E0%A4%A', expect: 'jwt_malformed' },
  { name: 'four segments', headers: { authorization: 'Bearer a.b.c.d' }, expect: 'jwt_malformed' },
  { name: 'empty payload segment', headers: { authorization: 'Bearer a..c' }, expect: 'jwt_malformed' },
  { name: 'padding characters', headers: { authorization: 'Bearer a=.b.c' }, expect: 'jwt_malformed' },
  { name: 'unsigned form reaches the alg check', headers: { authorization: 'Bearer a.b.' }, expect: 'header:a.b.' },
  { name: `more than ${MAX_TOKEN_BYTES} bytes`, headers: { cookie: `session=${'a'.repeat(MAX_TOKEN_BYTES)}.b.c` }, expect: 'jwt_too_large' },
  { name: 'nothing', expect: 'none' },
];

for (const row of rows) {
  test(`extract: ${row.name}`, () => {
    let result: string;
    try {
      const found = extractToken(locations, row.headers ?? {}, row.query ?? '');
      if (found) assertCompactJws(found.token);
      result = found ? `${found.location.kind}:${found.token}` : 'none';
    } catch (error) {
      assert.ok(error instanceof AuthnError);
      result = error.code;
    }
    assert.equal(result, row.expect);
  });
}
