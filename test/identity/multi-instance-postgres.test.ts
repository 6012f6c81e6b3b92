// Issue #9: two identity services on ONE PostgreSQL schema act as one service — same clients,
// users and keys; a refresh token rotated on one instance is spent on the other; a key rotation
// on one reaches the other.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import pg from 'pg';
import type { StoreConfig } from '../../src/store/identity-store.ts';
import { authorizationCodeFlow } from './code-flow.ts';
import { basic, decodeJwt, ORDERS, PASSWORD, postForm, startTestIdentity } from './oidc-fixture.ts';
import type { TestIdentity } from './oidc-fixture.ts';

const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `gh_oidc_${randomBytes(5).toString('hex')}`;
const WEB = basic('web', 'web-secret-0123456789');

let a: TestIdentity;
let b: TestIdentity;
before(async () => {
  const storage: StoreConfig = { driver: 'postgres', url: POSTGRES_URL, schema: SCHEMA };
  a = await startTestIdentity({ storage, checkKeysEverySeconds: 1 });
  // The second instance serves the same issuer (behind one load balancer) and creates nothing.
  b = await startTestIdentity({ storage, issuer: a.config.issuer, addAlice: false, checkKeysEverySeconds: 1 });
});
after(async () => {
  await b?.close();
  await a?.close();
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(SCHEMA)} CASCADE`);
  await admin.end();
});

async function jwks(identity: TestIdentity): Promise<JSONWebKeySet> {
  return (await (await fetch(`${identity.url}/jwks`)).json()) as JSONWebKeySet;
}

function refresh(identity: TestIdentity, refreshToken: unknown) {
  return postForm(`${identity.url}/token`, { grant_type: 'refresh_token', refresh_token: String(refreshToken), resource: ORDERS }, WEB);
}

describe('two identity instances on one PostgreSQL schema', () => {
  it('serve the same users, clients and keys', async () => {
    assert.equal(b.aliceId, a.aliceId, 'alice, created through A, is known to B');
    assert.deepEqual(await jwks(b), await jwks(a));
    const token = await postForm(`${b.url}/token`, { grant_type: 'client_credentials', resource: ORDERS }, basic('m2m', 'm2m-secret-0123456789'));
    assert.equal(token.status, 200, JSON.stringify(token.body));
    await jwtVerify(String(token.body.access_token), createLocalJWKSet(await jwks(a)), { issuer: a.config.issuer, audience: ORDERS });
  });

  it('a refresh token issued by A is rotated on B, and the old one then fails on A (reuse revokes the grant)', async () => {
    const signIn = await authorizationCodeFlow(a.url, {
      clientId: 'web', clientSecret: 'web-secret-0123456789', scope: 'openid offline_access orders:read', resource: ORDERS, username: 'alice', password: PASSWORD,
    });
    assert.equal(signIn.status, 200, JSON.stringify(signIn.body));

    const rotated = await refresh(b, signIn.body.refresh_token);
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.equal(decodeJwt(String(rotated.body.access_token)).payload.sub, a.aliceId);

    const replay = await refresh(a, signIn.body.refresh_token);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    const successor = await refresh(b, rotated.body.refresh_token);
    assert.equal(successor.body.error, 'invalid_grant', 'the reuse on A revoked the grant for B too');

    const jti = String(decodeJwt(String(rotated.body.access_token)).payload.jti);
    const revoked = await b.service.store.revocations.active(Math.floor(Date.now() / 1000));
    assert.ok(revoked.some((record) => record.kind === 'jti' && record.value === jti), 'the JWT B issued is revoked by A');
  });

  it('a key rotation on A reaches B', async () => {
    const before = (await jwks(a)).keys.map((key) => key.kid);
    await a.service.rotateKeys();
    const expected = (await jwks(a)).keys.map((key) => key.kid);
    assert.notDeepEqual(expected, before);
    // B reloads the key set on its own timer (keys.checkEverySeconds = 1 here).
    let seen: Array<string | undefined> = [];
    for (let attempt = 0; attempt < 100; attempt += 1) {
      seen = (await jwks(b)).keys.map((key) => key.kid);
      if (JSON.stringify(seen) === JSON.stringify(expected)) break;
      await sleep(100);
    }
    assert.deepEqual(seen, expected);
    const token = await postForm(`${b.url}/token`, { grant_type: 'client_credentials', resource: ORDERS }, basic('m2m', 'm2m-secret-0123456789'));
    assert.equal(decodeJwt(String(token.body.access_token)).header.kid, expected[0], 'B signs with the newly active key');
  });
});
