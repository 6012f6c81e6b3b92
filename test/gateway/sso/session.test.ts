import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TokenSet } from '../../../src/gateway/sso/oidc-client.ts';
import { RefreshFlights, isSessionContent, sessionFromTokens } from '../../../src/gateway/sso/session.ts';

test('concurrent refreshes of one refresh token make one call, and a late request reuses its result', async () => {
  const flights = new RefreshFlights();
  let calls = 0;
  let release: (tokens: TokenSet) => void = () => {};
  const refresh = () => {
    calls++;
    return new Promise<TokenSet>((resolve) => (release = resolve));
  };
  const waiting = [1, 2, 3].map(() => flights.run('rt-1', refresh, () => assert.fail('no error expected')));
  assert.equal(calls, 1);
  release({ accessToken: 'at-2', accessTokenExpiresAt: 100, refreshToken: 'rt-2' });
  const results = await Promise.all(waiting);
  assert.deepEqual(results.map((tokens) => tokens?.accessToken), ['at-2', 'at-2', 'at-2']);
  // A request still carrying rt-1 must not replay it: the remembered result answers.
  assert.equal((await flights.run('rt-1', refresh, () => assert.fail('no error expected')))?.refreshToken, 'rt-2');
  assert.equal(calls, 1);
});

test('a failed refresh resolves undefined, reports once, and is not retried with the same token', async () => {
  const flights = new RefreshFlights();
  const errors: unknown[] = [];
  let calls = 0;
  const failing = () => {
    calls++;
    return Promise.reject(new Error('invalid_grant'));
  };
  const results = await Promise.all([flights.run('rt', failing, (e) => errors.push(e)), flights.run('rt', failing, (e) => errors.push(e))]);
  assert.deepEqual(results, [undefined, undefined]);
  assert.equal(errors.length, 1);
  assert.equal(await flights.run('rt', failing, (e) => errors.push(e)), undefined);
  assert.equal(calls, 1);
});

test('a refreshed session keeps the refresh and ID token the issuer did not replace', () => {
  const first = sessionFromTokens({ accessToken: 'a1', accessTokenExpiresAt: 10, refreshToken: 'r1', idToken: 'i1' }, 'alice', 5);
  const next = sessionFromTokens({ accessToken: 'a2', accessTokenExpiresAt: 20 }, 'alice', 5, first);
  assert.deepEqual(next, { at: 'a2', atExp: 20, rt: 'r1', idt: 'i1', sub: 'alice', start: 5 });
  assert.equal(isSessionContent(next), true);
  assert.equal(isSessionContent({ ...next, at: 1 }), false);
  assert.equal(isSessionContent(null), false);
});
