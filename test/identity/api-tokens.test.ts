// Personal API tokens on a real SQLite store: shown once and stored only as a hash, resolved
// with every refusal reason, lastUsedAt touched, revocation published for gateways.
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { apiTokenHash } from '../../src/identity/api-token-format.ts';
import { createApiToken, resolveApiToken, revokeApiToken } from '../../src/identity/api-tokens.ts';
import { IdentityError } from '../../src/identity/identity-error.ts';
import type { RevocationRecord, UserRecord } from '../../src/store/identity-store.ts';
import { openTempStore, T0, type TempStore } from './temp-store.ts';
import { withLastCharacterChanged } from '../support/mistyped-token.ts';

let temp: TempStore;
let alice: UserRecord;

before(async () => {
  temp = await openTempStore();
  const base = { passwordHash: 'x', name: undefined, email: undefined, roles: [], groups: [], disabled: false };
  alice = await temp.store.users.create({ ...base, id: 'user-alice', username: 'alice' }, T0);
  await temp.store.users.create({ ...base, id: 'user-mallory', username: 'mallory', disabled: true }, T0);
});
after(() => temp.cleanup());

describe('createApiToken', () => {
  it('returns the token once; the database row holds only its SHA-256 hash and a display prefix', async () => {
    const { token, record } = await createApiToken(temp.store, { userId: alice.id, name: 'ci', scopes: ['orders:read', 'orders:read'] }, T0);
    assert.match(token, /^gat_[0-9A-Za-z]{36}$/);
    assert.deepEqual(record.scopes, ['orders:read']);
    assert.equal(record.tokenHash, apiTokenHash(token));
    assert.equal(record.displayPrefix, token.slice(0, 8));
    assert.equal(record.expiresAt, undefined);
    // Read the file as an attacker with a copy of the database would.
    const database = new DatabaseSync(temp.path, { readOnly: true });
    try {
      const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
      for (const { name } of tables) {
        const rows = JSON.stringify(database.prepare(`SELECT * FROM "${name}"`).all());
        assert.ok(!rows.includes(token), `table ${name} holds the token`);
        assert.ok(!rows.includes(token.slice(4)), `table ${name} holds the token's secret part`);
      }
    } finally {
      database.close();
    }
  });

  it('refuses a duplicate name for the same user, a bad scope, and a bad expiry', async () => {
    const code = (error: unknown) => (error instanceof IdentityError ? error.code : 'other');
    await assert.rejects(createApiToken(temp.store, { userId: alice.id, name: 'ci', scopes: [] }, T0), (error) => code(error) === 'token_name_taken');
    await assert.rejects(createApiToken(temp.store, { userId: alice.id, name: 'x', scopes: ['bad scope"'] }, T0), (error) => code(error) === 'invalid_token_request');
    await assert.rejects(createApiToken(temp.store, { userId: alice.id, name: 'y', scopes: [], expiresInSeconds: -5 }, T0), (error) => code(error) === 'invalid_token_request');
  });
});

describe('resolveApiToken', () => {
  it('resolves a valid token to its record and user, touching lastUsedAt at most once a minute', async () => {
    const { token, record } = await createApiToken(temp.store, { userId: alice.id, name: 'touch', scopes: [] }, T0);
    const first = await resolveApiToken(temp.store, token, T0 + 10);
    assert.ok('record' in first);
    assert.equal(first.user.id, alice.id);
    assert.equal(first.record.lastUsedAt, T0 + 10);
    assert.equal((await temp.store.apiTokens.findById(record.id))?.lastUsedAt, T0 + 10);
    await resolveApiToken(temp.store, token, T0 + 30);
    assert.equal((await temp.store.apiTokens.findById(record.id))?.lastUsedAt, T0 + 10);
    await resolveApiToken(temp.store, token, T0 + 75);
    assert.equal((await temp.store.apiTokens.findById(record.id))?.lastUsedAt, T0 + 75);
  });

  it('refuses malformed, unknown, expired, revoked tokens and tokens of disabled users', async () => {
    const expiring = await createApiToken(temp.store, { userId: alice.id, name: 'short', scopes: [], expiresInSeconds: 60 }, T0);
    const revoked = await createApiToken(temp.store, { userId: alice.id, name: 'revoked', scopes: [] }, T0);
    await revokeApiToken(temp.store, revoked.record.id, T0);
    const disabled = await createApiToken(temp.store, { userId: 'user-mallory', name: 'm', scopes: [] }, T0);
    const unknown = (await createApiToken(temp.store, { userId: alice.id, name: 'gone', scopes: [] }, T0)).token;
    const cases: Array<[string, string, number]> = [
      [withLastCharacterChanged(unknown), 'malformed', T0],
      ['gat_000000000000000000000000000000000000', 'malformed', T0],
      [expiring.token, 'expired', T0 + 60],
      [revoked.token, 'revoked', T0],
      [disabled.token, 'user_disabled', T0],
    ];
    for (const [token, error, now] of cases) assert.deepEqual(await resolveApiToken(temp.store, token, now), { error }, error);
    assert.ok('record' in (await resolveApiToken(temp.store, expiring.token, T0 + 59)), 'valid until expiresAt');
    // Well-formed but never issued.
    const { generateApiToken } = await import('../../src/identity/api-token-format.ts');
    assert.deepEqual(await resolveApiToken(temp.store, generateApiToken(), T0), { error: 'unknown' });
  });
});

describe('revokeApiToken', () => {
  it('revokes once and publishes a token-hash revocation until the token would expire', async () => {
    const published: RevocationRecord[] = [];
    const publish = async (record: RevocationRecord) => void published.push(record);
    const { token, record } = await createApiToken(temp.store, { userId: alice.id, name: 'to-revoke', scopes: [], expiresInSeconds: 3600 }, T0);
    assert.equal(await revokeApiToken(temp.store, record.id, T0 + 5, publish), true);
    assert.equal(await revokeApiToken(temp.store, record.id, T0 + 6, publish), false, 'already revoked');
    assert.equal(await revokeApiToken(temp.store, 'no-such-id', T0, publish), false);
    assert.deepEqual(published, [{ kind: 'token-hash', value: apiTokenHash(token), revokedAt: T0 + 5, expiresAt: T0 + 3600 }]);
    assert.equal((await temp.store.apiTokens.findById(record.id))?.revokedAt, T0 + 5);
  });
});
