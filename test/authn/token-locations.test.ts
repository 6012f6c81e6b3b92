// Where a token may be sent (Istio fromHeaders / fromParams / fromCookies) and how two issuers
// are told apart by the token's `iss`.
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { compileAuthenticator, type Authenticator, type AuthOutcome } from '../../src/authn/authenticator.ts';
import { KeySetRegistry } from '../../src/authn/key-set-registry.ts';
import { VerifiedTokenCache } from '../../src/authn/verified-token-cache.ts';
import { startJwksServer, type JwksServer } from './support/jwks-server.ts';
import { makeProvider, RecordingLogger } from './support/provider.ts';
import { makeSigningKey, mint, nowSeconds, type SigningKey } from './support/tokens.ts';

const ISSUER_A = 'https://a.issuer.test';
const ISSUER_B = 'https://b.issuer.test';
let serverA: JwksServer;
let serverB: JwksServer;
let keyA: SigningKey;
let keyB: SigningKey;
let registry: KeySetRegistry;
let authenticator: Authenticator;
let tokenA: string;
let tokenB: string;

before(async () => {
  keyA = await makeSigningKey('a-1', 'RS256');
  keyB = await makeSigningKey('b-1', 'ES256');
  serverA = await startJwksServer([keyA.publicJwk]);
  serverB = await startJwksServer([keyB.publicJwk]);
  registry = new KeySetRegistry({ logger: new RecordingLogger() });
  const providerA = makeProvider({
    id: 'RequestAuthentication/a#0',
    issuer: ISSUER_A,
    keys: { kind: 'remote', uri: serverA.jwksUri, timeoutMs: 2000 },
    locations: [
      { kind: 'header', name: 'authorization', prefix: 'Bearer ' },
      { kind: 'header', name: 'x-jwt-assertion' },
      { kind: 'query', name: 'access_token' },
      { kind: 'cookie', name: 'session' },
    ],
  });
  const providerB = makeProvider({
    id: 'RequestAuthentication/b#0',
    issuer: ISSUER_B,
    keys: { kind: 'remote', uri: serverB.jwksUri, timeoutMs: 2000 },
    locations: [{ kind: 'header', name: 'authorization', prefix: 'Bearer ' }],
  });
  authenticator = compileAuthenticator([providerA, providerB], { requireToken: false, registry, cache: new VerifiedTokenCache({ maxEntries: 100 }) });
  tokenA = await mint(keyA, { iss: ISSUER_A, sub: 'alice', exp: nowSeconds() + 600 });
  tokenB = await mint(keyB, { iss: ISSUER_B, sub: 'bob', exp: nowSeconds() + 600 });
});

after(async () => {
  registry.close();
  await Promise.all([serverA.close(), serverB.close()]);
});

const summary = (outcome: AuthOutcome): string => {
  if (outcome.kind === 'verified') return `${outcome.identity.principal} from ${outcome.removeToken?.kind}:${outcome.removeToken?.name}`;
  return outcome.kind === 'rejected' ? outcome.rejection.code : 'anonymous';
};

const rows: { name: string; headers?: (token: string) => IncomingHttpHeaders; query?: (token: string) => string; expect: string }[] = [
  { name: 'Authorization: Bearer', headers: (t) => ({ authorization: `Bearer ${t}` }), expect: `${ISSUER_A}/alice from header:authorization` },
  { name: 'Authorization: bearer (scheme is case-insensitive)', headers: (t) => ({ authorization: `bearer ${t}` }), expect: `${ISSUER_A}/alice from header:authorization` },
  { name: 'Authorization: BEARER', headers: (t) => ({ authorization: `BEARER ${t}` }), expect: `${ISSUER_A}/alice from header:authorization` },
  { name: 'Authorization: Basic is not a token', headers: () => ({ authorization: 'Basic YWxpY2U6c2VjcmV0' }), expect: 'anonymous' },
  { name: 'Authorization: Bearer with nothing after it', headers: () => ({ authorization: 'Bearer ' }), expect: 'jwt_malformed' },
  { name: 'custom header without prefix', headers: (t) => ({ 'x-jwt-assertion': t }), expect: `${ISSUER_A}/alice from header:x-jwt-assertion` },
  { name: 'query parameter', query: (t) => `access_token=${t}`, expect: `${ISSUER_A}/alice from query:access_token` },
  { name: 'query parameter among others', query: (t) => `a=1&access_token=${t}&b=2`, expect: `${ISSUER_A}/alice from query:access_token` },
  { name: 'a query parameter whose name only ends the same', query: (t) => `my_access_token=${t}`, expect: 'anonymous' },
  { name: 'cookie', headers: (t) => ({ cookie: `theme=dark; session=${t}` }), expect: `${ISSUER_A}/alice from cookie:session` },
  { name: 'no token anywhere', expect: 'anonymous' },
];

describe('token locations', () => {
  for (const row of rows) {
    test(row.name, async () => {
      const outcome = await authenticator.authenticate({ headers: row.headers?.(tokenA) ?? {}, query: row.query?.(tokenA) ?? '' });
      assert.equal(summary(outcome), row.expect);
    });
  }
});

describe('two issuers at once', () => {
  test('each token is verified by the provider its iss names', async () => {
    const a = await authenticator.authenticate({ headers: { authorization: `Bearer ${tokenA}` }, query: '' });
    const b = await authenticator.authenticate({ headers: { authorization: `Bearer ${tokenB}` }, query: '' });
    assert.equal(summary(a), `${ISSUER_A}/alice from header:authorization`);
    assert.equal(summary(b), `${ISSUER_B}/bob from header:authorization`);
    assert.equal(b.kind === 'verified' && b.identity.providerId, 'RequestAuthentication/b#0');
  });

  test("a token claiming issuer B but signed with A's key is refused", async () => {
    const forged = await mint(keyA, { iss: ISSUER_B, sub: 'mallory', exp: nowSeconds() + 600 });
    assert.equal(summary(await authenticator.authenticate({ headers: { authorization: `Bearer ${forged}` }, query: '' })), 'jwt_unknown_kid');
  });

  test("issuer B's token in a location only issuer A reads is not accepted", async () => {
    const outcome = await authenticator.authenticate({ headers: { 'x-jwt-assertion': tokenB }, query: '' });
    assert.equal(summary(outcome), 'jwt_issuer_not_configured');
  });
});
