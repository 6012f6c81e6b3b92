// Issue #9, "Shared state across instances — Revocation", end to end: the identity service itself
// (SQLite store, revocation broadcast on the real Redis) revokes, and two gateway instances with a
// RevocationFeed refuse the token within one second. Covered: a JWT access token revoked by jti
// through the admin API, a user's access token whose grant is revoked by RFC 7009 revocation of
// its refresh token, and every token of a client that is removed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { revocationKey } from '../../src/store/redis/revocation-wire.ts';
import { authorizationCodeFlow } from '../identity/code-flow.ts';
import { ADMIN_TOKEN, ORDERS, PASSWORD, basic, decodeJwt, postForm, startTestIdentity, type TestIdentity } from '../identity/oidc-fixture.ts';
import { startHarness, type Harness } from './gateway-harness.ts';
import { edgeRoutingDocuments, requestAuthenticationDocument, yamlDocuments } from '../support/gateway-documents.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `gatehouse-test:${randomUUID()}:`;
let identity: TestIdentity;
const gateways: Harness[] = [];

function configYaml(echo: string): string {
  return yamlDocuments([
    ...edgeRoutingDocuments({ backends: { orders: echo }, routes: [{ name: 'orders', pathPrefix: '/orders', backend: 'orders' }] }),
    requestAuthenticationDocument('identity', { issuer: identity.config.issuer, audiences: [ORDERS], jwksUri: `${identity.url}/jwks` }),
    `apiVersion: gatehouse.dev/v1alpha1
kind: RevocationFeed
metadata: {name: revocations}
spec:
  redis: {url: "${REDIS_URL}", keyPrefix: "${prefix}"}`,
  ]);
}

async function status(gateway: Harness, token: string): Promise<{ status: number; error?: string }> {
  const response = await fetch(`${gateway.baseUrl}/orders/1`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { error?: string };
  return { status: response.status, error: response.status === 200 ? undefined : body.error };
}

/** Polls every gateway for at most 1 s (the propagation contract) until each refuses the token as revoked. */
async function refusedEverywhereWithinASecond(token: string): Promise<boolean> {
  const deadline = Date.now() + 1000;
  const pending = new Set(gateways);
  do {
    for (const gateway of [...pending]) if ((await status(gateway, token)).error === 'token_revoked') pending.delete(gateway);
    if (pending.size === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  } while (Date.now() < deadline);
  return false;
}

async function clientCredentials(clientId: string, secret = 'm2m-secret-0123456789'): Promise<string> {
  const response = await postForm(`${identity.url}/token`, { grant_type: 'client_credentials', resource: ORDERS, scope: 'orders:read' }, basic(clientId, secret));
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.access_token as string;
}

async function everyGatewayAccepts(token: string): Promise<void> {
  for (const gateway of gateways) assert.equal((await status(gateway, token)).status, 200);
}

describe('revocation at the identity service reaches every gateway (Redis broadcast)', () => {
  before(async () => {
    identity = await startTestIdentity({ revocation: { redisUrl: REDIS_URL, keyPrefix: prefix } });
    for (let i = 0; i < 2; i++) gateways.push(await startHarness({ configYaml: ({ echo }) => configYaml(echo) }));
  });
  after(async () => {
    for (const gateway of gateways) await gateway.close();
    await identity?.close();
    const redis = new Redis(REDIS_URL);
    await redis.del(revocationKey(prefix));
    redis.disconnect();
  });

  it('an access token revoked by jti through the admin API', async () => {
    const token = await clientCredentials('m2m');
    const other = await clientCredentials('m2m');
    await everyGatewayAccepts(token);
    const { jti } = decodeJwt(token).payload;
    const revoke = await fetch(`${identity.url}/admin/access-tokens/${String(jti)}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(revoke.status, 204);
    assert.ok(await refusedEverywhereWithinASecond(token), 'both gateways refuse the revoked token');
    await everyGatewayAccepts(other);
  });

  it("a user's access token, when its refresh token is revoked (RFC 7009 revokes the grant)", async () => {
    const tokens = await authorizationCodeFlow(identity.url, {
      clientId: 'web', clientSecret: 'web-secret-0123456789', scope: 'openid offline_access orders:read', resource: ORDERS, username: 'alice', password: PASSWORD,
    });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const accessToken = tokens.body.access_token as string;
    assert.equal(decodeJwt(accessToken).payload.sub, identity.aliceId);
    await everyGatewayAccepts(accessToken);
    const revoke = await postForm(`${identity.url}/token/revocation`, { token: tokens.body.refresh_token as string, token_type_hint: 'refresh_token' }, basic('web', 'web-secret-0123456789'));
    assert.equal(revoke.status, 200);
    assert.ok(await refusedEverywhereWithinASecond(accessToken), 'both gateways refuse the access token of the revoked grant');
  });

  it('every token of a client that is removed', async () => {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const created = await fetch(`${identity.url}/admin/clients`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ clientId: 'nightly-report', grantTypes: ['client_credentials'], scopes: ['orders:read'], resources: [ORDERS] }),
    });
    assert.equal(created.status, 201);
    const { clientSecret } = (await created.json()) as { clientSecret: string };
    const token = await clientCredentials('nightly-report', clientSecret);
    await everyGatewayAccepts(token);
    const removal = await fetch(`${identity.url}/admin/clients/nightly-report`, { method: 'DELETE', headers: admin });
    assert.equal(removal.status, 204);
    assert.ok(await refusedEverywhereWithinASecond(token), "both gateways refuse the removed client's token");
    await everyGatewayAccepts(await clientCredentials('m2m'));
  });
});
