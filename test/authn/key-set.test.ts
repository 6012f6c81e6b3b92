// Key sets against a real JWKS server: rotation, outages, refresh timing, key sources.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { compileAuthenticator, type AuthOutcome } from '../../src/authn/authenticator.ts';
import { KeySetRegistry } from '../../src/authn/key-set-registry.ts';
import { VerifiedTokenCache } from '../../src/authn/verified-token-cache.ts';
import type { JwtProvider, KeySource } from '../../src/model/gateway-model.ts';
import { startJwksServer, type JwksServer } from './support/jwks-server.ts';
import { eventually, ISSUER, makeProvider, RecordingLogger, RecordingObserver } from './support/provider.ts';
import { makeSigningKey, mint, nowSeconds, type SigningKey } from './support/tokens.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(keys: SigningKey[], overrides: Partial<JwtProvider> = {}, source?: (server: JwksServer) => KeySource) {
  const server = await startJwksServer(keys.map((key) => key.publicJwk));
  cleanups.push(() => server.close());
  const logger = new RecordingLogger();
  const observer = new RecordingObserver();
  const registry = new KeySetRegistry({ logger, observer });
  cleanups.push(() => registry.close());
  const provider = makeProvider({ keys: source?.(server) ?? { kind: 'remote', uri: server.jwksUri, timeoutMs: 2000 }, ...overrides });
  registry.acquire([provider]);
  const authenticator = compileAuthenticator([provider], { requireToken: false, registry, cache: new VerifiedTokenCache({ maxEntries: 100 }), observer });
  const send = async (token: string): Promise<string> => {
    const outcome: AuthOutcome = await authenticator.authenticate({ headers: { authorization: `Bearer ${token}` }, query: '' });
    return outcome.kind === 'rejected' ? outcome.rejection.code : outcome.kind;
  };
  return { server, logger, observer, registry, provider, send };
}

const claims = (issuer = ISSUER) => ({ iss: issuer, sub: 'alice', exp: nowSeconds() + 600 });
const fastRefresh = { jwksRefresh: { minSeconds: 0.02, maxSeconds: 300, unknownKidCooldownSeconds: 60 } };

describe('unknown kid', () => {
  test('triggers one refetch that finds a key the issuer just published', async () => {
    const k1 = await makeSigningKey('k1');
    const k2 = await makeSigningKey('k2');
    const { server, registry, provider, send } = await setup([k1]);
    await registry.whenLoaded([provider]);
    server.keys = [k1.publicJwk, k2.publicJwk];
    assert.equal(await send(await mint(k2, claims())), 'verified');
    assert.equal(server.requestCount(), 2);
  });

  test('forged kids cause at most one refetch per cooldown', async () => {
    const k1 = await makeSigningKey('k1');
    const { server, registry, provider, send } = await setup([k1]);
    await registry.whenLoaded([provider]);
    const forger = await makeSigningKey('forger', 'ES256');
    const results = await Promise.all(Array.from({ length: 25 }, async (_, i) => send(await mint(forger, claims(), { kid: `forged-${i}` }))));
    assert.deepEqual(new Set(results), new Set(['jwt_unknown_kid']));
    assert.equal(server.requestCount(), 2);
    assert.equal(await send(await mint(k1, claims())), 'verified');
  });
});

describe('rotation and outages', () => {
  test('rotating the issuer key while serving fails no valid request', async () => {
    const k1 = await makeSigningKey('k1');
    const k2 = await makeSigningKey('k2', 'ES256');
    const { server, registry, provider, send } = await setup([k1], fastRefresh);
    server.cacheControl = 'max-age=0';
    await registry.whenLoaded([provider]);
    let signer = k1;
    let serving = true;
    const failures: string[] = [];
    let served = 0;
    const traffic = (async () => {
      while (serving) {
        const result = await send(await mint(signer, { ...claims(), jti: String(served++) }));
        if (result !== 'verified') failures.push(`${signer.kid}: ${result}`);
      }
    })();
    const keySet = registry.keySetFor(provider);
    const waitForNewVersion = async () => {
      const version = keySet.version;
      await eventually(() => keySet.version > version);
    };
    server.keys = [k1.publicJwk, k2.publicJwk]; // 1. publish the next key
    await waitForNewVersion();
    signer = k2; // 2. start signing with it
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.keys = [k2.publicJwk]; // 3. retire the old key
    await waitForNewVersion();
    await new Promise((resolve) => setTimeout(resolve, 50));
    serving = false;
    await traffic;
    assert.deepEqual(failures, []);
    assert.ok(served > 0);
  });

  test('a JWKS server that goes down keeps the last good keys and logs once', async () => {
    const k1 = await makeSigningKey('k1');
    const { server, logger, observer, registry, provider, send } = await setup([k1], fastRefresh);
    server.cacheControl = 'max-age=0';
    await registry.whenLoaded([provider]);
    server.down = true;
    await eventually(() => observer.jwksFetches.filter((fetch) => fetch.outcome === 'error').length >= 5);
    for (let i = 0; i < 5; i++) assert.equal(await send(await mint(k1, { ...claims(), jti: String(i) })), 'verified');
    assert.equal(logger.count('warn'), 1);
    assert.equal(registry.isReady([provider]), true);
    server.down = false;
    await eventually(() => logger.lines.some((line) => line.msg === 'JWKS available again'));
  });

  test('a JWKS server down from the start: not ready, and tokens fail with jwks_fetch_failed', async () => {
    const k1 = await makeSigningKey('k1');
    const server = await startJwksServer([]);
    await server.close();
    const { registry, provider, send } = await setup([], {}, () => ({ kind: 'remote', uri: server.jwksUri, timeoutMs: 500 }));
    await registry.whenLoaded([provider]);
    assert.equal(registry.isReady([provider]), false);
    assert.equal(await send(await mint(k1, claims())), 'jwks_fetch_failed');
  });
});

describe('refresh timing', () => {
  test('Cache-Control max-age=0 refreshes at the configured minimum', async () => {
    const { server } = await setup([await makeSigningKey('k1')], { jwksRefresh: { minSeconds: 0.05, maxSeconds: 300, unknownKidCooldownSeconds: 60 } });
    server.cacheControl = 'max-age=0';
    await eventually(() => server.requestCount() >= 3);
  });

  test('Cache-Control max-age above the maximum is clamped down to it', async () => {
    const { server } = await setup([await makeSigningKey('k1')], { jwksRefresh: { minSeconds: 0.01, maxSeconds: 0.05, unknownKidCooldownSeconds: 60 } });
    server.cacheControl = 'public, max-age=86400';
    await eventually(() => server.requestCount() >= 3);
  });

  test('a long max-age within bounds means no refetch', async () => {
    const { server, registry, provider } = await setup([await makeSigningKey('k1')], { jwksRefresh: { minSeconds: 60, maxSeconds: 300, unknownKidCooldownSeconds: 60 } });
    server.cacheControl = 'max-age=120';
    await registry.whenLoaded([provider]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(server.requestCount(), 1);
  });
});

describe('key sources', () => {
  test('OIDC discovery finds jwks_uri from the issuer', async () => {
    const k1 = await makeSigningKey('k1');
    const server = await startJwksServer([k1.publicJwk]);
    cleanups.push(() => server.close());
    const { send } = await setup([], { issuer: server.origin }, () => ({ kind: 'discovery', issuer: server.origin, timeoutMs: 2000 }));
    assert.equal(await send(await mint(k1, claims(server.origin))), 'verified');
    assert.equal(server.requestCount('/.well-known/openid-configuration'), 1);
  });

  test('a local JWKS file', async () => {
    const k1 = await makeSigningKey('k1');
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-jwks-'));
    cleanups.push(() => rm(dir, { recursive: true }));
    const path = join(dir, 'jwks.json');
    await writeFile(path, JSON.stringify({ keys: [k1.publicJwk] }));
    const { send } = await setup([], {}, () => ({ kind: 'file', path }));
    assert.equal(await send(await mint(k1, claims())), 'verified');
  });

  test('an inline JWKS', async () => {
    const k1 = await makeSigningKey('k1', 'EdDSA');
    const { send } = await setup([], {}, () => ({ kind: 'inline', jwks: JSON.stringify({ keys: [k1.publicJwk] }) }));
    assert.equal(await send(await mint(k1, claims())), 'verified');
  });
});

describe('registry', () => {
  test('an unchanged key source is shared across generations: no refetch on reload', async () => {
    const { server, registry, provider } = await setup([await makeSigningKey('k1')]);
    await registry.whenLoaded([provider]);
    const reloaded = { ...provider, audiences: ['changed'] };
    registry.acquire([reloaded]);
    registry.retain([reloaded]);
    await registry.whenLoaded([reloaded]);
    assert.equal(registry.keySetFor(reloaded), registry.keySetFor(provider));
    assert.equal(server.requestCount(), 1);
  });

  test('retain drops key sets no provider uses', async () => {
    const { registry, provider } = await setup([await makeSigningKey('k1')]);
    const before = registry.keySetFor(provider);
    registry.retain([]);
    assert.notEqual(registry.keySetFor(provider), before);
  });
});
