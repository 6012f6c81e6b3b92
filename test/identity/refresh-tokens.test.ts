// User tokens end to end without a browser: the authorization-code flow through our login page,
// refresh-token rotation and reuse detection (RFC 9700 §4.14.2), RFC 7009 revocation and
// RFC 7662 introspection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { authorizationCodeFlow } from './code-flow.ts';
import { basic, decodeJwt, ORDERS, PASSWORD, postForm, startTestIdentity } from './oidc-fixture.ts';
import type { TestIdentity, TokenResponse } from './oidc-fixture.ts';

let identity: TestIdentity;
before(async () => {
  identity = await startTestIdentity();
});
after(async () => {
  await identity.close();
});

const WEB = basic('web', 'web-secret-0123456789');

function signIn(scope = 'openid profile roles offline_access orders:read'): Promise<TokenResponse> {
  return authorizationCodeFlow(identity.url, {
    clientId: 'web', clientSecret: 'web-secret-0123456789', scope, resource: ORDERS, username: 'alice', password: PASSWORD,
  });
}

function refresh(refreshToken: unknown, auth = WEB): Promise<TokenResponse> {
  return postForm(`${identity.url}/token`, { grant_type: 'refresh_token', refresh_token: String(refreshToken), resource: ORDERS }, auth);
}

describe('authorization code flow', () => {
  it('signs alice in on the login page and issues an ID token, a JWT access token for the API and a refresh token', async () => {
    const { status, body } = await signIn();
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(typeof body.refresh_token, 'string');
    const keys = (await (await fetch(`${identity.url}/jwks`)).json()) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(String(body.access_token), createLocalJWKSet(keys), {
      issuer: identity.config.issuer, audience: ORDERS, typ: 'at+jwt',
    });
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(payload.sub, identity.aliceId);
    assert.equal(payload.client_id, 'web');
    assert.equal(payload.scope, 'orders:read');
    assert.deepEqual(payload.roles, ['user']);
    assert.deepEqual(payload.groups, ['staff']);
    assert.equal(payload.preferred_username, 'alice');
    const idToken = await jwtVerify(String(body.id_token), createLocalJWKSet(keys), { issuer: identity.config.issuer, audience: 'web' });
    assert.equal(idToken.payload.sub, identity.aliceId);
  });

  it('requires PKCE (S256) of a public client', async () => {
    const { status, body } = await authorizationCodeFlow(identity.url, {
      clientId: 'spa', scope: 'openid orders:read', resource: ORDERS, username: 'alice', password: PASSWORD,
    });
    assert.equal(status, 200, 'the public client with PKCE succeeds');
    assert.equal(decodeJwt(String(body.access_token)).payload.client_id, 'spa');
    const authorize = new URL('/auth', identity.url);
    authorize.search = new URLSearchParams({ client_id: 'spa', response_type: 'code', redirect_uri: 'http://127.0.0.1:1/callback', scope: 'openid' }).toString();
    const response = await fetch(authorize, { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '', identity.url);
    assert.equal(location.searchParams.get('error'), 'invalid_request', 'PKCE is required for public clients');
  });
});

describe('refresh tokens', () => {
  it('rotate on every use: the new token works, the response carries a fresh access token', async () => {
    const first = await signIn();
    const second = await refresh(first.body.refresh_token);
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.notEqual(second.body.refresh_token, first.body.refresh_token);
    assert.equal(decodeJwt(String(second.body.access_token)).payload.aud, ORDERS);
    const third = await refresh(second.body.refresh_token);
    assert.equal(third.status, 200, JSON.stringify(third.body));
  });

  it('reuse of a rotated refresh token revokes the grant: the newest one fails too, and its JWTs are revoked', async () => {
    const first = await signIn();
    const firstJti = String(decodeJwt(String(first.body.access_token)).payload.jti);
    const second = await refresh(first.body.refresh_token);
    assert.equal(second.status, 200);
    const secondJti = String(decodeJwt(String(second.body.access_token)).payload.jti);

    const replay = await refresh(first.body.refresh_token);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    const after = await refresh(second.body.refresh_token);
    assert.equal(after.status, 400, 'the whole grant is gone');
    assert.equal(after.body.error, 'invalid_grant');

    const revoked = await identity.service.store.revocations.active(Math.floor(Date.now() / 1000));
    const jtis = new Set(revoked.filter((record) => record.kind === 'jti').map((record) => record.value));
    assert.ok(jtis.has(firstJti), 'the first access token is revoked');
    assert.ok(jtis.has(secondJti), 'the rotated access token is revoked');
  });

  it('another client cannot use the refresh token', async () => {
    const first = await signIn();
    const stolen = await refresh(first.body.refresh_token, basic('m2m', 'm2m-secret-0123456789'));
    assert.equal(stolen.status, 400);
    const own = await refresh(first.body.refresh_token);
    assert.equal(own.status, 200, 'a failed attempt by another client does not burn it');
  });
});

describe('revocation (RFC 7009) and introspection (RFC 7662)', () => {
  it('introspection answers confidential clients: active for a live refresh token, inactive after revocation', async () => {
    const { body } = await signIn();
    const refreshToken = String(body.refresh_token);
    const live = await postForm(`${identity.url}/token/introspection`, { token: refreshToken }, WEB);
    assert.equal(live.status, 200);
    assert.equal(live.body.active, true);
    assert.equal(live.body.client_id, 'web');
    assert.equal(live.body.sub, identity.aliceId);

    const revoked = await postForm(`${identity.url}/token/revocation`, { token: refreshToken, token_type_hint: 'refresh_token' }, WEB);
    assert.equal(revoked.status, 200);
    const dead = await postForm(`${identity.url}/token/introspection`, { token: refreshToken }, WEB);
    assert.deepEqual(dead.body, { active: false });
    const use = await refresh(refreshToken);
    assert.equal(use.body.error, 'invalid_grant', 'a revoked refresh token cannot be used');
    const jti = String(decodeJwt(String(body.access_token)).payload.jti);
    const active = await identity.service.store.revocations.active(Math.floor(Date.now() / 1000));
    assert.ok(active.some((record) => record.kind === 'jti' && record.value === jti), "the grant's JWT is revoked for the gateways");
  });

  it('introspection of an unknown token is inactive', async () => {
    const { status, body } = await postForm(`${identity.url}/token/introspection`, { token: 'not-a-token' }, WEB);
    assert.equal(status, 200);
    assert.deepEqual(body, { active: false });
  });

  it('introspection is refused to public clients', async () => {
    const { body: tokens } = await authorizationCodeFlow(identity.url, {
      clientId: 'spa', scope: 'openid orders:read', resource: ORDERS, username: 'alice', password: PASSWORD,
    });
    assert.equal(typeof tokens.refresh_token, 'string');
    const { status, body } = await postForm(`${identity.url}/token/introspection`, { token: String(tokens.refresh_token), client_id: 'spa' });
    assert.equal(status, 400, JSON.stringify(body));
    assert.equal(body.error, 'unauthorized_client');
    assert.equal(body.active, undefined);
  });

  it('revocation needs client authentication', async () => {
    const { status, body } = await postForm(`${identity.url}/token/revocation`, { token: 'anything' }, basic('web', 'wrong-secret-0123456'));
    assert.equal(status, 401);
    assert.equal(body.error, 'invalid_client');
  });
});
