// Revocation across gateway instances through the real Redis on 127.0.0.1:6379: the identity
// side's publisher (real SQLite store) announces a revocation; every gateway with a RevocationFeed
// refuses the token within a second — a token it had already verified and cached included — and
// an instance started afterwards refuses it from its first request. A Redis outage keeps the
// revocations already known, is logged once, and what was published meanwhile applies on reconnect.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { IdentityStore } from '../../src/store/identity-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createRevocationPublisher, type RevocationPublisher } from '../../src/store/redis/revocation-publisher.ts';
import { revocationKey } from '../../src/store/redis/revocation-wire.ts';
import { nowSeconds } from '../authn/support/tokens.ts';
import { eventually, gatewayYaml, startHarness, waitForLogLine, type Harness } from './gateway-harness.ts';
import { startSwitchableProxy } from './support/switchable-proxy.ts';

const REDIS_PORT = 6379;
const REDIS_URL = `redis://127.0.0.1:${REDIS_PORT}`;
const started: Harness[] = [];
let dir: string;
let store: IdentityStore;
let redis: Redis;
let prefix: string;
let publisher: RevocationPublisher;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-revocation-e2e-'));
  store = await openStore({ driver: 'sqlite', path: join(dir, 'identity.db') });
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
});
after(async () => {
  redis.disconnect();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const h of started.splice(0)) await h.close();
  await publisher.close();
  await redis.del(revocationKey(prefix));
});

function feedYaml(redisUrl: string): string {
  return `apiVersion: gatehouse.dev/v1alpha1\nkind: RevocationFeed\nmetadata: {name: revocations}\nspec:\n  redis: {url: "${redisUrl}", keyPrefix: "${prefix}"}\n`;
}

/** A gateway whose tokens come from `issuerOf`'s JWKS (so one token works on every instance). */
async function gateway(issuerOf?: Harness, redisUrl = REDIS_URL): Promise<Harness> {
  const h = await startHarness({
    configYaml: ({ echo, jwksUri }) =>
      `${gatewayYaml({ upstreams: { echo }, routes: [{ name: 'api', pathPrefix: '/api', backend: 'echo' }], jwksUri: issuerOf?.jwks.jwksUri ?? jwksUri })}---\n${feedYaml(redisUrl)}`,
  });
  started.push(h);
  return h;
}

async function call(h: Harness, token: string): Promise<{ status: number; error?: string; challenge: string | null }> {
  const response = await fetch(`${h.baseUrl}/api/x`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { error?: string };
  return { status: response.status, error: response.status === 200 ? undefined : body.error, challenge: response.headers.get('www-authenticate') };
}

/** Polls for at most 1 s (the propagation contract) until the token is refused as revoked. */
async function refusedWithinASecond(h: Harness, token: string): Promise<boolean> {
  const deadline = Date.now() + 1000;
  do {
    if ((await call(h, token)).error === 'token_revoked') return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  } while (Date.now() < deadline);
  return false;
}

function newPublisher(): RevocationPublisher {
  prefix = `gatehouse-test:${randomUUID()}:`;
  publisher = createRevocationPublisher({ store: store.revocations, redisUrl: REDIS_URL, keyPrefix: prefix });
  return publisher;
}

describe('revocation feed across gateway instances', () => {
  test('a revoked jti is refused by two running instances within 1 s, and by one started later', async () => {
    // It connects asynchronously: a revoke before that reaches the store, and its first connect re-broadcasts the store.
    newPublisher();
    const a = await gateway();
    const b = await gateway(a);
    const jti = randomUUID();
    const token = await a.token({ jti });
    const other = await a.token({ jti: randomUUID() });
    // Both instances verify and cache the token first.
    for (const h of [a, b]) assert.equal((await call(h, token)).status, 200);

    await publisher.revoke({ kind: 'jti', value: jti, revokedAt: nowSeconds(), expiresAt: nowSeconds() + 600 });

    for (const h of [a, b]) assert.ok(await refusedWithinASecond(h, token), 'the cached token is refused after the revocation');
    const refused = await call(a, token);
    assert.equal(refused.status, 401);
    assert.match(refused.challenge ?? '', /error="invalid_token"/);
    assert.equal((await call(b, other)).status, 200, 'another token of the same user still works');

    const c = await gateway(a);
    assert.equal((await call(c, token)).error, 'token_revoked', 'an instance started after the revocation refuses it at once');
    assert.equal((await call(c, other)).status, 200);

    const metrics = await (await fetch(`${a.adminUrl}/metrics`)).text();
    assert.match(metrics, /gatehouse_revocation_feed_up\{feed="127\.0\.0\.1:6379\/[^"]+"\} 1/);
    assert.match(metrics, /gatehouse_auth_failures_total\{reason="token_revoked"\} [1-9]/);
  });

  test('subject and client revocations refuse tokens issued up to the cutoff, not later ones', async () => {
    newPublisher();
    const a = await gateway();
    const now = nowSeconds();
    const oldUser = await a.token({ sub: 'user-7', iat: now - 20 });
    const newUser = await a.token({ sub: 'user-7', iat: now });
    const oldClient = await a.token({ sub: 'svc', client_id: 'reports', iat: now - 20 });
    const otherClient = await a.token({ sub: 'svc', client_id: 'billing', iat: now - 20 });
    await publisher.revoke({ kind: 'subject', value: 'user-7', revokedAt: now - 10, expiresAt: now + 600 });
    await publisher.revoke({ kind: 'client', value: 'reports', revokedAt: now - 10, expiresAt: now + 600 });
    assert.ok(await refusedWithinASecond(a, oldUser));
    assert.ok(await refusedWithinASecond(a, oldClient));
    assert.equal((await call(a, newUser)).status, 200);
    assert.equal((await call(a, otherClient)).status, 200);
  });

  test('a Redis outage keeps known revocations, is logged once, and catches up on reconnect', async () => {
    newPublisher();
    const proxy = await startSwitchableProxy(REDIS_PORT);
    try {
      const a = await gateway(undefined, `redis://127.0.0.1:${proxy.port}`);
      const known = randomUUID();
      const missed = randomUUID();
      const knownToken = await a.token({ jti: known });
      const missedToken = await a.token({ jti: missed });
      await publisher.revoke({ kind: 'jti', value: known, revokedAt: nowSeconds(), expiresAt: nowSeconds() + 600 });
      assert.ok(await refusedWithinASecond(a, knownToken));

      proxy.cut();
      assert.ok(await waitForLogLine(a, (line) => String(line.msg).startsWith('revocation feed lost Redis')));
      // Published while this gateway cannot hear it: it lands in the sorted set only.
      await publisher.revoke({ kind: 'jti', value: missed, revokedAt: nowSeconds(), expiresAt: nowSeconds() + 600 });
      assert.equal((await call(a, knownToken)).error, 'token_revoked', 'what is known still applies during the outage');
      assert.equal((await call(a, missedToken)).status, 200, 'unheard while Redis is away');

      proxy.up = true;
      assert.ok(await eventually(async () => (await call(a, missedToken)).error === 'token_revoked', 250), 'caught up from the sorted set');
      assert.ok(await waitForLogLine(a, (line) => line.msg === 'revocation feed reconnected and caught up'));
      const outages = (await a.logLines()).filter((line) => String(line.msg).startsWith('revocation feed lost Redis'));
      assert.equal(outages.length, 1, 'one warning per outage');
    } finally {
      await proxy.close();
    }
  });
});
