// verifyRequest: what a service accepts and refuses, by stable error code.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRequestVerifier, GatehouseAuthError, type RequestVerifier } from '../../packages/sdk/src/index.ts';
import { makeSigningKey, nowSeconds, signHs256Raw } from '../authn/support/tokens.ts';
import { GATEWAY_ISSUER, SERVICE_AUDIENCE, startFakeGateway, type FakeGateway } from './support/internal-tokens.ts';

describe('verifyRequest', () => {
  let gateway: FakeGateway;
  let verify: RequestVerifier;
  before(async () => {
    gateway = await startFakeGateway();
    verify = createRequestVerifier({ jwksUrl: gateway.jwks.jwksUri, issuer: GATEWAY_ISSUER, audience: SERVICE_AUDIENCE });
  });
  after(() => gateway.close());

  test('a token the gateway minted for this service gives a typed identity', async () => {
    const identity = await verify({ headers: { 'x-gatehouse-token': await gateway.internalToken() } });
    assert.equal(identity.subject, 'alice');
    assert.equal(identity.originalIssuer, 'https://issuer.test');
    assert.deepEqual(identity.scopes, ['orders:read', 'profile']);
    assert.deepEqual(identity.roles, ['customer']);
    assert.equal(identity.source, 'internal-token');
  });

  const refused: { name: string; token: (g: FakeGateway) => Promise<string | undefined>; code: string; status: number }[] = [
    { name: 'no token at all', token: async () => undefined, code: 'ERR_GATEHOUSE_TOKEN_MISSING', status: 401 },
    { name: 'not a JWT', token: async () => 'not-a-jwt', code: 'ERR_GATEHOUSE_TOKEN_INVALID', status: 401 },
    { name: 'expired', token: (g) => g.internalToken({ iat: nowSeconds() - 120, exp: nowSeconds() - 60 }), code: 'ERR_GATEHOUSE_TOKEN_EXPIRED', status: 401 },
    { name: 'for another service', token: (g) => g.internalToken({ aud: 'billing' }), code: 'ERR_GATEHOUSE_AUDIENCE_MISMATCH', status: 401 },
    { name: 'from another issuer', token: (g) => g.internalToken({ iss: 'https://other-gateway.test' }), code: 'ERR_GATEHOUSE_ISSUER_MISMATCH', status: 401 },
    {
      name: 'tampered payload',
      token: async (g) => {
        const [header, , signature] = (await g.internalToken()).split('.');
        const forged = Buffer.from(JSON.stringify({ iss: GATEWAY_ISSUER, aud: SERVICE_AUDIENCE, sub: 'admin', iat: nowSeconds(), exp: nowSeconds() + 60 })).toString('base64url');
        return `${header}.${forged}.${signature}`;
      },
      code: 'ERR_GATEHOUSE_SIGNATURE_INVALID',
      status: 401,
    },
    {
      name: 'signed by a key the gateway does not publish (same kid)',
      token: async (g) => g.internalToken({}, await makeSigningKey('gw-1', 'ES256')),
      code: 'ERR_GATEHOUSE_SIGNATURE_INVALID',
      status: 401,
    },
    {
      name: 'HS256 with the public key as secret (algorithm confusion)',
      token: async (g) => signHs256Raw(JSON.stringify(g.key.publicJwk), { alg: 'HS256', kid: 'gw-1' }, { iss: GATEWAY_ISSUER, aud: SERVICE_AUDIENCE, iat: nowSeconds(), exp: nowSeconds() + 60 }),
      code: 'ERR_GATEHOUSE_ALGORITHM_NOT_ALLOWED',
      status: 401,
    },
  ];
  for (const { name, token, code, status } of refused) {
    test(`refused: ${name} → ${code}`, async () => {
      const value = await token(gateway);
      const headers = value === undefined ? {} : { 'x-gatehouse-token': value };
      await assert.rejects(verify({ headers }), (error: unknown) => {
        assert.ok(error instanceof GatehouseAuthError);
        assert.equal(error.code, code);
        assert.equal(error.status, status);
        return true;
      });
    });
  }

  test('an unreachable JWKS is ERR_GATEHOUSE_JWKS_UNAVAILABLE (503), not a token problem', async () => {
    const down = await startFakeGateway();
    down.jwks.down = true;
    const verifyDown = createRequestVerifier({ jwksUrl: down.jwks.jwksUri, issuer: GATEWAY_ISSUER, audience: SERVICE_AUDIENCE });
    try {
      await assert.rejects(verifyDown({ headers: { 'x-gatehouse-token': await down.internalToken() } }), { code: 'ERR_GATEHOUSE_JWKS_UNAVAILABLE', status: 503 });
    } finally {
      await down.close();
    }
  });

  test('the payload header is read only on a connection the service trusts', async () => {
    const payload = Buffer.from(JSON.stringify({ iss: 'https://issuer.test', sub: 'bob', scp: ['a', 'b'] })).toString('base64url');
    const options = { jwksUrl: gateway.jwks.jwksUri, issuer: GATEWAY_ISSUER, audience: SERVICE_AUDIENCE };
    // Default trust: a verified TLS client certificate; a plain request has none.
    const byDefault = createRequestVerifier({ ...options, trustPayloadHeader: {} });
    await assert.rejects(byDefault({ headers: { 'x-jwt-payload': payload } }), { code: 'ERR_GATEHOUSE_PAYLOAD_UNTRUSTED' });
    const overMtls = await byDefault({ headers: { 'x-jwt-payload': payload }, socket: { authorized: true } as never });
    assert.equal(overMtls.subject, 'bob');
    const custom = createRequestVerifier({ ...options, trustPayloadHeader: { when: () => true } });
    const identity = await custom({ headers: { 'x-jwt-payload': payload } });
    assert.deepEqual([identity.subject, identity.originalIssuer, identity.scopes, identity.source], ['bob', 'https://issuer.test', ['a', 'b'], 'payload-header']);
    // Without trustPayloadHeader the header means nothing.
    await assert.rejects(verify({ headers: { 'x-jwt-payload': payload } }), { code: 'ERR_GATEHOUSE_TOKEN_MISSING' });
  });
});
