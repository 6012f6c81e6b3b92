// Repeat requests must not pay for a signature, and a key change must not keep serving a
// token verified with the old keys. Also the identity headers computed once per token.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { compileAuthenticator, type AuthOutcome, type AuthRequest } from '../../src/authn/authenticator.ts';
import { KeySetRegistry } from '../../src/authn/key-set-registry.ts';
import { entrySizeBytes, VerifiedTokenCache } from '../../src/authn/verified-token-cache.ts';
import type { JwtProvider } from '../../src/model/gateway-model.ts';
import { startJwksServer } from './support/jwks-server.ts';
import { eventually, ISSUER, makeProvider, RecordingLogger, RecordingObserver } from './support/provider.ts';
import { makeSigningKey, mint, nowSeconds } from './support/tokens.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(overrides: Partial<JwtProvider> = {}, options: { maxEntries?: number; maxBytes?: number; now?: () => number } = {}) {
  const key = await makeSigningKey('k1');
  const server = await startJwksServer([key.publicJwk]);
  const registry = new KeySetRegistry({ logger: new RecordingLogger() });
  cleanups.push(() => server.close(), () => registry.close());
  const observer = new RecordingObserver();
  const cache = new VerifiedTokenCache({ maxEntries: options.maxEntries ?? 100, maxBytes: options.maxBytes });
  const provider = makeProvider({ keys: { kind: 'remote', uri: server.jwksUri, timeoutMs: 2000 }, ...overrides });
  const authenticator = compileAuthenticator([provider], { requireToken: false, registry, cache, observer, now: options.now });
  await registry.whenLoaded([provider]);
  return { key, server, registry, observer, cache, provider, authenticator };
}

const bearer = (token: string): AuthRequest => ({ headers: { authorization: `Bearer ${token}` }, query: '' });
const isPromise = (value: unknown): boolean => value instanceof Promise;
const codeOf = (outcome: AuthOutcome): string => (outcome.kind === 'rejected' ? outcome.rejection.code : outcome.kind);

describe('verified-token cache', () => {
  test('a repeat request is answered synchronously from the cache, without a signature check', async () => {
    const { key, observer, authenticator } = await setup();
    const token = await mint(key, { iss: ISSUER, sub: 'alice', exp: nowSeconds() + 600 });
    const first = authenticator.authenticate(bearer(token));
    assert.equal(isPromise(first), true);
    assert.equal(codeOf(await first), 'verified');
    const second = authenticator.authenticate(bearer(token));
    assert.equal(isPromise(second), false, 'a cache hit must not return a promise');
    assert.equal(codeOf(second as AuthOutcome), 'verified');
    assert.deepEqual(observer.cache, { hit: 1, miss: 1 });
  });

  test('authenticators compiled from the same provider share entries (several routes, one token)', async () => {
    const { key, registry, cache, provider, authenticator } = await setup();
    const token = await mint(key, { iss: ISSUER, sub: 'alice', exp: nowSeconds() + 600 });
    await authenticator.authenticate(bearer(token));
    const other = compileAuthenticator([provider], { requireToken: true, registry, cache });
    assert.equal(isPromise(other.authenticate(bearer(token))), false);
  });

  test('an entry expires with the token', async () => {
    let clock = Date.now();
    const { key, authenticator, observer } = await setup({ clockSkewSeconds: 0 }, { now: () => clock });
    const exp = nowSeconds() + 60;
    const token = await mint(key, { iss: ISSUER, sub: 'alice', exp });
    assert.equal(codeOf(await authenticator.authenticate(bearer(token))), 'verified');
    clock = exp * 1000;
    assert.equal(codeOf(await authenticator.authenticate(bearer(token))), 'jwt_expired');
    assert.deepEqual(observer.cache, { hit: 0, miss: 2 });
  });

  test('a key change at the issuer invalidates entries verified with the old keys', async () => {
    const k2 = await makeSigningKey('k2');
    const { key, server, registry, provider, authenticator } = await setup({ jwksRefresh: { minSeconds: 0.02, maxSeconds: 0.05, unknownKidCooldownSeconds: 0 } });
    const token = await mint(key, { iss: ISSUER, sub: 'alice', exp: nowSeconds() + 600 });
    assert.equal(codeOf(await authenticator.authenticate(bearer(token))), 'verified');
    assert.equal(isPromise(authenticator.authenticate(bearer(token))), false);

    // The issuer revokes k1: the cached verification must not outlive it.
    const keySet = registry.keySetFor(provider);
    const version = keySet.version;
    server.keys = [k2.publicJwk];
    await eventually(() => keySet.version > version);
    const afterRotation = authenticator.authenticate(bearer(token));
    assert.equal(isPromise(afterRotation), true);
    assert.equal(codeOf(await afterRotation), 'jwt_unknown_kid');
  });

  test('the cache is bounded', async () => {
    const { key, cache, authenticator } = await setup({}, { maxEntries: 2 });
    for (const sub of ['a', 'b', 'c']) await authenticator.authenticate(bearer(await mint(key, { iss: ISSUER, sub, exp: nowSeconds() + 600 })));
    assert.equal(cache.size, 2);
    cache.clear();
    assert.equal(cache.size, 0);
  });

  test('the cache is bounded in bytes too: large tokens evict the least recently used first', async () => {
    const key = await makeSigningKey('sizing');
    const sample = await mint(key, { iss: ISSUER, sub: 'user-0', exp: nowSeconds() + 600 });
    const { key: signing, cache, authenticator, observer } = await setup({}, { maxEntries: 100, maxBytes: Math.floor(2.5 * entrySizeBytes(sample)) });
    const tokens = await Promise.all(['user-0', 'user-1', 'user-2', 'user-3'].map((sub) => mint(signing, { iss: ISSUER, sub, exp: nowSeconds() + 600 })));
    for (const token of tokens) assert.equal(codeOf(await authenticator.authenticate(bearer(token))), 'verified');
    assert.equal(cache.size, 2, 'two entries fit in 2.5 entries of bytes');
    assert.ok(cache.sizeBytes <= Math.floor(2.5 * entrySizeBytes(sample)));
    assert.equal(isPromise(authenticator.authenticate(bearer(tokens[3]))), false, 'the newest is still cached');
    assert.equal(isPromise(authenticator.authenticate(bearer(tokens[0]))), true, 'the oldest was evicted');
    assert.deepEqual(observer.cache, { hit: 1, miss: 5 });
  });

  test('the size estimate grows with the token and its payload', () => {
    const small = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln';
    const bigPayload = `eyJhbGciOiJFUzI1NiJ9.${'x'.repeat(1000)}.c2ln`;
    assert.ok(entrySizeBytes(bigPayload) - entrySizeBytes(small) >= 3 * (1000 - 'eyJzdWIiOiJhIn0'.length));
  });
});

describe('identity headers for the upstream', () => {
  const outputs: Partial<JwtProvider> = {
    outputPayloadToHeader: 'X-Jwt-Payload',
    outputClaimToHeaders: [
      { header: 'X-User', claim: 'sub' },
      { header: 'x-tenant', claim: 'org.tenant' },
      { header: 'x-roles', claim: 'roles' },
      { header: 'x-admin', claim: 'admin' },
      { header: 'x-absent', claim: 'nope' },
    ],
  };

  test('payload as base64url JSON, claims (nested, non-string JSON-encoded), names lower-case', async () => {
    const { key, authenticator } = await setup(outputs);
    const claims = { iss: ISSUER, sub: 'alice', exp: nowSeconds() + 600, org: { tenant: 'acme' }, roles: ['barista', 'admin'], admin: true };
    const outcome = await authenticator.authenticate(bearer(await mint(key, claims)));
    assert.equal(outcome.kind, 'verified');
    if (outcome.kind !== 'verified') return;
    const { 'x-jwt-payload': payload, ...claimHeaders } = outcome.upstreamHeaders;
    assert.deepEqual(JSON.parse(Buffer.from(payload, 'base64url').toString()), claims);
    assert.deepEqual(claimHeaders, { 'x-user': 'alice', 'x-tenant': 'acme', 'x-roles': '["barista","admin"]', 'x-admin': 'true' });
    assert.deepEqual([...authenticator.outputHeaderNames].sort(), ['x-absent', 'x-admin', 'x-jwt-payload', 'x-roles', 'x-tenant', 'x-user']);
  });

  test('a claim that cannot be a header value is not forwarded', async () => {
    const { key, authenticator } = await setup({ outputClaimToHeaders: [{ header: 'x-user', claim: 'sub' }] });
    const outcome = await authenticator.authenticate(bearer(await mint(key, { iss: ISSUER, sub: 'alice\r\nx-admin: true', exp: nowSeconds() + 600 })));
    assert.deepEqual(outcome.kind === 'verified' && outcome.upstreamHeaders, {});
  });
});

test('inherited properties are not claims', async () => {
  const { key, authenticator } = await setup({ outputClaimToHeaders: [{ header: 'x-c', claim: 'constructor' }], requiredClaims: [] });
  const outcome = await authenticator.authenticate(bearer(await mint(key, { iss: ISSUER, sub: 'alice', exp: nowSeconds() + 600 })));
  assert.deepEqual(outcome.kind === 'verified' && outcome.upstreamHeaders, {});
});
