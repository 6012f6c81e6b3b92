// Issue #6, "Keys": a gateway pointed at the identity service must never reject a valid token
// during a rotation. Real identity service (SQLite), real gateway verifying its JWKS, real
// upstream; clients keep fetching fresh client-credentials tokens and replaying older ones through
// the gateway while the signing key is rotated three times. Not one request may fail, every token
// must have been signed by the key that was active when it was issued, and tokens signed by the
// first key still pass after the last rotation (its key stays published until they expire).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ORDERS, basic, decodeJwt, postForm, startTestIdentity, type TestIdentity } from '../identity/oidc-fixture.ts';
import { startHarness, type Harness } from './gateway-harness.ts';
import { edgeRoutingDocuments, requestAuthenticationDocument, yamlDocuments, signedInOnlyPolicyDocument } from '../support/gateway-documents.ts';

const CLIENT = basic('m2m', 'm2m-secret-0123456789');

let identity: TestIdentity;
let gateway: Harness;

function configYaml(echo: string): string {
  return yamlDocuments([
    ...edgeRoutingDocuments({ backends: { orders: echo }, routes: [{ name: 'orders', pathPrefix: '/orders', backend: 'orders' }] }),
    requestAuthenticationDocument('identity', { issuer: identity.config.issuer, audiences: [ORDERS], jwksUri: `${identity.url}/jwks` }),
    signedInOnlyPolicyDocument('signed-in'),
  ]);
}

async function clientCredentialsToken(): Promise<string> {
  const response = await postForm(`${identity.url}/token`, { grant_type: 'client_credentials', resource: ORDERS, scope: 'orders:read' }, CLIENT);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.access_token as string;
}

async function activeKid(): Promise<string> {
  const records = await identity.service.store.signingKeys.list();
  const active = records.find((record) => record.state === 'active');
  assert.ok(active, 'an active key');
  return active.kid;
}

describe('signing-key rotation under traffic (identity service → gateway)', () => {
  before(async () => {
    identity = await startTestIdentity();
    gateway = await startHarness({ configYaml: ({ echo }) => configYaml(echo) });
  });
  after(async () => {
    await gateway?.close();
    await identity?.close();
  });

  it('rotates three times while clients call the gateway: zero failed requests', async () => {
    const firstKid = await activeKid();
    const firstToken = await clientCredentialsToken();
    assert.equal(decodeJwt(firstToken).header.kid, firstKid);

    const issued: string[] = [firstToken];
    const failures: string[] = [];
    let requests = 0;
    let stop = false;

    async function client(): Promise<void> {
      while (!stop) {
        // Half fresh tokens (signed by whatever key is active now), half replays of older ones.
        const token = requests % 2 === 0 ? await clientCredentialsToken() : issued[requests % issued.length];
        if (requests % 2 === 0) issued.push(token);
        const response = await fetch(`${gateway.baseUrl}/orders/1`, { headers: { authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        requests += 1;
        if (response.status !== 200) failures.push(`${response.status} kid=${String(decodeJwt(token).header.kid)} ${response.headers.get('www-authenticate') ?? ''}`);
      }
    }

    const clients = [client(), client(), client(), client()];
    const kids = [firstKid];
    for (let rotation = 0; rotation < 3; rotation++) {
      const before = requests;
      // Let some traffic through on the current key before rotating again.
      while (requests < before + 40) await new Promise((resolve) => setTimeout(resolve, 10));
      await identity.service.rotateKeys();
      const kid = await activeKid();
      assert.notEqual(kid, kids.at(-1), 'rotation promotes another key');
      kids.push(kid);
      const fresh = await clientCredentialsToken();
      assert.equal(decodeJwt(fresh).header.kid, kid, 'new tokens are signed by the newly active key');
    }
    const settled = requests;
    while (requests < settled + 40) await new Promise((resolve) => setTimeout(resolve, 10));
    stop = true;
    await Promise.all(clients);

    assert.deepEqual(failures, [], `${failures.length} of ${requests} requests failed`);
    assert.ok(requests >= 160, `enough traffic went through (${requests})`);
    const signedBy = new Set(issued.map((token) => decodeJwt(token).header.kid));
    for (const kid of kids) assert.ok(signedBy.has(kid), `traffic carried tokens signed by ${kid}`);

    // The very first token, signed by a key retired three rotations ago, is still valid.
    const replay = await fetch(`${gateway.baseUrl}/orders/1`, { headers: { authorization: `Bearer ${firstToken}` } });
    assert.equal(replay.status, 200);
  });
});
