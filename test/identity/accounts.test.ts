// Sign-in through the login throttle on a real SQLite store: lockout after repeated failures
// (growing), the same for unknown usernames (no enumeration), the per-IP limit, success clearing
// the account's count; and the claims released per scope.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createAccounts } from '../../src/identity/accounts.ts';
import { IdentityError } from '../../src/identity/identity-error.ts';
import { createLoginThrottle, type LockoutConfig } from '../../src/identity/login-throttle.ts';
import type { RevocationRecord } from '../../src/store/identity-store.ts';
import { openTempStore, T0, type TempStore } from './temp-store.ts';

const LOCKOUT: LockoutConfig = { maxFailures: 5, windowSeconds: 900, lockoutSeconds: 60, maxLockoutSeconds: 3600, perIpMaxFailures: 12 };

let temp: TempStore;
let accounts: ReturnType<typeof createAccounts>;
const revocations: RevocationRecord[] = [];
let ipCounter = 0;
/** A fresh client IP per test, so the per-IP count of one test does not leak into another. */
let ip = '';

before(async () => {
  temp = await openTempStore();
  accounts = createAccounts({
    store: temp.store,
    throttle: createLoginThrottle(temp.store.throttle, LOCKOUT),
    onRevoke: async (record) => void revocations.push(record),
    maxAccessTokenSeconds: 600,
    clock: () => temp.clock.now,
  });
  await accounts.addUser({ username: 'alice', password: 'alice-password', roles: ['user'], groups: ['staff'], name: 'Alice', email: 'alice@example.com' });
  await accounts.addUser({ username: 'bob', password: 'bob-password', roles: ['admin'] });
});
after(() => temp.cleanup());
beforeEach(() => {
  ip = `10.0.0.${++ipCounter}`;
});

async function failTimes(username: string, times: number, now: number): Promise<void> {
  for (let attempt = 0; attempt < times; attempt++) {
    const result = await accounts.authenticate(username, 'wrong-password', ip, now);
    assert.deepEqual(result, { ok: false, reason: 'invalid' }, `attempt ${attempt + 1}`);
  }
}

describe('authenticate', () => {
  it('accepts the right password (username case-insensitive) and refuses a wrong one', async () => {
    const ok = await accounts.authenticate('ALICE', 'alice-password', ip, T0);
    assert.equal(ok.ok && ok.user.username, 'alice');
    assert.deepEqual(await accounts.authenticate('alice', 'alice-passwor', ip, T0), { ok: false, reason: 'invalid' });
  });

  it('locks an account after 5 failures, even for the right password, and the lockout grows', async () => {
    temp.clock.now = T0;
    await failTimes('bob', 5, T0);
    assert.deepEqual(await accounts.authenticate('bob', 'bob-password', ip, T0 + 1), { ok: false, reason: 'locked', retryAfterSeconds: 59 });
    // After the first lock (60 s) one more failure locks for 120 s, then 240 s.
    temp.clock.now = T0 + 61;
    await failTimes('bob', 1, T0 + 61);
    assert.deepEqual(await accounts.authenticate('bob', 'bob-password', ip, T0 + 61), { ok: false, reason: 'locked', retryAfterSeconds: 120 });
    temp.clock.now = T0 + 182;
    await failTimes('bob', 1, T0 + 182);
    assert.deepEqual(await accounts.authenticate('bob', 'bob-password', ip, T0 + 182), { ok: false, reason: 'locked', retryAfterSeconds: 240 });
    temp.clock.now = T0 + 423;
    const ok = await accounts.authenticate('bob', 'bob-password', ip, T0 + 423);
    assert.equal(ok.ok, true, 'the right password works once the lock has passed');
  });

  it('locks unknown usernames exactly like real ones (no enumeration)', async () => {
    temp.clock.now = T0;
    await failTimes('nobody', 5, T0);
    assert.deepEqual(await accounts.authenticate('nobody', 'whatever', ip, T0), { ok: false, reason: 'locked', retryAfterSeconds: 60 });
    assert.deepEqual(await accounts.authenticate('NoBody', 'whatever', ip, T0), { ok: false, reason: 'locked', retryAfterSeconds: 60 });
  });

  it('success clears the account count: four failures, a success, four more do not lock', async () => {
    temp.clock.now = T0;
    await accounts.addUser({ username: 'carol', password: 'carol-password' });
    await failTimes('carol', 4, T0);
    assert.equal((await accounts.authenticate('carol', 'carol-password', ip, T0)).ok, true);
    await failTimes('carol', 4, T0);
    assert.equal((await accounts.authenticate('carol', 'carol-password', ip, T0)).ok, true);
  });

  it('failures older than the window start a fresh count', async () => {
    temp.clock.now = T0;
    await accounts.addUser({ username: 'dave', password: 'dave-password' });
    await failTimes('dave', 4, T0);
    temp.clock.now = T0 + 901;
    await failTimes('dave', 4, T0 + 901);
    assert.equal((await accounts.authenticate('dave', 'dave-password', ip, T0 + 901)).ok, true);
  });

  it('limits one IP spraying many usernames', async () => {
    temp.clock.now = T0;
    for (let user = 0; user < 12; user++) await failTimes(`spray${user}`, 1, T0);
    const locked = await accounts.authenticate('alice', 'alice-password', ip, T0);
    assert.deepEqual(locked, { ok: false, reason: 'locked', retryAfterSeconds: 60 });
    assert.equal((await accounts.authenticate('alice', 'alice-password', '10.9.9.9', T0)).ok, true, 'another IP is not affected');
  });

  it('refuses a disabled user with the same answer as a wrong password', async () => {
    temp.clock.now = T0;
    await accounts.addUser({ username: 'erin', password: 'erin-password' });
    await accounts.setDisabled('erin', true);
    assert.deepEqual(await accounts.authenticate('erin', 'erin-password', ip, T0), { ok: false, reason: 'invalid' });
    await accounts.setDisabled('erin', false);
    assert.equal((await accounts.authenticate('erin', 'erin-password', ip, T0)).ok, true);
  });
});

describe('administration', () => {
  it('stores only an argon2id hash, refuses duplicates, bad usernames and short passwords', async () => {
    const user = await accounts.findByUsername('alice');
    assert.match(user?.passwordHash ?? '', /^\$argon2id\$/);
    const code = (error: unknown) => (error instanceof IdentityError ? error.code : 'other');
    await assert.rejects(accounts.addUser({ username: 'Alice', password: 'another-password' }), (error) => code(error) === 'user_exists');
    await assert.rejects(accounts.addUser({ username: 'has space', password: 'another-password' }), (error) => code(error) === 'invalid_username');
    await assert.rejects(accounts.addUser({ username: 'frank', password: 'short' }), (error) => code(error) === 'weak_password');
    await assert.rejects(accounts.setPassword('nobody', 'long-enough-password'), (error) => code(error) === 'user_not_found');
  });

  it('set-password replaces the password', async () => {
    await accounts.addUser({ username: 'gina', password: 'gina-password' });
    await accounts.setPassword('gina', 'gina-new-password');
    assert.equal((await accounts.authenticate('gina', 'gina-password', ip, T0)).ok, false);
    assert.equal((await accounts.authenticate('gina', 'gina-new-password', ip, T0)).ok, true);
  });

  it('disabling publishes a subject revocation covering the longest access token', async () => {
    temp.clock.now = T0 + 5000;
    await accounts.addUser({ username: 'hank', password: 'hank-password' });
    const hank = await accounts.setDisabled('hank', true);
    assert.deepEqual(revocations.at(-1), { kind: 'subject', value: hank.id, revokedAt: T0 + 5000, expiresAt: T0 + 5600 });
  });
});

describe('claims and findAccount', () => {
  it('releases claims per scope; sub always', async () => {
    const alice = await accounts.findByUsername('alice');
    assert.ok(alice);
    assert.deepEqual(accounts.claims(alice, new Set(['openid'])), { sub: alice.id });
    assert.deepEqual(accounts.claims(alice, new Set(['openid', 'profile', 'email', 'roles'])), {
      sub: alice.id,
      preferred_username: 'alice',
      name: 'Alice',
      email: 'alice@example.com',
      roles: ['user'],
      groups: ['staff'],
    });
  });

  it('findAccount resolves a user by sub, and nothing for unknown or disabled users', async () => {
    const alice = await accounts.findByUsername('alice');
    const account = await accounts.findAccount(undefined, alice?.id ?? '');
    assert.equal(account?.accountId, alice?.id);
    assert.deepEqual(await account?.claims('id_token', 'openid roles'), { sub: alice?.id, roles: ['user'], groups: ['staff'] });
    assert.equal(await accounts.findAccount(undefined, 'no-such-id'), undefined);
    const hank = await accounts.findByUsername('hank');
    assert.equal(await accounts.findAccount(undefined, hank?.id ?? ''), undefined);
  });
});
