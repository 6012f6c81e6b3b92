// The security contract, as a table: each row is a token a client could send and what the
// gateway must answer. Keys come from a real JWKS server on loopback.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { JwtProvider } from '../../src/model/gateway-model.ts';
import { compileAuthenticator, type AuthOutcome, type AuthRequest } from '../../src/authn/authenticator.ts';
import { KeySetRegistry } from '../../src/authn/key-set-registry.ts';
import { VerifiedTokenCache } from '../../src/authn/verified-token-cache.ts';
import { startJwksServer, type JwksServer } from './support/jwks-server.ts';
import { ISSUER, makeProvider, RecordingLogger, RecordingObserver } from './support/provider.ts';
import { makeSigningKey, mint, nowSeconds, signHs256Raw, signRs256Raw, unsigned, type SigningKey } from './support/tokens.ts';

let jwks: JwksServer;
let rsa: SigningKey;
let ec: SigningKey;
let encryptionKey: SigningKey;
let attacker: SigningKey;
let registry: KeySetRegistry;

before(async () => {
  rsa = await makeSigningKey('rsa-1', 'RS256');
  ec = await makeSigningKey('ec-1', 'ES256');
  encryptionKey = await makeSigningKey('enc-1', 'RS256', { use: 'enc' });
  attacker = await makeSigningKey('attacker', 'RS256');
  jwks = await startJwksServer([rsa.publicJwk, ec.publicJwk, encryptionKey.publicJwk]);
  registry = new KeySetRegistry({ logger: new RecordingLogger() });
});

after(async () => {
  registry.close();
  await jwks.close();
});

function provider(overrides: Partial<JwtProvider> = {}): JwtProvider {
  return makeProvider({ keys: { kind: 'remote', uri: jwks.jwksUri, timeoutMs: 2000 }, ...overrides });
}

async function authenticate(token: string | undefined, overrides: Partial<JwtProvider> = {}, requireToken = false): Promise<AuthOutcome> {
  const authenticator = compileAuthenticator([provider(overrides)], { requireToken, registry, cache: new VerifiedTokenCache({ maxEntries: 100 }) });
  const request: AuthRequest = { headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, query: '' };
  return authenticator.authenticate(request);
}

const resultOf = (outcome: AuthOutcome): string => (outcome.kind === 'rejected' ? outcome.rejection.code : outcome.kind);

const valid = () => ({ iss: ISSUER, sub: 'alice', exp: nowSeconds() + 600, iat: nowSeconds() });

interface Case {
  name: string;
  token: () => Promise<string> | string;
  provider?: Partial<JwtProvider>;
  expect: string;
}

const cases: Case[] = [
  { name: 'valid RS256 token', token: () => mint(rsa, valid()), expect: 'verified' },
  { name: 'valid ES256 token', token: () => mint(ec, valid()), expect: 'verified' },
  { name: 'expired', token: () => mint(rsa, { ...valid(), exp: nowSeconds() - 3600 }), expect: 'jwt_expired' },
  { name: 'expired but within the 60 s leeway', token: () => mint(rsa, { ...valid(), exp: nowSeconds() - 30 }), expect: 'verified' },
  { name: 'expired just beyond the leeway', token: () => mint(rsa, { ...valid(), exp: nowSeconds() - 62 }), expect: 'jwt_expired' },
  { name: 'leeway is configurable', token: () => mint(rsa, { ...valid(), exp: nowSeconds() - 30 }), provider: { clockSkewSeconds: 0 }, expect: 'jwt_expired' },
  { name: 'not yet valid (nbf)', token: () => mint(rsa, { ...valid(), nbf: nowSeconds() + 3600 }), expect: 'jwt_not_yet_valid' },
  { name: 'nbf within the leeway', token: () => mint(rsa, { ...valid(), nbf: nowSeconds() + 30 }), expect: 'verified' },
  { name: 'iat in the future', token: () => mint(rsa, { ...valid(), iat: nowSeconds() + 3600 }), expect: 'jwt_iat_in_future' },
  { name: 'no exp', token: () => mint(rsa, { iss: ISSUER, sub: 'alice' }), expect: 'jwt_exp_missing' },
  { name: 'no exp, exp not required', token: () => mint(rsa, { iss: ISSUER, sub: 'alice' }), provider: { requireExp: false }, expect: 'verified' },
  { name: 'exp that is not a number', token: () => mint(rsa, { ...valid(), exp: 'tomorrow' as unknown as number }), expect: 'jwt_malformed' },
  { name: 'wrong issuer', token: () => mint(rsa, { ...valid(), iss: 'https://evil.test' }), expect: 'jwt_issuer_not_configured' },
  { name: 'no issuer', token: () => mint(rsa, { sub: 'alice', exp: nowSeconds() + 600 }), expect: 'jwt_issuer_not_configured' },
  { name: 'wrong audience', token: () => mint(rsa, { ...valid(), aud: 'other' }), provider: { audiences: ['api'] }, expect: 'jwt_audience_mismatch' },
  { name: 'no audience when one is required', token: () => mint(rsa, valid()), provider: { audiences: ['api'] }, expect: 'jwt_audience_mismatch' },
  { name: 'audience any-of', token: () => mint(rsa, { ...valid(), aud: ['other', 'api'] }), provider: { audiences: ['web', 'api'] }, expect: 'verified' },
  { name: 'required claim missing', token: () => mint(rsa, valid()), provider: { requiredClaims: ['tenant.id'] }, expect: 'jwt_missing_claim' },
  { name: 'required nested claim present', token: () => mint(rsa, { ...valid(), tenant: { id: 't1' } }), provider: { requiredClaims: ['tenant.id'] }, expect: 'verified' },
  { name: 'lifetime above the maximum', token: () => mint(rsa, { ...valid(), exp: nowSeconds() + 7200 }), provider: { maxTokenLifetimeSeconds: 3600 }, expect: 'jwt_lifetime_too_long' },
  { name: 'unknown kid', token: () => mint(attacker, valid()), expect: 'jwt_unknown_kid' },
  { name: 'kid of a key for another algorithm', token: () => signRs256Raw(rsa.privateKeyObject, { alg: 'ES256', kid: 'rsa-1' }, valid()), expect: 'jwt_unknown_kid' },
  { name: 'key published with use "enc"', token: () => mint(encryptionKey, valid()), expect: 'jwt_unknown_kid' },
  { name: 'algorithm not pinned for this issuer', token: () => mint(ec, valid()), provider: { algorithms: ['RS256'] }, expect: 'jwt_alg_not_allowed' },
  {
    name: 'tampered payload',
    token: async () => {
      const [header, , signature] = (await mint(rsa, valid())).split('.');
      return `${header}.${Buffer.from(JSON.stringify({ ...valid(), sub: 'admin' })).toString('base64url')}.${signature}`;
    },
    expect: 'jwt_verification_failed',
  },
  {
    name: 'tampered signature',
    token: async () => {
      const token = await mint(rsa, valid());
      const flipped = token.at(-2) === 'A' ? 'B' : 'A';
      return `${token.slice(0, -2)}${flipped}${token.at(-1)}`;
    },
    expect: 'jwt_verification_failed',
  },
  { name: 'alg none', token: () => unsigned({ alg: 'none', typ: 'JWT' }, valid()), expect: 'jwt_alg_not_allowed' },
  { name: 'alg None (case games)', token: () => unsigned({ alg: 'None' }, valid()), expect: 'jwt_alg_not_allowed' },
  {
    name: 'HS256 signed with the RSA public key as secret',
    token: () => signHs256Raw(rsa.publicKeyObject.export({ type: 'spki', format: 'pem' }), { alg: 'HS256', kid: 'rsa-1' }, valid()),
    expect: 'jwt_alg_not_allowed',
  },
  { name: 'HS256 with the configured secret', token: () => signHs256Raw('s3cret-s3cret-s3cret-s3cret-s3cret', { alg: 'HS256' }, valid()), provider: { hmacSecrets: ['s3cret-s3cret-s3cret-s3cret-s3cret'] }, expect: 'verified' },
  { name: 'HS256 with another secret', token: () => signHs256Raw('guessed', { alg: 'HS256' }, valid()), provider: { hmacSecrets: ['s3cret-s3cret-s3cret-s3cret-s3cret'] }, expect: 'jwt_verification_failed' },
  { name: 'embedded jwk header naming the attacker key', token: () => signRs256Raw(attacker.privateKeyObject, { alg: 'RS256', jwk: attacker.publicJwk }, valid()), expect: 'jwt_verification_failed' },
  { name: 'jku header pointing at the attacker', token: () => signRs256Raw(attacker.privateKeyObject, { alg: 'RS256', kid: 'rsa-1', jku: 'http://127.0.0.1:1/jwks' }, valid()), expect: 'jwt_verification_failed' },
  { name: 'x5u header pointing at the attacker', token: () => signRs256Raw(attacker.privateKeyObject, { alg: 'RS256', kid: 'rsa-1', x5u: 'http://127.0.0.1:1/cert' }, valid()), expect: 'jwt_verification_failed' },
  { name: 'jku on an honest token is ignored', token: () => signRs256Raw(rsa.privateKeyObject, { alg: 'RS256', kid: 'rsa-1', jku: 'http://127.0.0.1:1/jwks' }, valid()), expect: 'verified' },
  { name: 'unknown crit extension', token: () => signRs256Raw(rsa.privateKeyObject, { alg: 'RS256', kid: 'rsa-1', crit: ['x-gh'], 'x-gh': 1 }, valid()), expect: 'jwt_header_invalid' },
  { name: 'not three segments', token: () => 'abc.def', expect: 'jwt_malformed' },
  { name: 'not base64url', token: () => 'a$c.def.ghi', expect: 'jwt_malformed' },
  { name: 'payload is not JSON', token: () => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.bm90IGpzb24.c2ln`, expect: 'jwt_malformed' },
  { name: 'header is not JSON', token: () => 'bm90IGpzb24.e30.c2ln', expect: 'jwt_header_invalid' },
  { name: 'oversized token', token: () => `${'a'.repeat(5000)}.${'b'.repeat(5000)}.c`, expect: 'jwt_too_large' },
];

describe('authenticate: token → outcome', () => {
  for (const row of cases) {
    test(row.name, async () => {
      const outcome = await authenticate(await row.token(), row.provider);
      assert.equal(resultOf(outcome), row.expect);
    });
  }
});

describe('what a rejected or anonymous client sees', () => {
  test('an invalid token gets the provider realm and error="invalid_token"', async () => {
    const outcome = await authenticate(await mint(rsa, { ...valid(), exp: 1 }), { realm: 'coffee', loginUrl: 'https://login.test/' });
    assert.deepEqual(outcome, {
      kind: 'rejected',
      rejection: { code: 'jwt_expired', detail: undefined, realm: 'coffee', loginUrl: 'https://login.test/', bearerError: 'invalid_token' },
    });
  });

  test('no token and none required: anonymous', async () => {
    assert.deepEqual(await authenticate(undefined), { kind: 'anonymous' });
  });

  test('no token but one required: jwt_missing without an error code (RFC 6750 §3.1)', async () => {
    const outcome = await authenticate(undefined, { realm: 'tea' }, true);
    assert.equal(outcome.kind, 'rejected');
    assert.equal(outcome.kind === 'rejected' && outcome.rejection.code, 'jwt_missing');
    assert.equal(outcome.kind === 'rejected' && outcome.rejection.realm, 'tea');
    assert.equal(outcome.kind === 'rejected' && outcome.rejection.bearerError, undefined);
  });

  test('a verified token yields the identity', async () => {
    const exp = nowSeconds() + 600;
    const outcome = await authenticate(await mint(rsa, { iss: ISSUER, sub: 'alice', aud: ['api', 'web'], exp, scope: 'read' }));
    assert.equal(outcome.kind, 'verified');
    if (outcome.kind !== 'verified') return;
    assert.deepEqual(
      { ...outcome.identity, claims: undefined },
      { issuer: ISSUER, subject: 'alice', principal: `${ISSUER}/alice`, audiences: ['api', 'web'], claims: undefined, providerId: 'RequestAuthentication/test#0', tokenKind: 'jwt', expiresAt: exp },
    );
    assert.equal(outcome.identity.claims.scope, 'read');
    assert.deepEqual(outcome.removeToken, { kind: 'header', name: 'authorization', prefix: 'Bearer ' });
  });

  test('forwardOriginalToken keeps the token', async () => {
    const outcome = await authenticate(await mint(rsa, valid()), { forwardOriginalToken: true });
    assert.equal(outcome.kind === 'verified' && outcome.removeToken, undefined);
  });

  test("an exact issuer wins over a '*' provider, which takes every other issuer", async () => {
    const wildcard = provider({ id: 'Policy/any#0', issuer: '*' });
    const exact = provider({ id: 'RequestAuthentication/exact#0', audiences: ['api'] });
    const authenticator = compileAuthenticator([wildcard, exact], { requireToken: false, registry, cache: new VerifiedTokenCache({ maxEntries: 10 }) });
    const send = async (iss: string) => resultOf(await authenticator.authenticate({ headers: { authorization: `Bearer ${await mint(rsa, { ...valid(), iss })}` }, query: '' }));
    assert.equal(await send(ISSUER), 'jwt_audience_mismatch');
    assert.equal(await send('https://anyone.test'), 'verified');
  });

  test('failures are counted by reason', async () => {
    const observer = new RecordingObserver();
    const authenticator = compileAuthenticator([provider()], { requireToken: false, registry, cache: new VerifiedTokenCache({ maxEntries: 10 }), observer });
    await authenticator.authenticate({ headers: { authorization: `Bearer ${await mint(rsa, { ...valid(), exp: 1 })}` }, query: '' });
    await authenticator.authenticate({ headers: { authorization: 'Bearer x.y' }, query: '' });
    assert.deepEqual(observer.failures, ['jwt_expired', 'jwt_malformed']);
  });
});
