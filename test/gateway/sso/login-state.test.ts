import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { MAX_PENDING_LOGINS, codeChallengeOf, findPendingLogin, newPendingLogin, pendingLoginsOf, withPendingLogin } from '../../../src/gateway/sso/login-state.ts';

test('a callback state must equal one pending login exactly', () => {
  const a = newPendingLogin('/a');
  const b = newPendingLogin('/b');
  const pending = [a, b];
  assert.equal(findPendingLogin(pending, a.state), a);
  assert.equal(findPendingLogin(pending, b.state), b);
  const cases: (string | null)[] = [null, '', a.state.slice(0, -1), `${a.state}x`, a.state.toUpperCase(), a.nonce, a.verifier];
  for (const state of cases) assert.equal(findPendingLogin(pending, state), undefined, String(state));
  assert.equal(findPendingLogin([], a.state), undefined);
});

test('each login gets fresh 256-bit values and an S256 challenge (RFC 7636 §4.2)', () => {
  const login = newPendingLogin('/x');
  const other = newPendingLogin('/x');
  for (const field of ['state', 'nonce', 'verifier'] as const) {
    assert.match(login[field], /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(login[field], other[field]);
  }
  assert.equal(codeChallengeOf(login.verifier), createHash('sha256').update(login.verifier).digest('base64url'));
});

test('at most a few logins stay pending, the newest kept; malformed entries are dropped on read', () => {
  let pending = [newPendingLogin('/0')];
  for (let i = 1; i < 6; i++) pending = withPendingLogin(pending, newPendingLogin(`/${i}`));
  assert.equal(pending.length, MAX_PENDING_LOGINS);
  assert.deepEqual(pending.map((login) => login.returnPath), ['/3', '/4', '/5']);
  const good = newPendingLogin('/ok');
  assert.deepEqual(pendingLoginsOf({ pending: [good, { state: 1 }, null, 'x', { ...good, nonce: undefined }] }), [good]);
  assert.deepEqual(pendingLoginsOf(undefined), []);
  assert.deepEqual(pendingLoginsOf({ pending: 'nope' }), []);
});
