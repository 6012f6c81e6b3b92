// Internal tokens end to end: the gateway signs a short-lived JWT per backend, publishes its key
// on the admin listener's JWKS, and a service verifies it with the SDK — and refuses a token the
// gateway minted for another service, or one a client forged.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { createRequestVerifier } from '../../packages/sdk/src/index.ts';
import { AUDIENCE, ISSUER, startEchoUpstream, startHarness, type EchoUpstream, type Harness } from './gateway-harness.ts';

const GATEWAY_ISSUER = 'https://gateway.test';

function configYaml(urls: { orders: string; users: string; plain: string; jwksUri: string }, identityExtra = ''): string {
  const backend = (name: string, url: string, internalToken: string) => `apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata: {name: ${name}}
spec:
  endpoints: [{url: "${url}"}]
${internalToken}`;
  const route = (name: string, prefix: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: "/${prefix}"}}]
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: ${name}}]`;
  return [
    `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  listeners: [{name: http, port: 8080, protocol: HTTP}]`,
    `apiVersion: gatehouse.dev/v1alpha1
kind: GatewayIdentity
metadata: {name: gateway}
spec:
  issuer: "${GATEWAY_ISSUER}"
${identityExtra}`,
    backend('orders', urls.orders, '  internalToken: {}'),
    backend('users', urls.users, '  internalToken: {audience: users-service, mode: replace}'),
    backend('plain', urls.plain, ''),
    route('orders', 'orders'),
    route('users', 'users'),
    route('plain', 'plain'),
    `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt}
spec:
  jwtRules:
  - issuer: "${ISSUER}"
    audiences: [${AUDIENCE}]
    jwksUri: "${urls.jwksUri}"
    outputPayloadToHeader: x-jwt-payload`,
  ].join('\n---\n');
}

describe('gateway internal tokens', () => {
  let h: Harness;
  let users: EchoUpstream;
  let plain: EchoUpstream;
  before(async () => {
    users = await startEchoUpstream('users');
    plain = await startEchoUpstream('plain');
    h = await startHarness({ configYaml: ({ echo, jwksUri }) => configYaml({ orders: echo, users: users.url, plain: plain.url, jwksUri }) });
  });
  after(async () => {
    await h.close();
    await Promise.all([users.close(), plain.close()]);
  });

  const call = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${h.baseUrl}${path}`, { headers });
    assert.equal(response.status, 200);
    return ((await response.json()) as { headers: Record<string, string> }).headers;
  };
  const jwksUrl = () => `${h.adminUrl}/.well-known/jwks.json`;

  test('the upstream receives an ES256 token for itself, verifiable with the gateway JWKS', async () => {
    const token = await h.token({ scope: 'orders:read', roles: ['customer'], email: 'alice@example.com', secret_claim: 'x' });
    const seen = await call('/orders/1', { authorization: `Bearer ${token}` });
    const { payload, protectedHeader } = await jwtVerify(seen['x-gatehouse-token'], createRemoteJWKSet(new URL(jwksUrl())), {
      issuer: GATEWAY_ISSUER,
      audience: 'orders',
      algorithms: ['ES256'],
    });
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(payload.sub, 'alice');
    assert.equal(payload.orig_iss, ISSUER);
    assert.equal(payload.scope, 'orders:read');
    assert.deepEqual(payload.roles, ['customer']);
    assert.equal(payload.email, 'alice@example.com');
    assert.equal(payload.secret_claim, undefined, 'only the documented claims are copied');
    assert.equal(payload.exp! - payload.iat!, 60);
    assert.match(String(payload.jti), /^[0-9a-f-]{36}$/);
    assert.ok(seen['x-jwt-payload'], 'mode alongside keeps the payload header');
  });

  test('the JWKS is public keys only, cacheable', async () => {
    const response = await fetch(jwksUrl());
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=60');
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    assert.equal(keys.length, 1);
    assert.deepEqual([keys[0].kty, keys[0].crv, keys[0].alg, keys[0].use, 'd' in keys[0]], ['EC', 'P-256', 'ES256', 'sig', false]);
  });

  test("a token minted for service A is refused by service B's verifier", async () => {
    const seen = await call('/orders/1', { authorization: `Bearer ${await h.token()}` });
    const ordersVerifier = createRequestVerifier({ jwksUrl: jwksUrl(), issuer: GATEWAY_ISSUER, audience: 'orders' });
    const usersVerifier = createRequestVerifier({ jwksUrl: jwksUrl(), issuer: GATEWAY_ISSUER, audience: 'users-service' });
    const headers = { 'x-gatehouse-token': seen['x-gatehouse-token'] };
    assert.equal((await ordersVerifier({ headers })).subject, 'alice');
    await assert.rejects(usersVerifier({ headers }), { code: 'ERR_GATEHOUSE_AUDIENCE_MISMATCH' });
  });

  test('mode replace: the token is the only identity the service receives', async () => {
    const seen = await call('/users/1', { authorization: `Bearer ${await h.token()}` });
    assert.equal(seen['x-jwt-payload'], undefined);
    assert.equal(decodeJwt(seen['x-gatehouse-token']).aud, 'users-service');
  });

  test('a client-forged x-gatehouse-token is stripped, and replaced where the gateway signs one', async () => {
    const forged = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.';
    const toPlain = await call('/plain/1', { 'x-gatehouse-token': forged });
    assert.equal(toPlain['x-gatehouse-token'], undefined);
    const toOrders = await call('/orders/1', { 'x-gatehouse-token': forged, authorization: `Bearer ${await h.token()}` });
    assert.notEqual(toOrders['x-gatehouse-token'], forged);
    assert.equal(decodeJwt(toOrders['x-gatehouse-token']).sub, 'alice');
  });

  test('one signature per (caller, service) while fresh; another caller gets its own', async () => {
    const alice = await h.token();
    const first = await call('/orders/1', { authorization: `Bearer ${alice}` });
    const second = await call('/orders/2', { authorization: `Bearer ${alice}` });
    assert.equal(first['x-gatehouse-token'], second['x-gatehouse-token']);
    const bob = await call('/orders/1', { authorization: `Bearer ${await h.token({ sub: 'bob' })}` });
    assert.equal(decodeJwt(bob['x-gatehouse-token']).sub, 'bob');
  });

  test('an anonymous request still gets a token (it came through the gateway) without sub', async () => {
    const seen = await call('/orders/1');
    const identity = await createRequestVerifier({ jwksUrl: jwksUrl(), issuer: GATEWAY_ISSUER, audience: 'orders' })({ headers: { 'x-gatehouse-token': seen['x-gatehouse-token'] } });
    assert.equal(identity.subject, undefined);
    assert.equal(identity.originalIssuer, undefined);
  });
});

describe('gateway internal tokens with a shared signing key file', () => {
  test('the configured key signs and is the one published', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-key-'));
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keyFile = join(dir, 'gateway-key.json');
    await writeFile(keyFile, JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: 'shared-2026' }));
    const users = await startEchoUpstream('users');
    const h = await startHarness({
      configYaml: ({ echo, jwksUri }) => configYaml({ orders: echo, users: users.url, plain: users.url, jwksUri }, `  signingKeyFile: "${keyFile}"\n  tokenLifetime: 30s`),
    });
    try {
      const { keys } = (await (await fetch(`${h.adminUrl}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
      assert.deepEqual(keys.map((key) => key.kid), ['shared-2026']);
      const response = await fetch(`${h.baseUrl}/orders/1`, { headers: { authorization: `Bearer ${await h.token()}` } });
      const token = ((await response.json()) as { headers: Record<string, string> }).headers['x-gatehouse-token'];
      const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(`${h.adminUrl}/.well-known/jwks.json`)), { issuer: GATEWAY_ISSUER, audience: 'orders' });
      assert.equal(protectedHeader.kid, 'shared-2026');
      assert.equal(payload.exp! - payload.iat!, 30);
    } finally {
      await h.close();
      await users.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
