// The account API over a real socket: a user creates, lists and revokes their own API tokens,
// with HTTP Basic or a Bearer access token of this issuer.
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { after, before, describe, it } from 'node:test';
import { apiTokenHash } from '../../src/identity/api-token-format.ts';
import { basicAuth, ISSUER, startApiServer, type ApiServer } from './api-server.ts';
import { T0 } from './temp-store.ts';

let api: ApiServer;
before(async () => {
  api = await startApiServer();
  await api.accounts.addUser({ username: 'alice', password: 'alice-password' });
  await api.accounts.addUser({ username: 'bob', password: 'bob-password' });
});
after(() => api.close());

const alice = basicAuth('alice', 'alice-password');

function call(path: string, init: RequestInit = {}) {
  return fetch(`${api.url}${path}`, init);
}

function createToken(authorization: string, body: unknown, contentType = 'application/json') {
  return call('/api/tokens', { method: 'POST', headers: { authorization, 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function accessToken(claims: Record<string, unknown>, audience = `${ISSUER}/api`): Promise<string> {
  const signer = api.keyRing.activeSigner();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(signer.privateKey);
}

describe('POST /api/tokens', () => {
  it('creates a token with Basic auth; the token is in the answer once, only its hash in the store', async () => {
    const response = await createToken(alice, { name: 'laptop', scopes: 'orders:read orders:write', expiresIn: '30d' });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = (await response.json()) as { id: string; name: string; token: string; scopes: string[]; expiresAt: number };
    assert.match(body.token, /^gat_[0-9A-Za-z]{36}$/);
    assert.deepEqual([body.name, body.scopes, body.expiresAt], ['laptop', ['orders:read', 'orders:write'], T0 + 30 * 86_400]);
    const stored = await api.temp.store.apiTokens.findById(body.id);
    assert.equal(stored?.tokenHash, apiTokenHash(body.token));
    const list = await (await call('/api/tokens', { headers: { authorization: alice } })).text();
    assert.ok(!list.includes(body.token) && !list.includes(apiTokenHash(body.token)), 'lists never show the token or its hash');
    assert.match(list, /"displayPrefix":"gat_/);
  });

  it('accepts a form body and a Bearer access token of this issuer for the account API', async () => {
    const aliceRecord = await api.accounts.findByUsername('alice');
    const token = await accessToken({ sub: aliceRecord?.id, scope: 'openid' });
    const response = await createToken(`Bearer ${token}`, 'name=ci&scopes=orders%3Aread', 'application/x-www-form-urlencoded');
    assert.equal(response.status, 201, await response.clone().text());
    assert.deepEqual(((await response.json()) as { scopes: string[] }).scopes, ['orders:read']);
  });

  const refusals: Array<{ name: string; authorization: () => Promise<string>; status: number; error: string }> = [
    { name: 'no credentials', authorization: async () => '', status: 401, error: 'missing_credentials' },
    { name: 'a wrong password', authorization: async () => basicAuth('bob', 'wrong-password'), status: 401, error: 'invalid_credentials' },
    { name: 'an unknown user', authorization: async () => basicAuth('nobody', 'whatever-password'), status: 401, error: 'invalid_credentials' },
    { name: 'a Bearer token for another audience', authorization: async () => `Bearer ${await accessToken({ sub: 'x' }, 'https://orders.example.com')}`, status: 401, error: 'invalid_token' },
    { name: 'a Bearer token of an unknown subject', authorization: async () => `Bearer ${await accessToken({ sub: 'nobody' })}`, status: 401, error: 'invalid_token' },
    { name: 'an API token as Bearer', authorization: async () => 'Bearer gat_000000000000000000000000000000000000', status: 401, error: 'invalid_token' },
  ];
  for (const { name, authorization, status, error } of refusals) {
    it(`refuses ${name} with ${status} and a Basic challenge`, async () => {
      const response = await createToken(await authorization(), { name: 'x', scopes: [] });
      assert.equal(response.status, status);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Basic realm="gatehouse"/);
      assert.equal(((await response.json()) as { error: string }).error, error);
    });
  }

  it('refuses a Bearer token revoked by jti, or by a subject cutoff after it was issued, as the gateways do', async () => {
    const aliceRecord = await api.accounts.findByUsername('alice');
    const list = (token: string) => call('/api/tokens', { headers: { authorization: `Bearer ${token}` } });
    const revoked = await accessToken({ sub: aliceRecord?.id, jti: 'jti-revoked' });
    const other = await accessToken({ sub: aliceRecord?.id, jti: 'jti-other' });
    assert.equal((await list(revoked)).status, 200, 'accepted before the revocation');
    // What DELETE /admin/access-tokens/:jti stores (src/store/redis/revocation-publisher.ts).
    await api.temp.store.revocations.add({ kind: 'jti', value: 'jti-revoked', revokedAt: T0, expiresAt: T0 + 600 });
    const refused = await list(revoked);
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { error: string }).error, 'invalid_token');
    assert.equal((await list(other)).status, 200, 'another token of the same user still works');
    await api.temp.store.revocations.add({ kind: 'subject', value: aliceRecord?.id ?? '', revokedAt: Math.floor(Date.now() / 1000) + 5, expiresAt: T0 + 600 });
    assert.equal((await list(other)).status, 401, 'every token of a user issued before a subject revocation');
  });

  it('throttles repeated wrong passwords: 429 with Retry-After, even for the right password then', async () => {
    await api.accounts.addUser({ username: 'carol', password: 'carol-password' });
    for (let attempt = 0; attempt < 3; attempt++) assert.equal((await createToken(basicAuth('carol', 'nope-nope'), { name: 'x' })).status, 401);
    const locked = await createToken(basicAuth('carol', 'carol-password'), { name: 'x' });
    assert.equal(locked.status, 429);
    assert.equal(locked.headers.get('retry-after'), '60');
    assert.equal(((await locked.json()) as { error: string }).error, 'too_many_attempts');
  });

  const badBodies: Array<{ name: string; body: unknown; status: number; error: string }> = [
    { name: 'no name', body: { scopes: [] }, status: 400, error: 'invalid_request' },
    { name: 'an unknown scope', body: { name: 'y', scopes: ['admin:everything'] }, status: 400, error: 'invalid_scope' },
    { name: 'a bad expiry', body: { name: 'y', expiresIn: 'tomorrow' }, status: 400, error: 'invalid_request' },
    { name: 'a duplicate name', body: { name: 'laptop' }, status: 409, error: 'token_name_taken' },
    { name: 'invalid JSON', body: '{"name":', status: 400, error: 'invalid_json' },
  ];
  for (const { name, body, status, error } of badBodies) {
    it(`answers ${status} ${error} for ${name}`, async () => {
      const response = await createToken(alice, body);
      assert.equal(response.status, status);
      assert.equal(((await response.json()) as { error: string }).error, error);
    });
  }
});

describe('GET and DELETE /api/tokens', () => {
  it('lists only the caller’s own tokens', async () => {
    await createToken(basicAuth('bob', 'bob-password'), { name: 'bobs' });
    const list = (await (await call('/api/tokens', { headers: { authorization: basicAuth('bob', 'bob-password') } })).json()) as { tokens: Array<{ name: string; tokenHash?: string }> };
    assert.deepEqual(list.tokens.map((token) => token.name), ['bobs']);
    assert.equal(list.tokens[0].tokenHash, undefined);
  });

  it('deletes (revokes) own tokens, publishing the revocation; others’ tokens are 404', async () => {
    const created = (await (await createToken(alice, { name: 'to-delete' })).json()) as { id: string; token: string };
    const bobTry = await call(`/api/tokens/${created.id}`, { method: 'DELETE', headers: { authorization: basicAuth('bob', 'bob-password') } });
    assert.equal(bobTry.status, 404);
    const response = await call(`/api/tokens/${created.id}`, { method: 'DELETE', headers: { authorization: alice } });
    assert.equal(response.status, 204);
    assert.equal((await api.temp.store.apiTokens.findById(created.id))?.revokedAt, T0);
    assert.deepEqual(api.revocations.at(-1), { kind: 'token-hash', value: apiTokenHash(created.token), revokedAt: T0, expiresAt: T0 + 86_400 });
    assert.equal((await call(`/api/tokens/${created.id}`, { method: 'DELETE', headers: { authorization: alice } })).status, 404, 'already revoked');
  });

  it('answers 405 with Allow for other methods and leaves other paths to the server', async () => {
    const response = await call('/api/tokens', { method: 'PUT', headers: { authorization: alice } });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET, POST');
    assert.equal((await call('/api/other')).status, 404);
  });
});
