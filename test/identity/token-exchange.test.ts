// Token exchange (RFC 8693) for the phantom-token pattern: a gateway client trades a personal
// API token or an opaque access token for a short-lived JWT for one API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { createApiToken, revokeApiToken } from '../../src/identity/api-tokens.ts';
import { authorizationCodeFlow } from './code-flow.ts';
import { basic, BILLING, ORDERS, PASSWORD, postForm, startTestIdentity } from './oidc-fixture.ts';
import type { TestIdentity } from './oidc-fixture.ts';

let identity: TestIdentity;
before(async () => {
  identity = await startTestIdentity();
});
after(async () => {
  await identity.close();
});

const GATEWAY = basic('gateway', 'gateway-secret-0123456789');
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const now = () => Math.floor(Date.now() / 1000);

function exchange(subjectToken: string, extra: Record<string, string> = {}, auth = GATEWAY) {
  return postForm(`${identity.url}/token`, {
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token: subjectToken,
    subject_token_type: ACCESS_TOKEN_TYPE,
    ...extra,
  }, auth);
}

async function verify(token: string, audience: string) {
  const keys = (await (await fetch(`${identity.url}/jwks`)).json()) as JSONWebKeySet;
  return jwtVerify(token, createLocalJWKSet(keys), { issuer: identity.config.issuer, audience, typ: 'at+jwt' });
}

async function apiToken(name: string, scopes: string[], expiresInSeconds?: number, createdAt = now()) {
  return createApiToken(identity.service.store, { userId: identity.aliceId, name, scopes, expiresInSeconds }, createdAt);
}

describe('token exchange of an API token', () => {
  it("returns a JWT for the resource with the token's user and scopes", async () => {
    const { token, record } = await apiToken('cli', ['orders:read', 'billing:read']);
    const { status, body } = await exchange(token, { resource: ORDERS });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.issued_token_type, ACCESS_TOKEN_TYPE);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 300);
    assert.equal(body.scope, 'orders:read');
    const { payload, protectedHeader } = await verify(String(body.access_token), ORDERS);
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(payload.sub, identity.aliceId);
    assert.equal(payload.client_id, `api-token:${record.id}`);
    assert.equal(payload.scope, 'orders:read', 'API token scopes ∩ resource scopes');
    assert.deepEqual(payload.roles, ['user']);
    assert.equal(payload.aud, ORDERS);
    assert.ok(await identity.service.store.issuedTokens.find(String(payload.jti)), 'the exchanged token is on record');
  });

  it('accepts the RFC 8693 audience parameter and never outlives the API token', async () => {
    const { token } = await apiToken('short', ['billing:read'], 100);
    const { status, body } = await exchange(token, { audience: BILLING });
    assert.equal(status, 200, JSON.stringify(body));
    assert.ok(Number(body.expires_in) <= 100);
    const { payload } = await verify(String(body.access_token), BILLING);
    assert.equal(payload.scope, 'billing:read');
  });

  const refusals: Array<{ name: string; subject: () => Promise<string>; extra?: Record<string, string>; error: string }> = [
    { name: 'a revoked API token', error: 'invalid_grant', subject: async () => {
      const { token, record } = await apiToken('revoked', ['orders:read']);
      await revokeApiToken(identity.service.store, record.id, now());
      return token;
    } },
    { name: 'an expired API token', error: 'invalid_grant', subject: async () => (await apiToken('expired', ['orders:read'], 60, now() - 120)).token },
    { name: 'an unknown API token', error: 'invalid_grant', subject: async () => 'gat_000000000000000000000000000000000000' },
    { name: 'garbage', error: 'invalid_grant', subject: async () => 'not-a-token' },
    { name: 'a resource the gateway is not registered for', error: 'invalid_target', extra: { resource: 'https://unknown.gatehouse.test' },
      subject: async () => (await apiToken('target', ['orders:read'])).token },
    { name: 'no resource when the gateway serves several', error: 'invalid_target', extra: { resource: '' },
      subject: async () => (await apiToken('no-target', ['orders:read'])).token },
    { name: 'another subject token type', error: 'invalid_request', extra: { resource: ORDERS, subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' },
      subject: async () => (await apiToken('type', ['orders:read'])).token },
  ];
  for (const refusal of refusals) {
    it(`refuses ${refusal.name}: ${refusal.error}`, async () => {
      const extra = { resource: ORDERS, ...refusal.extra };
      if (extra.resource === '') delete (extra as Record<string, string>).resource;
      const { status, body } = await exchange(await refusal.subject(), extra);
      assert.equal(status, 400, JSON.stringify(body));
      assert.equal(body.error, refusal.error);
      assert.equal(body.access_token, undefined);
    });
  }

  it('refuses a client that is not allowed the grant', async () => {
    const { token } = await apiToken('m2m-try', ['orders:read']);
    const { status, body } = await exchange(token, { resource: ORDERS }, basic('m2m', 'm2m-secret-0123456789'));
    assert.equal(status, 400);
    assert.equal(body.error, 'invalid_request');
  });
});

describe('token exchange of an opaque access token', () => {
  it('turns the userinfo access token of a sign-in into a JWT for the API', async () => {
    const signIn = await authorizationCodeFlow(identity.url, {
      clientId: 'web', clientSecret: 'web-secret-0123456789', scope: 'openid orders:read', username: 'alice', password: PASSWORD,
    });
    assert.equal(signIn.status, 200, JSON.stringify(signIn.body));
    const opaque = String(signIn.body.access_token);
    assert.equal(opaque.split('.').length, 1, 'without a resource the access token is opaque (userinfo)');
    const { status, body } = await exchange(opaque, { resource: ORDERS });
    assert.equal(status, 200, JSON.stringify(body));
    const { payload } = await verify(String(body.access_token), ORDERS);
    assert.equal(payload.sub, identity.aliceId);
    assert.equal(payload.client_id, 'web', 'the client the user authorized');
  });
});
