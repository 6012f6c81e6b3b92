// Signing keys on a real SQLite store: encrypted at rest, active + next from the first start,
// rotation moving next → active and retiring the old key until its tokens have expired, two
// instances converging, and the order oidc-provider signs by.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { createKeyRing, type KeyRing } from '../../src/identity/keys/key-ring.ts';
import { openTempStore, T0, type TempStore } from './temp-store.ts';

const kek = randomBytes(32);
const options = { kek, algorithm: 'ES256' as const, maxTokenLifetimeSeconds: 3600, rotateEverySeconds: 86_400 };

let temp: TempStore;
let ring: KeyRing;

before(async () => {
  temp = await openTempStore();
  ring = createKeyRing({ store: temp.store.signingKeys, ...options });
});
after(() => temp.cleanup());

const states = (keyRing: KeyRing) => keyRing.records().map((record) => `${record.state}:${record.kid}`);

describe('key ring', () => {
  it('first start creates an active and a published next key', async () => {
    await ring.ensure(T0);
    const records = ring.records();
    assert.deepEqual(records.map((record) => record.state), ['active', 'next']);
    assert.equal(ring.activeSigner().kid, records[0].kid);
    assert.equal(ring.activeSigner().alg, 'ES256');
    assert.deepEqual(ring.publicJwks().keys.map((key) => key.kid), records.map((record) => record.kid));
    for (const key of ring.publicJwks().keys) assert.equal(key.d, undefined);
    const version = ring.version;
    await ring.ensure(T0 + 1);
    assert.equal(ring.version, version, 'a second ensure changes nothing');
  });

  it('keeps private keys encrypted at rest: no row contains the private "d"', async () => {
    const privateParts = ring.providerJwks().keys.map((key) => key.d);
    assert.equal(privateParts.length, 2);
    const database = new DatabaseSync(temp.path, { readOnly: true });
    try {
      const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
      const dump = tables.map(({ name }) => JSON.stringify(database.prepare(`SELECT * FROM "${name}"`).all())).join('\n');
      assert.ok(dump.includes(ring.records()[0].kid), 'the keys are in the database');
      for (const d of privateParts) assert.ok(d && !dump.includes(d), 'a private key is readable in the database');
      assert.ok(!dump.includes('"d":'));
    } finally {
      database.close();
    }
  });

  it('providerJwks lists private keys active first, then next (oidc-provider signs with the first match)', () => {
    const jwks = ring.providerJwks().keys;
    assert.deepEqual(jwks.map((key) => key.kid), ring.records().map((record) => record.kid));
    assert.equal(jwks[0].kid, ring.activeSigner().kid);
    for (const key of jwks) {
      assert.equal(typeof key.d, 'string');
      assert.equal(key.alg, 'ES256');
      assert.equal(key.use, 'sig');
    }
  });

  it('rotate: next → active, active → retired until removeAfter, a new next', async () => {
    const [active, next] = ring.records();
    const version = ring.version;
    await ring.rotate(T0 + 100);
    const records = ring.records();
    assert.deepEqual(records.map((record) => record.state), ['active', 'next', 'retired']);
    assert.equal(records[0].kid, next.kid);
    assert.equal(records[2].kid, active.kid);
    assert.equal(records[2].removeAfter, T0 + 100 + 3600 + 60);
    assert.ok(![active.kid, next.kid].includes(records[1].kid));
    assert.equal(ring.activeSigner().kid, next.kid);
    assert.notEqual(ring.version, version);
  });

  it('rotateIfDue rotates only when due, and drops retired keys past removeAfter', async () => {
    assert.equal(await ring.rotateIfDue(T0 + 200), false);
    const retired = ring.records()[2].kid;
    assert.equal(await ring.rotateIfDue(T0 + 100 + 3659), false, 'kept until removeAfter');
    assert.equal(await ring.rotateIfDue(T0 + 100 + 3660), true, 'the retired key leaves at removeAfter');
    assert.deepEqual(ring.records().map((record) => record.state), ['active', 'next']);
    assert.ok(!ring.records().some((record) => record.kid === retired));
    const active = ring.records()[0].kid;
    assert.equal(await ring.rotateIfDue(T0 + 100 + 86_400), true, 'due a day after activation');
    assert.equal(ring.records()[2].kid, active);
  });

  it('two rings on one store converge through refresh(); a due rotation happens once', async () => {
    const other = createKeyRing({ store: (await temp.openAnother()).signingKeys, ...options });
    await other.ensure(T0 + 100_000);
    assert.deepEqual(states(other), states(ring), 'ensure adopts the existing keys');
    await other.rotate(T0 + 100_001);
    assert.notDeepEqual(states(other), states(ring));
    assert.equal(await ring.refresh(), true);
    assert.deepEqual(states(ring), states(other));
    assert.equal(ring.version, other.version);
    assert.equal(await ring.refresh(), false, 'nothing changed since');
    // Both decide at the same moment that rotation is due: the store serializes, one rotates.
    const due = T0 + 100_001 + 86_400;
    const results = await Promise.all([ring.rotateIfDue(due), other.rotateIfDue(due)]);
    assert.deepEqual(results.sort(), [false, true]);
    await ring.refresh();
    await other.refresh();
    assert.deepEqual(states(ring), states(other));
    assert.equal(ring.records().filter((record) => record.state === 'active').length, 1);
  });

  it('a ring with another KEK cannot open the keys', async () => {
    const stranger = createKeyRing({ store: temp.store.signingKeys, ...options, kek: randomBytes(32) });
    await assert.rejects(stranger.refresh(), (error: Error & { code?: string }) => error.code === 'secret_unreadable');
  });
});
