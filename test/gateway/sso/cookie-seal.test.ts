import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createCookieSealer } from '../../../src/gateway/sso/cookie-seal.ts';
import { SsoError } from '../../../src/gateway/sso/sso-error.ts';

const NOW = 1_800_000_000;
const oldKey = randomBytes(32);
const newKey = randomBytes(32);

async function refused(promise: Promise<unknown>, code = 'sso_cookie_invalid'): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof SsoError && error.code === code);
}

test('a sealed session opens again with the same key and hides its content', async () => {
  const sealer = createCookieSealer([oldKey]);
  const sealed = await sealer.seal('session', { at: 'access-token-value', sub: 'alice' }, NOW + 60);
  assert.equal(sealed.split('.').length, 5, 'compact JWE');
  assert.doesNotMatch(Buffer.from(sealed.replace(/\./g, ''), 'base64url').toString('latin1'), /access-token-value/);
  const opened = await sealer.unseal<{ at: string; sub: string }>('session', sealed, NOW);
  assert.equal(opened.at, 'access-token-value');
  assert.equal(opened.sub, 'alice');
});

test('tampering with any part of the sealed value is refused', async () => {
  const sealer = createCookieSealer([oldKey]);
  const sealed = await sealer.seal('session', { at: 'token' }, NOW + 60);
  const parts = sealed.split('.');
  for (const index of [0, 2, 3, 4]) {
    const changed = [...parts];
    const bytes = Buffer.from(changed[index], 'base64url');
    bytes[bytes.length - 1] ^= 0x01;
    changed[index] = bytes.toString('base64url');
    await refused(sealer.unseal('session', changed.join('.'), NOW));
  }
  await refused(sealer.unseal('session', 'not-a-jwe', NOW));
  await refused(sealer.unseal('session', '', NOW));
});

test('key rotation: the first key seals, every key opens; a removed key no longer opens', async () => {
  const before = createCookieSealer([oldKey]);
  const during = createCookieSealer([newKey, oldKey]);
  const after = createCookieSealer([newKey]);
  const oldCookie = await before.seal('session', { n: 1 }, NOW + 60);
  assert.deepEqual((await during.unseal<{ n: number }>('session', oldCookie, NOW)).n, 1);
  const newCookie = await during.seal('session', { n: 2 }, NOW + 60);
  assert.equal((await after.unseal<{ n: number }>('session', newCookie, NOW)).n, 2);
  await refused(after.unseal('session', oldCookie, NOW));
  await refused(before.unseal('session', newCookie, NOW));
});

test('a value sealed for one purpose does not pass for another, and an expired one is refused', async () => {
  const sealer = createCookieSealer([oldKey]);
  const state = await sealer.seal('login-state', { pending: [] }, NOW + 60);
  await refused(sealer.unseal('session', state, NOW));
  const session = await sealer.seal('session', { at: 'x' }, NOW + 60);
  await refused(sealer.unseal('session', session, NOW + 60), 'sso_cookie_expired');
  await refused(sealer.unseal('session', session, NOW + 3600), 'sso_cookie_expired');
});

test('keys must be 32 bytes', () => {
  assert.throws(() => createCookieSealer([]), /32 bytes/);
  assert.throws(() => createCookieSealer([randomBytes(16)]), /32 bytes/);
});
