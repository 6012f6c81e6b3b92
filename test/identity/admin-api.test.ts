// The admin API over a real socket: the admin token is required (and the API absent without
// one), and each endpoint does what it says, in the store.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApiToken } from '../../src/identity/api-tokens.ts';
import { openSecret } from '../../src/identity/secret-box.ts';
import { ADMIN_TOKEN, startApiServer, type ApiServer } from './api-server.ts';
import { T0 } from './temp-store.ts';

let api: ApiServer;
before(async () => {
  api = await startApiServer();
});
after(() => api.close());

function admin(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${init.token ?? ADMIN_TOKEN}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${api.url}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe('admin API authentication', () => {
  for (const [name, headers] of [
    ['no credential', {}],
    ['a wrong token', { authorization: 'Bearer admin-token-0123456780' }],
    ['Basic instead of Bearer', { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` }],
  ] as const) {
    it(`refuses ${name} with 401 and a Bearer challenge`, async () => {
      const response = await fetch(`${api.url}/admin/users`, { headers });
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="gatehouse-admin"/);
    });
  }

  it('does not exist without a configured admin token', async () => {
    const disabled = await startApiServer({ adminToken: undefined });
    try {
      const response = await fetch(`${disabled.url}/admin/users`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(response.status, 404);
    } finally {
      await disabled.close();
    }
  });
});

describe('admin API endpoints', () => {
  it('users: add, list (no hashes), disable (revokes), enable, set-password', async () => {
    const created = await admin('/admin/users', { method: 'POST', body: { username: 'alice', password: 'alice-password', roles: ['user'], groups: 'staff ops' } });
    assert.equal(created.status, 201);
    const alice = await json<{ id: string; username: string; roles: string[]; groups: string[]; passwordHash?: string }>(created);
    assert.deepEqual([alice.username, alice.roles, alice.groups, alice.passwordHash], ['alice', ['user'], ['staff', 'ops'], undefined]);
    assert.equal((await admin('/admin/users', { method: 'POST', body: { username: 'alice', password: 'alice-password' } })).status, 409);
    assert.equal((await admin('/admin/users', { method: 'POST', body: { username: 'x', password: 'short' } })).status, 400);
    const list = await (await admin('/admin/users')).text();
    assert.match(list, /"username":"alice"/);
    assert.ok(!list.includes('argon2'));

    const disabled = await json<{ disabled: boolean }>(await admin('/admin/users/alice/disable', { method: 'POST' }));
    assert.equal(disabled.disabled, true);
    assert.deepEqual(api.revocations.at(-1), { kind: 'subject', value: alice.id, revokedAt: T0, expiresAt: T0 + 600 });
    assert.equal((await json<{ disabled: boolean }>(await admin('/admin/users/alice/enable', { method: 'POST' }))).disabled, false);

    assert.equal((await admin('/admin/users/alice/password', { method: 'POST', body: { password: 'alice-new-password' } })).status, 200);
    assert.equal((await api.accounts.authenticate('alice', 'alice-new-password', '127.0.0.1', T0)).ok, true);
    assert.equal((await admin('/admin/users/nobody/disable', { method: 'POST' })).status, 404);
  });

  it('clients: add (secret shown once, sealed in the store), list (no secrets), remove (revokes)', async () => {
    const response = await admin('/admin/clients', {
      method: 'POST',
      body: { clientId: 'reports', grantTypes: ['client_credentials'], scopes: ['orders:read'], resources: ['https://orders.example.com'] },
    });
    assert.equal(response.status, 201);
    const created = await json<{ clientId: string; clientSecret: string; confidential: boolean }>(response);
    assert.equal(created.confidential, true);
    assert.ok(created.clientSecret.length >= 32);
    const stored = await api.temp.store.clients.find('reports');
    const sealed = String(stored?.document.sealedSecret);
    assert.ok(!JSON.stringify(stored).includes(created.clientSecret));
    assert.equal(openSecret(api.kek, sealed), created.clientSecret);

    const list = await (await admin('/admin/clients')).text();
    assert.match(list, /"clientId":"reports"/);
    assert.ok(!list.includes(created.clientSecret) && !list.includes('sealedSecret'));

    const invalid = await admin('/admin/clients', { method: 'POST', body: { clientId: 'spa', public: true, grantTypes: ['client_credentials'] } });
    assert.equal(invalid.status, 400);
    assert.match((await json<{ error_description: string }>(invalid)).error_description, /client_credentials needs a confidential client/);
    assert.equal((await admin('/admin/clients', { method: 'POST', body: { clientId: 'reports', grantTypes: ['client_credentials'], scopes: ['orders:read'] } })).status, 409);
    // oidc-provider would refuse `scope: ""`, and no scope at all would allow every scope.
    const scopeless = await admin('/admin/clients', { method: 'POST', body: { clientId: 'scopeless', grantTypes: ['client_credentials'], scopes: [] } });
    assert.equal(scopeless.status, 400);
    assert.deepEqual(await json(scopeless), { error: 'invalid_client', error_description: 'scopes: a client needs at least one scope (e.g. openid to sign users in, or a resource scope)' });
    assert.equal(await api.temp.store.clients.find('scopeless'), undefined);

    assert.equal((await admin('/admin/clients/reports', { method: 'DELETE' })).status, 204);
    assert.deepEqual(api.revocations.at(-1), { kind: 'client', value: 'reports', revokedAt: T0, expiresAt: T0 + 600 });
    assert.equal((await admin('/admin/clients/reports', { method: 'DELETE' })).status, 404);
  });

  it('tokens: list (all or per user, no hashes) and revoke', async () => {
    await api.accounts.addUser({ username: 'bob', password: 'bob-password' });
    const bob = await api.accounts.findByUsername('bob');
    const { record } = await createApiToken(api.temp.store, { userId: bob?.id ?? '', name: 'bob-ci', scopes: ['orders:read'] }, T0);
    const all = await json<{ tokens: Array<{ id: string; tokenHash?: string }> }>(await admin('/admin/tokens'));
    assert.ok(all.tokens.some((token) => token.id === record.id));
    assert.ok(all.tokens.every((token) => token.tokenHash === undefined));
    const bobs = await json<{ tokens: Array<{ id: string }> }>(await admin('/admin/tokens?user=bob'));
    assert.deepEqual(bobs.tokens.map((token) => token.id), [record.id]);
    assert.equal((await admin('/admin/tokens?user=nobody')).status, 404);
    assert.equal((await admin(`/admin/tokens/${record.id}`, { method: 'DELETE' })).status, 204);
    assert.equal(api.revocations.at(-1)?.kind, 'token-hash');
    assert.equal((await admin(`/admin/tokens/${record.id}`, { method: 'DELETE' })).status, 404);
  });

  it('access tokens: revoke an issued JWT by jti until it expires', async () => {
    await api.temp.store.issuedTokens.record({ jti: 'jti-1', grantId: undefined, clientId: 'demo-m2m', accountId: undefined, expiresAt: T0 + 300 });
    assert.equal((await admin('/admin/access-tokens/jti-1', { method: 'DELETE' })).status, 204);
    assert.deepEqual(api.revocations.at(-1), { kind: 'jti', value: 'jti-1', revokedAt: T0, expiresAt: T0 + 300 });
    assert.equal((await admin('/admin/access-tokens/unknown', { method: 'DELETE' })).status, 404);
  });

  it('keys: list (no private parts) and rotate', async () => {
    const before = await json<{ keys: Array<{ kid: string; state: string; encryptedPrivateJwk?: string }> }>(await admin('/admin/keys'));
    assert.deepEqual(before.keys.map((key) => key.state), ['active', 'next']);
    assert.ok(before.keys.every((key) => key.encryptedPrivateJwk === undefined));
    const rotated = await json<{ keys: Array<{ kid: string; state: string }> }>(await admin('/admin/keys/rotate', { method: 'POST' }));
    assert.deepEqual(rotated.keys.map((key) => key.state), ['active', 'next', 'retired']);
    assert.equal(rotated.keys[0].kid, before.keys[1].kid);
    assert.equal(api.keyRing.activeSigner().kid, before.keys[1].kid);
  });

  it('answers 404 for unknown endpoints and 405 for wrong methods', async () => {
    assert.equal((await admin('/admin/nothing')).status, 404);
    const response = await admin('/admin/keys', { method: 'DELETE' });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET');
  });
});
