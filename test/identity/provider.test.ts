// The OIDC provider over real sockets: discovery, JWKS, and client-credentials tokens for APIs
// (RFC 8707 resource indicators, RFC 9068 JWT access tokens).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { ADMIN_TOKEN, basic, BILLING, decodeJwt, ORDERS, postForm, startTestIdentity } from './oidc-fixture.ts';
import type { TestIdentity } from './oidc-fixture.ts';

let identity: TestIdentity;
before(async () => {
  identity = await startTestIdentity();
});
after(async () => {
  await identity.close();
});

const M2M = basic('m2m', 'm2m-secret-0123456789');
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

async function jwks(): Promise<JSONWebKeySet> {
  const response = await fetch(`${identity.url}/jwks`);
  assert.equal(response.status, 200);
  return (await response.json()) as JSONWebKeySet;
}

describe('discovery', () => {
  it('publishes the issuer, the endpoints and only the flows we support', async () => {
    const response = await fetch(`${identity.url}/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as Record<string, unknown>;
    assert.equal(document.issuer, identity.config.issuer);
    for (const [field, path] of [
      ['authorization_endpoint', '/auth'], ['token_endpoint', '/token'], ['jwks_uri', '/jwks'], ['userinfo_endpoint', '/me'],
      ['introspection_endpoint', '/token/introspection'], ['revocation_endpoint', '/token/revocation'], ['end_session_endpoint', '/session/end'],
    ]) {
      assert.equal(document[field], `${identity.config.issuer}${path}`, field);
    }
    assert.deepEqual(document.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(document.response_types_supported, ['code']);
    const grants = document.grant_types_supported as string[];
    for (const grant of ['authorization_code', 'refresh_token', 'client_credentials', TOKEN_EXCHANGE]) assert.ok(grants.includes(grant), grant);
    assert.ok(!grants.includes('implicit'));
    assert.deepEqual(document.id_token_signing_alg_values_supported, ['ES256']);
    assert.ok((document.scopes_supported as string[]).includes('orders:read'));
  });

  it('publishes the active and the next public key, never a private part', async () => {
    const { keys } = await jwks();
    assert.equal(keys.length, 2);
    for (const key of keys) {
      assert.equal(key.alg, 'ES256');
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal((key as Record<string, unknown>)[secret], undefined, secret);
    }
    assert.equal(new Set(keys.map((key) => key.kid)).size, 2);
  });
});

describe('client credentials', () => {
  it('issues an RFC 9068 JWT for the requested resource that verifies against the JWKS', async () => {
    const { status, body } = await postForm(`${identity.url}/token`, { grant_type: 'client_credentials', resource: ORDERS, scope: 'orders:read' }, M2M);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 600, 'default access token lifetime is 10 minutes');
    const token = String(body.access_token);
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await jwks()), {
      issuer: identity.config.issuer,
      audience: ORDERS,
      typ: 'at+jwt',
      algorithms: ['ES256'],
    });
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(payload.aud, ORDERS, 'exactly one audience, as a string');
    assert.equal(payload.client_id, 'm2m');
    assert.equal(payload.sub, 'm2m');
    assert.equal(payload.scope, 'orders:read');
    assert.equal(typeof payload.jti, 'string');
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 600);
    const recorded = await identity.service.store.issuedTokens.find(String(payload.jti));
    assert.equal(recorded?.clientId, 'm2m');
  });

  it('defaults the resource of a client registered for exactly one API', async () => {
    const { status, body } = await postForm(`${identity.url}/token`, { grant_type: 'client_credentials', scope: 'orders:read' }, M2M);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(decodeJwt(String(body.access_token)).payload.aud, ORDERS);
  });

  it('uses the lifetime configured for the resource', async () => {
    const client = basic('m2m-multi', 'm2m-secret-0123456789');
    const { status, body } = await postForm(`${identity.url}/token`, { grant_type: 'client_credentials', resource: BILLING, scope: 'billing:read orders:read' }, client);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.expires_in, 120);
    const { payload } = decodeJwt(String(body.access_token));
    assert.equal(payload.scope, 'billing:read', 'scopes of another API are not carried');
    assert.equal(payload.aud, BILLING);
  });

  const refusals: Array<{ name: string; fields: Record<string, string>; auth: string; status: number; error: string }> = [
    { name: 'a scope the client is not allowed', fields: { resource: ORDERS, scope: 'orders:read orders:write' }, auth: M2M, status: 400, error: 'invalid_scope' },
    { name: 'a resource the client is not registered for', fields: { resource: BILLING, scope: 'orders:read' }, auth: M2M, status: 400, error: 'invalid_target' },
    { name: 'an unknown resource', fields: { resource: 'https://unknown.gatehouse.test', scope: 'orders:read' }, auth: M2M, status: 400, error: 'invalid_target' },
    { name: 'no resource when the client has several', fields: { scope: 'orders:read' }, auth: basic('m2m-multi', 'm2m-secret-0123456789'), status: 400, error: 'invalid_target' },
    { name: 'a wrong client secret', fields: { resource: ORDERS }, auth: basic('m2m', 'not-the-secret-0123'), status: 401, error: 'invalid_client' },
    { name: 'an unknown client', fields: { resource: ORDERS }, auth: basic('nobody', 'm2m-secret-0123456789'), status: 401, error: 'invalid_client' },
    { name: 'a client without the grant', fields: { resource: ORDERS }, auth: basic('web', 'web-secret-0123456789'), status: 400, error: 'invalid_request' },
  ];
  for (const refusal of refusals) {
    it(`refuses ${refusal.name}: ${refusal.status} ${refusal.error}`, async () => {
      const { status, body } = await postForm(`${identity.url}/token`, { grant_type: 'client_credentials', ...refusal.fields }, refusal.auth);
      assert.equal(status, refusal.status, JSON.stringify(body));
      assert.equal(body.error, refusal.error);
      assert.equal(body.access_token, undefined);
    });
  }

  it('refuses two resources in one request: invalid_target', async () => {
    const client = basic('m2m-multi', 'm2m-secret-0123456789');
    const { status, body } = await postForm(`${identity.url}/token`, { grant_type: 'client_credentials', resource: [ORDERS, BILLING], scope: 'orders:read' }, client);
    assert.equal(status, 400, JSON.stringify(body));
    assert.equal(body.error, 'invalid_target');
  });
});

describe('key rotation', () => {
  it('promotes the published next key, and tokens signed before still verify', async () => {
    const before = await postForm(`${identity.url}/token`, { grant_type: 'client_credentials', resource: ORDERS }, M2M);
    const oldToken = String(before.body.access_token);
    const oldKid = decodeJwt(oldToken).header.kid;
    const keysBefore = (await jwks()).keys.map((key) => key.kid);
    assert.equal(keysBefore[0], oldKid, 'the active key signs');
    const nextKid = keysBefore[1];

    // Through the admin API, as an operator would: the server swaps to a provider with the new keys.
    const rotated = await fetch(`${identity.url}/admin/keys/rotate`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(rotated.status, 200);

    const after = await jwks();
    const kids = after.keys.map((key) => key.kid);
    assert.equal(kids[0], nextKid, 'the former next key is active');
    assert.ok(kids.includes(String(oldKid)), 'the retired key stays published');
    assert.equal(kids.length, 3, 'a new next key is published');
    const newNext = kids.find((kid) => kid !== nextKid && kid !== oldKid);

    const fresh = await postForm(`${identity.url}/token`, { grant_type: 'client_credentials', resource: ORDERS }, M2M);
    const freshToken = String(fresh.body.access_token);
    assert.equal(decodeJwt(freshToken).header.kid, nextKid);
    assert.notEqual(decodeJwt(freshToken).header.kid, newNext, 'a next key never signs');
    const keySet = createLocalJWKSet(after);
    for (const token of [oldToken, freshToken]) {
      await jwtVerify(token, keySet, { issuer: identity.config.issuer, audience: ORDERS, typ: 'at+jwt' });
    }
  });
});
