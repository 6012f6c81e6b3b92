// Two identity instances on one PostgreSQL schema: starting together they create one key set,
// a due rotation happens once, and both converge on it; the login lockout is shared.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { createKeyRing } from '../../src/identity/keys/key-ring.ts';
import { createLoginThrottle } from '../../src/identity/login-throttle.ts';
import type { IdentityStore } from '../../src/store/identity-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { T0 } from './temp-store.ts';

const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `gh_keyring_${randomBytes(5).toString('hex')}`;
const clock = { now: T0 };
const stores: IdentityStore[] = [];

before(async () => {
  for (let instance = 0; instance < 2; instance++) {
    stores.push(await openStore({ driver: 'postgres', url: POSTGRES_URL, schema: SCHEMA }, { clock: () => clock.now }));
  }
});
after(async () => {
  for (const store of stores) await store.close();
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(SCHEMA)} CASCADE`);
  await admin.end();
});

it('two instances share one key set: one first start, one rotation, the same JWKS', async () => {
  const kek = randomBytes(32);
  const options = { kek, algorithm: 'EdDSA' as const, maxTokenLifetimeSeconds: 600, rotateEverySeconds: 3600 };
  const [first, second] = stores.map((store) => createKeyRing({ store: store.signingKeys, ...options }));
  await Promise.all([first.ensure(T0), second.ensure(T0)]);
  await first.refresh();
  assert.deepEqual(first.records().map((record) => record.state), ['active', 'next']);
  assert.deepEqual(second.publicJwks(), first.publicJwks());
  assert.equal(second.activeSigner().kid, first.activeSigner().kid);

  const results = await Promise.all([first.rotateIfDue(T0 + 3600), second.rotateIfDue(T0 + 3600)]);
  assert.deepEqual(results.sort(), [false, true]);
  await Promise.all([first.refresh(), second.refresh()]);
  assert.deepEqual(first.records().map((record) => record.state), ['active', 'next', 'retired']);
  assert.equal(first.version, second.version);
  assert.deepEqual(second.providerJwks().keys.map((key) => key.kid), first.providerJwks().keys.map((key) => key.kid));
});

it('a lockout recorded through one instance holds on the other', async () => {
  const lockout = { maxFailures: 5, windowSeconds: 900, lockoutSeconds: 60, maxLockoutSeconds: 3600, perIpMaxFailures: 50 };
  const [first, second] = stores.map((store) => createLoginThrottle(store.throttle, lockout));
  for (let attempt = 0; attempt < 5; attempt++) await (attempt % 2 === 0 ? first : second).recordFailure('Alice', '10.1.1.1', T0);
  assert.deepEqual(await second.check('alice', '10.2.2.2', T0 + 10), { locked: true, retryAfterSeconds: 50 });
  await first.recordSuccess('alice', '10.2.2.2');
  assert.deepEqual(await second.check('alice', '10.2.2.2', T0 + 10), { locked: false });
});
