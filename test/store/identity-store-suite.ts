// One behaviour suite for every IdentityStore driver: sqlite-store.test.ts and
// postgres-store.test.ts run it against a real database. Each test gets a fresh database (a new
// file, or a new PostgreSQL schema) and a test clock it moves by hand, so expiry is checked
// without waiting.
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { StoreConflictError, type IdentityStore, type NewUser, type SigningKeyRecord } from '../../src/store/identity-store.ts';
import type { StoreOptions } from '../../src/store/store-options.ts';

/** One fresh database; every open() returns another store on that same database. */
export interface StoreHarness {
  open(options: StoreOptions): Promise<IdentityStore>;
  cleanup(): Promise<void>;
}

const T0 = 1_800_000_000;

export function identityStoreSuite(driver: 'sqlite' | 'postgres', createHarness: () => Promise<StoreHarness>): void {
  describe(`IdentityStore behaviour (${driver})`, () => {
    let harness: StoreHarness;
    let store: IdentityStore;
    const opened: IdentityStore[] = [];
    const clock = { now: T0 };
    const open = async (): Promise<IdentityStore> => {
      const another = await harness.open({ clock: () => clock.now });
      opened.push(another);
      return another;
    };

    beforeEach(async () => {
      clock.now = T0;
      harness = await createHarness();
      store = await open();
    });
    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close();
      await harness.cleanup();
    });

    it('names its driver and answers ping', async () => {
      assert.equal(store.driver, driver);
      await store.ping();
    });

    describe('oidc models', () => {
      it('round-trips payloads per model and id; missing rows are undefined', async () => {
        const payload = { jti: 'abc', kind: 'Session', nested: { list: [1, 'two', null, true] }, accountId: 'u1' };
        await store.oidc.upsert('Session', 'abc', payload, 3600);
        assert.deepEqual(await store.oidc.find('Session', 'abc'), payload);
        assert.equal(await store.oidc.find('Grant', 'abc'), undefined, 'models are separate');
        assert.equal(await store.oidc.find('Session', 'other'), undefined);
      });

      it('hides rows past their expiry; rows without expiry stay', async () => {
        await store.oidc.upsert('Session', 's1', { uid: 'uid-1' }, 60);
        await store.oidc.upsert('Grant', 'g1', { accountId: 'a' }, undefined);
        clock.now = T0 + 59;
        assert.ok(await store.oidc.find('Session', 's1'));
        clock.now = T0 + 60;
        assert.equal(await store.oidc.find('Session', 's1'), undefined);
        assert.equal(await store.oidc.findByUid('Session', 'uid-1'), undefined);
        clock.now = T0 + 10 * 365 * 86400;
        assert.deepEqual(await store.oidc.find('Grant', 'g1'), { accountId: 'a' });
      });

      it('upsert replaces the payload, its lookup fields and its expiry', async () => {
        await store.oidc.upsert('Session', 's1', { uid: 'old' }, 10);
        await store.oidc.upsert('Session', 's1', { uid: 'new' }, 100);
        assert.equal(await store.oidc.findByUid('Session', 'old'), undefined);
        clock.now = T0 + 50;
        assert.deepEqual(await store.oidc.findByUid('Session', 'new'), { uid: 'new' });
      });

      it('consume stamps payload.consumed with now and keeps the rest', async () => {
        await store.oidc.upsert('AuthorizationCode', 'c1', { grantId: 'g', scope: 'openid' }, 600);
        clock.now = T0 + 5;
        await store.oidc.consume('AuthorizationCode', 'c1');
        assert.deepEqual(await store.oidc.find('AuthorizationCode', 'c1'), { grantId: 'g', scope: 'openid', consumed: T0 + 5 });
        await store.oidc.consume('AuthorizationCode', 'missing');
        assert.equal(await store.oidc.find('AuthorizationCode', 'missing'), undefined);
      });

      it('finds by uid and by user code within the model', async () => {
        await store.oidc.upsert('Session', 's1', { uid: 'u-123' }, 600);
        await store.oidc.upsert('DeviceCode', 'd1', { userCode: 'WDJB-MJHT' }, 600);
        assert.deepEqual(await store.oidc.findByUid('Session', 'u-123'), { uid: 'u-123' });
        assert.equal(await store.oidc.findByUid('Interaction', 'u-123'), undefined);
        assert.deepEqual(await store.oidc.findByUserCode('DeviceCode', 'WDJB-MJHT'), { userCode: 'WDJB-MJHT' });
        assert.equal(await store.oidc.findByUserCode('DeviceCode', 'XXXX-XXXX'), undefined);
      });

      it('destroy removes one row; revokeByGrantId removes only that grant in that model', async () => {
        await store.oidc.upsert('RefreshToken', 'r1', { grantId: 'g1' }, 600);
        await store.oidc.upsert('RefreshToken', 'r2', { grantId: 'g1' }, 600);
        await store.oidc.upsert('RefreshToken', 'r3', { grantId: 'g2' }, 600);
        await store.oidc.upsert('AccessToken', 'a1', { grantId: 'g1' }, 600);
        await store.oidc.revokeByGrantId('RefreshToken', 'g1');
        assert.equal(await store.oidc.find('RefreshToken', 'r1'), undefined);
        assert.equal(await store.oidc.find('RefreshToken', 'r2'), undefined);
        assert.ok(await store.oidc.find('RefreshToken', 'r3'));
        assert.ok(await store.oidc.find('AccessToken', 'a1'), 'other models keep their rows');
        await store.oidc.destroy('RefreshToken', 'r3');
        assert.equal(await store.oidc.find('RefreshToken', 'r3'), undefined);
      });
    });

    describe('users', () => {
      const alice: NewUser = {
        id: 'user-alice', username: 'Alice', passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
        name: 'Alice Liddell', email: 'alice@example.org', roles: ['user'], groups: ['staff'], disabled: false,
      };

      it('creates a user and finds it by id and by username in any case', async () => {
        const created = await store.users.create(alice, T0);
        assert.deepEqual(created, { ...alice, createdAt: T0, updatedAt: T0 });
        assert.deepEqual(await store.users.findById('user-alice'), created);
        assert.deepEqual(await store.users.findByUsername('alice'), created);
        assert.deepEqual(await store.users.findByUsername('ALICE'), created);
        assert.equal((await store.users.findByUsername('alice'))?.username, 'Alice', 'stored as given');
        assert.equal(await store.users.findByUsername('bob'), undefined);
        assert.equal(await store.users.findById('nobody'), undefined);
      });

      it('keeps optional fields undefined', async () => {
        const plain = await store.users.create({ ...alice, name: undefined, email: undefined, roles: [], groups: [] }, T0);
        assert.equal(plain.name, undefined);
        assert.equal(plain.email, undefined);
        assert.deepEqual((await store.users.findById(plain.id))?.roles, []);
      });

      it('refuses a username taken in another case, and a duplicate id', async () => {
        await store.users.create(alice, T0);
        await assert.rejects(store.users.create({ ...alice, id: 'user-2', username: 'ALICE' }, T0), (error: unknown) => {
          assert.ok(error instanceof StoreConflictError);
          assert.equal(error.entity, 'user');
          return true;
        });
        await assert.rejects(store.users.create({ ...alice, username: 'alice2' }, T0), StoreConflictError);
        assert.equal((await store.users.list()).length, 1);
      });

      it('lists users by username', async () => {
        await store.users.create({ ...alice, id: 'u-c', username: 'carol' }, T0);
        await store.users.create(alice, T0);
        await store.users.create({ ...alice, id: 'u-b', username: 'bob' }, T0);
        assert.deepEqual((await store.users.list()).map((user) => user.username), ['Alice', 'bob', 'carol']);
      });

      it('updates the patched fields only, and bumps updatedAt', async () => {
        await store.users.create(alice, T0);
        const updated = await store.users.update('user-alice', { roles: ['admin'], disabled: true, email: undefined, passwordHash: 'new-hash' }, T0 + 10);
        assert.deepEqual(updated, { ...alice, roles: ['admin'], disabled: true, email: undefined, passwordHash: 'new-hash', createdAt: T0, updatedAt: T0 + 10 });
        assert.deepEqual(await store.users.findByUsername('alice'), updated);
        const renamed = await store.users.update('user-alice', { name: 'A. L.', groups: undefined }, T0 + 20);
        assert.equal(renamed?.name, 'A. L.');
        assert.deepEqual(renamed?.groups, ['staff'], 'an undefined list is left alone');
        assert.equal(await store.users.update('nobody', { disabled: true }, T0), undefined);
      });
    });

    describe('clients', () => {
      it('puts, replaces (keeping createdAt), finds, lists and removes', async () => {
        const document = { name: 'Demo', redirectUris: ['http://127.0.0.1:3000/cb'], secret: { sealed: 'v1.x' }, public: false };
        assert.deepEqual(await store.clients.put('demo', document, T0), { clientId: 'demo', document, createdAt: T0, updatedAt: T0 });
        await store.clients.put('another', { name: 'Another' }, T0);
        const replaced = await store.clients.put('demo', { ...document, name: 'Demo 2' }, T0 + 5);
        assert.deepEqual(replaced, { clientId: 'demo', document: { ...document, name: 'Demo 2' }, createdAt: T0, updatedAt: T0 + 5 });
        assert.deepEqual(await store.clients.find('demo'), replaced);
        assert.equal(await store.clients.find('nope'), undefined);
        assert.deepEqual((await store.clients.list()).map((client) => client.clientId), ['another', 'demo']);
        assert.equal(await store.clients.remove('demo'), true);
        assert.equal(await store.clients.remove('demo'), false);
        assert.equal(await store.clients.find('demo'), undefined);
      });
    });

    describe('api tokens', () => {
      const token = (n: number, overrides: object = {}) => ({
        id: `tok-${n}`, userId: 'user-1', name: `token ${n}`, tokenHash: `hash-${n}`, displayPrefix: `gat_abc${n}`,
        scopes: ['orders:read'], createdAt: T0, expiresAt: undefined, ...overrides,
      });

      it('creates and finds by id and by hash', async () => {
        const created = await store.apiTokens.create(token(1, { expiresAt: T0 + 86400 }));
        assert.deepEqual(created, { ...token(1, { expiresAt: T0 + 86400 }), lastUsedAt: undefined, revokedAt: undefined });
        assert.deepEqual(await store.apiTokens.findById('tok-1'), created);
        assert.deepEqual(await store.apiTokens.findByHash('hash-1'), created);
        assert.equal(await store.apiTokens.findByHash('hash-9'), undefined);
        assert.equal(await store.apiTokens.findById('tok-9'), undefined);
      });

      it('refuses a duplicate id, hash, or name for the same user', async () => {
        await store.apiTokens.create(token(1));
        for (const duplicate of [token(2, { id: 'tok-1' }), token(2, { tokenHash: 'hash-1' }), token(2, { name: 'token 1' })]) {
          await assert.rejects(store.apiTokens.create(duplicate), (error: unknown) => {
            assert.ok(error instanceof StoreConflictError);
            assert.equal(error.entity, 'api_token');
            return true;
          });
        }
        await store.apiTokens.create(token(2, { name: 'token 1', userId: 'user-2' }));
        assert.equal((await store.apiTokens.list()).length, 2);
      });

      it('lists newest first, all or one user\'s', async () => {
        await store.apiTokens.create(token(1, { createdAt: T0 }));
        await store.apiTokens.create(token(2, { createdAt: T0 + 10, userId: 'user-2' }));
        await store.apiTokens.create(token(3, { createdAt: T0 + 10 }));
        await store.apiTokens.create(token(4, { createdAt: T0 + 5 }));
        assert.deepEqual((await store.apiTokens.list()).map((t) => t.id), ['tok-3', 'tok-2', 'tok-4', 'tok-1']);
        assert.deepEqual((await store.apiTokens.list('user-1')).map((t) => t.id), ['tok-3', 'tok-4', 'tok-1']);
        assert.deepEqual(await store.apiTokens.list('user-9'), []);
      });

      it('touch records the last use; revoke happens once', async () => {
        await store.apiTokens.create(token(1));
        await store.apiTokens.touch('tok-1', T0 + 30);
        assert.equal((await store.apiTokens.findById('tok-1'))?.lastUsedAt, T0 + 30);
        assert.equal(await store.apiTokens.revoke('tok-1', T0 + 40), true);
        assert.equal(await store.apiTokens.revoke('tok-1', T0 + 50), false);
        assert.equal((await store.apiTokens.findById('tok-1'))?.revokedAt, T0 + 40);
        assert.equal(await store.apiTokens.revoke('tok-9', T0), false);
      });
    });

    describe('signing keys', () => {
      const key = (kid: string, state: SigningKeyRecord['state'], overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord => ({
        kid, alg: 'ES256', publicJwk: { kty: 'EC', crv: 'P-256', x: `x-${kid}`, y: `y-${kid}`, kid },
        encryptedPrivateJwk: `v1.sealed-${kid}`, state, createdAt: T0,
        activatedAt: undefined, retiredAt: undefined, removeAfter: undefined, ...overrides,
      });

      it('starts empty; mutate replaces the set and keeps its order', async () => {
        assert.deepEqual(await store.signingKeys.list(), []);
        const first = [key('k-b', 'active', { activatedAt: T0 }), key('k-a', 'next')];
        assert.deepEqual(await store.signingKeys.mutate((current) => (assert.deepEqual(current, []), first)), first);
        assert.deepEqual(await store.signingKeys.list(), first);
        const rotated = await store.signingKeys.mutate((current) => [
          { ...current[1], state: 'active', activatedAt: T0 + 1 },
          { ...current[0], state: 'retired', retiredAt: T0 + 1, removeAfter: T0 + 700 },
          key('k-c', 'next'),
        ]);
        assert.deepEqual(rotated.map((k) => [k.kid, k.state]), [['k-a', 'active'], ['k-b', 'retired'], ['k-c', 'next']]);
        assert.deepEqual(await store.signingKeys.list(), rotated);
      });

      it('leaves the set alone when change throws, or returns a duplicate kid', async () => {
        await store.signingKeys.mutate(() => [key('k-1', 'active')]);
        await assert.rejects(store.signingKeys.mutate(async () => { throw new Error('key generation failed'); }), /key generation failed/);
        await assert.rejects(store.signingKeys.mutate(() => [key('k-2', 'active'), key('k-2', 'next')]), StoreConflictError);
        assert.deepEqual((await store.signingKeys.list()).map((k) => k.kid), ['k-1']);
      });

      it('never loses an update when mutates run concurrently, on one store or on two', async () => {
        const other = await open();
        const append = (target: IdentityStore, kid: string) =>
          target.signingKeys.mutate(async (current) => {
            await nextTurn(); // let the other mutates read the same set before this one writes
            return [...current, key(kid, 'retired')];
          });
        await Promise.all([append(store, 'a1'), append(other, 'b1'), append(store, 'a2'), append(other, 'b2'), append(other, 'b3')]);
        const kids = (await store.signingKeys.list()).map((k) => k.kid).sort();
        assert.deepEqual(kids, ['a1', 'a2', 'b1', 'b2', 'b3']);
      });
    });

    describe('throttle', () => {
      it('stores a record until its expiry; put replaces; delete removes', async () => {
        await store.throttle.put('account:alice', { failures: 1, firstFailureAt: T0, lockedUntil: undefined }, T0 + 900);
        assert.deepEqual(await store.throttle.get('account:alice'), { failures: 1, firstFailureAt: T0, lockedUntil: undefined });
        await store.throttle.put('account:alice', { failures: 5, firstFailureAt: T0, lockedUntil: T0 + 60 }, T0 + 900);
        assert.deepEqual(await store.throttle.get('account:alice'), { failures: 5, firstFailureAt: T0, lockedUntil: T0 + 60 });
        clock.now = T0 + 900;
        assert.equal(await store.throttle.get('account:alice'), undefined);
        await store.throttle.put('ip:127.0.0.1', { failures: 2, firstFailureAt: T0, lockedUntil: undefined }, T0 + 2000);
        await store.throttle.delete('ip:127.0.0.1');
        assert.equal(await store.throttle.get('ip:127.0.0.1'), undefined);
        assert.equal(await store.throttle.get('account:nobody'), undefined);
      });
    });

    describe('issued tokens', () => {
      it('records tokens and finds them by jti, grant, client and account', async () => {
        const user = { jti: 'j1', grantId: 'g1', clientId: 'web', accountId: 'alice', expiresAt: T0 + 600 };
        const later = { jti: 'j2', grantId: 'g1', clientId: 'web', accountId: 'alice', expiresAt: T0 + 900 };
        const machine = { jti: 'j3', grantId: undefined, clientId: 'm2m', accountId: undefined, expiresAt: T0 + 300 };
        for (const token of [later, machine, user]) await store.issuedTokens.record(token);
        assert.deepEqual(await store.issuedTokens.find('j3'), machine);
        assert.equal(await store.issuedTokens.find('j9'), undefined);
        assert.deepEqual(await store.issuedTokens.byGrant('g1'), [user, later]);
        assert.deepEqual(await store.issuedTokens.byClient('m2m'), [machine]);
        assert.deepEqual(await store.issuedTokens.byAccount('alice'), [user, later]);
        assert.deepEqual(await store.issuedTokens.byAccount('bob'), []);
      });
    });

    describe('revocations', () => {
      it('adds idempotently, keeping the later revokedAt and expiresAt', async () => {
        await store.revocations.add({ kind: 'jti', value: 'j1', revokedAt: T0, expiresAt: T0 + 600 });
        await store.revocations.add({ kind: 'jti', value: 'j1', revokedAt: T0, expiresAt: T0 + 600 });
        assert.deepEqual(await store.revocations.active(T0), [{ kind: 'jti', value: 'j1', revokedAt: T0, expiresAt: T0 + 600 }]);
        await store.revocations.add({ kind: 'jti', value: 'j1', revokedAt: T0 + 5, expiresAt: T0 + 900 });
        await store.revocations.add({ kind: 'jti', value: 'j1', revokedAt: T0 + 1, expiresAt: T0 + 300 });
        assert.deepEqual(await store.revocations.active(T0), [{ kind: 'jti', value: 'j1', revokedAt: T0 + 5, expiresAt: T0 + 900 }]);
      });

      it('lists only revocations that have not expired, oldest first; kinds are separate', async () => {
        await store.revocations.add({ kind: 'client', value: 'web', revokedAt: T0 + 2, expiresAt: T0 + 3600 });
        await store.revocations.add({ kind: 'subject', value: 'web', revokedAt: T0 + 1, expiresAt: T0 + 100 });
        await store.revocations.add({ kind: 'token-hash', value: 'ab12', revokedAt: T0 + 3, expiresAt: T0 + 50 });
        assert.deepEqual((await store.revocations.active(T0)).map((r) => `${r.kind}:${r.value}`), ['subject:web', 'client:web', 'token-hash:ab12']);
        assert.deepEqual((await store.revocations.active(T0 + 100)).map((r) => `${r.kind}:${r.value}`), ['client:web']);
      });
    });

    describe('documents', () => {
      it('puts, gets, lists by namespace in key order, and deletes', async () => {
        const state = { serial: 42, crl: { number: 7, revoked: ['01', '02'] }, enabled: true, note: null };
        await store.documents.put('ca', 'state', state);
        await store.documents.put('ca', 'authority', { pem: '-----BEGIN CERTIFICATE-----' });
        await store.documents.put('other', 'state', { x: 1 });
        assert.deepEqual(await store.documents.get('ca', 'state'), state);
        assert.equal(await store.documents.get('ca', 'missing'), undefined);
        await store.documents.put('ca', 'state', { ...state, serial: 43 });
        assert.deepEqual(await store.documents.list('ca'), [
          { key: 'authority', value: { pem: '-----BEGIN CERTIFICATE-----' } },
          { key: 'state', value: { ...state, serial: 43 } },
        ]);
        assert.equal(await store.documents.delete('ca', 'state'), true);
        assert.equal(await store.documents.delete('ca', 'state'), false);
        assert.deepEqual(await store.documents.get('other', 'state'), { x: 1 });
      });
    });

    describe('sweepExpired', () => {
      it('removes expired rows of every expiring kind, counts them, and keeps the rest', async () => {
        await store.oidc.upsert('Session', 'old', {}, 10);
        await store.oidc.upsert('Session', 'live', {}, 1000);
        await store.oidc.upsert('Grant', 'forever', {}, undefined);
        await store.throttle.put('old', { failures: 1, firstFailureAt: T0, lockedUntil: undefined }, T0 + 10);
        await store.throttle.put('live', { failures: 1, firstFailureAt: T0, lockedUntil: undefined }, T0 + 1000);
        await store.issuedTokens.record({ jti: 'old', grantId: undefined, clientId: 'c', accountId: undefined, expiresAt: T0 + 10 });
        await store.issuedTokens.record({ jti: 'live', grantId: undefined, clientId: 'c', accountId: undefined, expiresAt: T0 + 1000 });
        await store.revocations.add({ kind: 'jti', value: 'old', revokedAt: T0, expiresAt: T0 + 10 });
        await store.revocations.add({ kind: 'jti', value: 'live', revokedAt: T0, expiresAt: T0 + 1000 });
        await store.documents.put('ca', 'state', { kept: true });

        assert.equal(await store.sweepExpired(T0 + 9), 0);
        assert.equal(await store.sweepExpired(T0 + 10), 4);
        assert.equal(await store.sweepExpired(T0 + 10), 0);
        assert.equal(await store.issuedTokens.find('old'), undefined);
        assert.ok(await store.issuedTokens.find('live'));
        assert.deepEqual((await store.revocations.active(0)).map((r) => r.value), ['live']);
        clock.now = T0 + 11;
        assert.ok(await store.oidc.find('Session', 'live'));
        assert.ok(await store.oidc.find('Grant', 'forever'));
        assert.ok(await store.throttle.get('live'));
        assert.ok(await store.documents.get('ca', 'state'));
        clock.now = 0;
        assert.equal(await store.oidc.find('Session', 'old'), undefined, 'gone from the table, not just hidden');
        assert.equal(await store.throttle.get('old'), undefined);
      });
    });

    it('two stores on the same database see each other\'s writes', async () => {
      const other = await open();
      await store.users.create({ id: 'u1', username: 'dana', passwordHash: 'h', name: undefined, email: undefined, roles: [], groups: [], disabled: false }, T0);
      assert.equal((await other.users.findByUsername('Dana'))?.id, 'u1');
      await other.revocations.add({ kind: 'subject', value: 'u1', revokedAt: T0, expiresAt: T0 + 60 });
      assert.equal((await store.revocations.active(T0)).length, 1);
      await other.signingKeys.mutate(() => [{ kid: 'k', alg: 'EdDSA', publicJwk: { kty: 'OKP' }, encryptedPrivateJwk: 'v1.x', state: 'active', createdAt: T0, activatedAt: T0, retiredAt: undefined, removeAfter: undefined }]);
      assert.deepEqual((await store.signingKeys.list()).map((k) => k.kid), ['k']);
    });

    it('close ends the connection: later calls reject', async () => {
      const other = await open();
      await other.ping();
      await other.close();
      await assert.rejects(other.ping());
      await assert.rejects(other.users.list());
      await store.ping();
    });
  });
}
