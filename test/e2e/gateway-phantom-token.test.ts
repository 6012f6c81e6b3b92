// The phantom-token pattern end to end with the real identity service (SQLite store) and the real
// Redis: a caller holds an API token `gat_…`; the gateway exchanges it (RFC 8693) for a JWT, the
// service behind it sees only that JWT, the caller never does. A mistyped token never leaves the
// gateway, a repeat is answered from the cache, a revoked API token is refused within a second,
// and with the identity service gone a new token gets 503 while a cached one still works.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createAccounts } from '../../src/identity/accounts.ts';
import { createApiToken, revokeApiToken } from '../../src/identity/api-tokens.ts';
import { createLoginThrottle } from '../../src/identity/login-throttle.ts';
import { startIdentityService, type IdentityService } from '../../src/identity/start-identity.ts';
import { createRevocationPublisher, type RevocationPublisher } from '../../src/store/redis/revocation-publisher.ts';
import { revocationKey } from '../../src/store/redis/revocation-wire.ts';
import { decodeJwt, ORDERS, reservePort, testConfig } from '../identity/oidc-fixture.ts';
import { startHarness, type Harness } from './gateway-harness.ts';
import { startCountingProxy, type CountingProxy } from './support/counting-proxy.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { edgeRoutingDocuments, opaqueSecretDocument, requestAuthenticationDocument, tokenExchangeDocument, yamlDocuments } from '../support/gateway-documents.ts';
import { withLastCharacterChanged } from '../support/mistyped-token.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const GATEWAY_SECRET = 'gateway-secret-0123456789';
const prefix = `gatehouse-test:${randomUUID()}:`;
let dir: string;
let identity: IdentityService;
let issuer: string;
let aliceId: string;
let proxy: CountingProxy;
let service: RecordingService;
let gateway: Harness;
let publisher: RevocationPublisher;

/** The protected service: records what reached it and answers without echoing anything. */
interface RecordingService {
  url: string;
  received: IncomingHttpHeaders[];
  urls: string[];
  close(): Promise<void>;
}

async function startRecordingService(): Promise<RecordingService> {
  const received: IncomingHttpHeaders[] = [];
  const urls: string[] = [];
  const server: Server = createServer((req, res) => {
    received.push(req.headers);
    urls.push(req.url ?? '');
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    urls,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function configYaml(): string {
  return yamlDocuments([
    ...edgeRoutingDocuments({ backends: { orders: service.url }, routes: [{ name: 'orders', pathPrefix: '/orders', backend: 'orders' }] }),
    requestAuthenticationDocument('identity', { issuer, audiences: [ORDERS], jwksUri: `${identity.url}/jwks`, extra: ['outputClaimToHeaders: [{header: x-user, claim: sub}]'] }),
    opaqueSecretDocument('gateway-client', 'secret', GATEWAY_SECRET),
    tokenExchangeDocument('api-tokens', {
      route: 'orders', tokenEndpoint: `${proxy.url}/token`, clientId: 'gateway', clientSecret: { name: 'gateway-client', key: 'secret' }, audience: ORDERS,
      extra: ['timeout: 2s'],
    }),
    `apiVersion: gatehouse.dev/v1alpha1
kind: RevocationFeed
metadata: {name: revocations}
spec:
  redis: {url: "${REDIS_URL}", keyPrefix: "${prefix}"}
  issuers: ["${issuer}"]`,
  ]);
}

const now = () => Math.floor(Date.now() / 1000);

async function newApiToken(name: string): Promise<{ token: string; id: string }> {
  const { token, record } = await createApiToken(identity.store, { userId: aliceId, name, scopes: ['orders:read'] }, now());
  return { token, id: record.id };
}

async function call(token: string): Promise<{ status: number; error?: string; text: string; headers: Headers }> {
  const response = await fetch(`${gateway.baseUrl}/orders/42`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  const error = response.status === 200 ? undefined : (JSON.parse(text) as { error?: string }).error;
  return { status: response.status, error, text, headers: response.headers };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-phantom-'));
  const port = await reservePort();
  const config = { ...testConfig(port, { driver: 'sqlite', path: join(dir, 'identity.db') }, join(dir, 'identity.yaml')), revocation: { redisUrl: REDIS_URL, keyPrefix: prefix } };
  issuer = config.issuer;
  identity = await startIdentityService(config);
  const accounts = createAccounts({ store: identity.store, throttle: createLoginThrottle(identity.store.throttle, config.lockout) });
  aliceId = (await accounts.addUser({ username: 'alice', password: 'alice-password', roles: ['user'] })).id;
  publisher = createRevocationPublisher({ store: identity.store.revocations, redisUrl: REDIS_URL, keyPrefix: prefix });
  proxy = await startCountingProxy(identity.url);
  service = await startRecordingService();
  gateway = await startHarness({ configYaml: () => configYaml() });
});

after(async () => {
  await gateway?.close();
  await service?.close();
  await proxy?.close();
  await publisher?.close();
  await identity?.close();
  const redis = new Redis(REDIS_URL);
  await redis.del(revocationKey(prefix));
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

describe('phantom tokens through the real identity service', () => {
  test('an API token reaches the service only as the JWT it was exchanged for', async () => {
    const { token } = await newApiToken('cli');
    const seenBefore = service.received.length;
    const answer = await call(token);
    assert.equal(answer.status, 200, answer.text);
    const headers = service.received[seenBefore];
    const [scheme, jwt] = String(headers.authorization).split(' ');
    assert.equal(scheme, 'Bearer');
    const { payload } = decodeJwt(jwt);
    assert.equal(payload.iss, issuer);
    assert.equal(payload.sub, aliceId);
    assert.equal(payload.aud, ORDERS);
    assert.equal(headers['x-user'], aliceId, 'claims are forwarded as configured');
    const upstreamSaw = JSON.stringify({ headers, url: service.urls[seenBefore] });
    assert.ok(!upstreamSaw.includes(token), 'the API token never reaches the service');
    const clientSaw = answer.text + JSON.stringify([...answer.headers]);
    assert.ok(!clientSaw.includes(jwt), 'the JWT never reaches the caller');
  });

  test('a repeat is answered from the cache, and concurrent first uses share one exchange', async () => {
    const { token } = await newApiToken('repeat');
    const before = proxy.count('/token');
    assert.equal((await call(token)).status, 200);
    assert.equal((await call(token)).status, 200);
    assert.equal(proxy.count('/token'), before + 1, 'the second request needed no exchange');

    const { token: fresh } = await newApiToken('burst');
    const burst = await Promise.all(Array.from({ length: 5 }, () => call(fresh)));
    assert.deepEqual(burst.map((r) => r.status), [200, 200, 200, 200, 200]);
    assert.equal(proxy.count('/token'), before + 2, 'one exchange for five concurrent requests');
  });

  test('a mistyped API token is refused without calling the identity service', async () => {
    const { token } = await newApiToken('typo');
    const before = proxy.count('/token');
    const answer = await call(withLastCharacterChanged(token));
    assert.equal(answer.status, 401);
    assert.equal(answer.error, 'api_token_malformed');
    assert.match(answer.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal(proxy.count('/token'), before);
  });

  test('a token the identity service refuses (invalid_grant) gets 401 invalid_token, and a retry is answered from memory', async () => {
    const { token, id } = await newApiToken('deleted');
    await revokeApiToken(identity.store, id, now()); // revoked in the store only: no broadcast
    const answer = await call(token);
    assert.equal(answer.status, 401);
    assert.equal(answer.error, 'token_exchange_rejected');
    assert.match(answer.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    const garbage = await call('opaque-but-unknown');
    assert.equal(garbage.error, 'token_exchange_rejected');
    const exchanges = proxy.count('/token');
    assert.equal((await call('opaque-but-unknown')).error, 'token_exchange_rejected');
    assert.equal(proxy.count('/token'), exchanges, 'the refusal was remembered');
  });

  test('a revoked API token is refused within 1 s although its JWT is cached', async () => {
    const { token, id } = await newApiToken('to-revoke');
    assert.equal((await call(token)).status, 200);
    const before = proxy.count('/token');
    assert.ok(await revokeApiToken(identity.store, id, now(), (record) => publisher.revoke(record)));
    const deadline = Date.now() + 1000;
    let answer = await call(token);
    while (answer.error !== 'token_revoked' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await call(token);
    }
    assert.equal(answer.status, 401);
    assert.equal(answer.error, 'token_revoked');
    assert.equal(proxy.count('/token'), before, 'refused from the revocation set, not by asking again');
  });

  test('with the identity service down a new token gets 503, a cached one still works', async () => {
    const { token: cached } = await newApiToken('cached');
    const { token: fresh } = await newApiToken('fresh');
    assert.equal((await call(cached)).status, 200);
    await identity.close();
    const answer = await call(fresh);
    assert.equal(answer.status, 503);
    assert.equal(answer.error, 'token_exchange_unavailable');
    assert.equal(answer.headers.get('www-authenticate'), null, 'not a verdict on the token');
    assert.equal((await call(cached)).status, 200);
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    assert.match(metrics, /gatehouse_token_exchanges_total\{exchange="api-tokens",outcome="unavailable"\} 1/);
    assert.match(metrics, /gatehouse_token_exchanges_total\{exchange="api-tokens",outcome="cache_hit"\} [1-9]/);
  });
});
