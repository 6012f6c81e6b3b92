// Token attacks against the real identity service over sockets, one table row per attack: what
// the attacker sends, and what they must see. Authorization codes (RFC 6749 §4.1, RFC 9700 §4),
// PKCE (RFC 7636), refresh tokens (RFC 6749 §6), resource indicators (RFC 8707), forged and
// stale JWTs (RFC 8725) at the account API and as token-exchange subjects (RFC 8693), and
// personal API tokens. Browser-side attacks (CSRF, enumeration, lockout, framing, cookies) are in
// login-attacks.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHmac } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createApiToken } from '../../src/identity/api-tokens.ts';
import { generateApiToken } from '../../src/identity/api-token-format.ts';
import { accountApiAudience } from '../../src/identity/account-credentials.ts';
import { createKeyRing, type KeyRing } from '../../src/identity/keys/key-ring.ts';
import { authorize, pkcePair } from './authorize-by-hand.ts';
import { ADMIN_TOKEN, basic, BILLING, decodeJwt, ORDERS, PASSWORD, postForm, REDIRECT_URI, startTestIdentity } from './oidc-fixture.ts';
import type { TestIdentity, TokenResponse } from './oidc-fixture.ts';
import { startLureJwks, type LureJwks } from '../support/lure-jwks.ts';
import { withLastCharacterChanged } from '../support/mistyped-token.ts';

const WEB = basic('web', 'web-secret-0123456789');
const M2M = basic('m2m', 'm2m-secret-0123456789');
const GATEWAY = basic('gateway', 'gateway-secret-0123456789');
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

let identity: TestIdentity;
/** The service's own active private key, loaded from its store: lets a row forge exactly one flaw. */
let signer: ReturnType<KeyRing['activeSigner']>;
/** A loopback server counting requests: `jku`/`x5u` must never make the service fetch. */
let lure: LureJwks;
/** A second confidential client allowed the code and refresh grants, registered like an operator would. */
let ROGUE = '';

before(async () => {
  identity = await startTestIdentity();
  const ring = createKeyRing({
    store: identity.service.store.signingKeys, kek: identity.config.keyEncryptionKey, algorithm: 'ES256',
    maxTokenLifetimeSeconds: 3600, rotateEverySeconds: identity.config.keys.rotateEverySeconds,
  });
  await ring.refresh();
  signer = ring.activeSigner();
  lure = await startLureJwks();
  const registered = await fetch(`${identity.url}/admin/clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId: 'rogue', name: 'Rogue app', trusted: true, redirectUris: [REDIRECT_URI], grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'offline_access', 'orders:read', 'orders:write'], resources: [ORDERS],
    }),
  });
  assert.equal(registered.status, 201, await registered.clone().text());
  ROGUE = basic('rogue', ((await registered.json()) as { clientSecret: string }).clientSecret);
});
after(async () => {
  await lure.close();
  await identity.close();
});

const now = () => Math.floor(Date.now() / 1000);

function token(fields: Record<string, string | string[]>, auth?: string): Promise<TokenResponse> {
  return postForm(`${identity.url}/token`, fields, auth);
}

/** A code for `web` (confidential) or `spa` (public) with an S256 challenge, not yet redeemed. */
async function codeFor(clientId: 'web' | 'spa', scope = clientId === 'web' ? 'openid offline_access orders:read' : 'openid orders:read') {
  const { verifier, challenge } = pkcePair();
  const outcome = await authorize(identity.url, {
    clientId, scope, resource: ORDERS, codeChallenge: challenge, codeChallengeMethod: 'S256', password: PASSWORD,
    ...(scope.includes('offline_access') ? { prompt: 'consent' } : {}),
  });
  if (outcome.kind !== 'redirect' || outcome.code === undefined) {
    throw new Error(`no code: ${outcome.kind === 'redirect' ? outcome.url.search : outcome.status}`);
  }
  return { code: outcome.code, verifier };
}

function redeem(code: string, verifier: string | undefined, auth: string | { clientId: string }, extra: Record<string, string> = {}) {
  const fields: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, ...extra };
  if (verifier !== undefined) fields.code_verifier = verifier;
  return typeof auth === 'string' ? token(fields, auth) : token({ ...fields, client_id: auth.clientId });
}

function assertRefused(answer: TokenResponse, status: number, error: string, label: string): void {
  assert.equal(answer.status, status, `${label}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.error, error, label);
  assert.equal(answer.body.access_token, undefined, `${label}: no token`);
}

async function revokedJtis(): Promise<Set<string>> {
  const records = await identity.service.store.revocations.active(now());
  return new Set(records.filter((record) => record.kind === 'jti').map((record) => record.value));
}

describe('authorization code attacks', () => {
  it('a replayed code fails, and the tokens of its first redemption are revoked (RFC 6749 §4.1.2)', async () => {
    const { code, verifier } = await codeFor('web');
    const first = await redeem(code, verifier, WEB);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assertRefused(await redeem(code, verifier, WEB), 400, 'invalid_grant', 'second redemption');
    const jti = String(decodeJwt(String(first.body.access_token)).payload.jti);
    assert.ok((await revokedJtis()).has(jti), 'the access token of the first redemption is on the revocation list');
    assertRefused(await token({ grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token) }, WEB), 400, 'invalid_grant', 'refresh token of the first redemption');
  });

  const redemptions: Array<{ attack: string; client: 'web' | 'spa'; send: (code: string, verifier: string) => Promise<TokenResponse>; status: number; error: string }> = [
    { attack: 'PKCE: no code_verifier (public client)', client: 'spa', send: (code) => redeem(code, undefined, { clientId: 'spa' }), status: 400, error: 'invalid_grant' },
    { attack: 'PKCE: a wrong code_verifier (public client)', client: 'spa', send: (code) => redeem(code, pkcePair().verifier, { clientId: 'spa' }), status: 400, error: 'invalid_grant' },
    { attack: 'PKCE: the challenge itself as verifier', client: 'spa', send: (code) => redeem(code, pkcePair().challenge, { clientId: 'spa' }), status: 400, error: 'invalid_grant' },
    { attack: 'PKCE downgrade: challenge sent, verifier dropped (confidential client, RFC 9700 §2.1.1)', client: 'web', send: (code) => redeem(code, undefined, WEB), status: 400, error: 'invalid_grant' },
    { attack: 'redirect_uri differs at the token endpoint', client: 'web', send: (code, verifier) => redeem(code, verifier, WEB, { redirect_uri: 'http://127.0.0.1:1/callback/evil' }), status: 400, error: 'invalid_grant' },
    { attack: "code redeemed by another confidential client", client: 'web', send: (code, verifier) => redeem(code, verifier, ROGUE), status: 400, error: 'invalid_grant' },
    { attack: "a confidential client's code redeemed as the public client", client: 'web', send: (code, verifier) => redeem(code, verifier, { clientId: 'spa' }), status: 400, error: 'invalid_grant' },
    { attack: "a public client's code redeemed by a confidential client", client: 'spa', send: (code, verifier) => redeem(code, verifier, WEB), status: 400, error: 'invalid_grant' },
    { attack: 'resource escalation: code for Orders redeemed for Billing', client: 'web', send: (code, verifier) => redeem(code, verifier, WEB, { resource: BILLING }), status: 400, error: 'invalid_target' },
  ];
  for (const row of redemptions) {
    it(`${row.attack}: ${row.status} ${row.error}`, async () => {
      const { code, verifier } = await codeFor(row.client);
      assertRefused(await row.send(code, verifier), row.status, row.error, row.attack);
    });
  }

  it('PKCE downgrade: a code_verifier for a code issued without challenge is refused (RFC 9700 §2.1.1)', async () => {
    const outcome = await authorize(identity.url, { clientId: 'web', scope: 'openid orders:read', resource: ORDERS, password: PASSWORD });
    assert.ok(outcome.kind === 'redirect' && outcome.code !== undefined, 'a confidential client may skip PKCE');
    assertRefused(await redeem(outcome.code, pkcePair().verifier, WEB), 400, 'invalid_grant', 'verifier without challenge');
  });

  const authorizations: Array<{ attack: string; clientId: string; challenge?: 'S256' | 'plain' | 'none'; method?: string; resource?: string; error: string }> = [
    { attack: 'PKCE: no challenge from a public client', clientId: 'spa', error: 'invalid_request' },
    { attack: 'PKCE: method plain from a public client', clientId: 'spa', challenge: 'plain', method: 'plain', error: 'invalid_request' },
    { attack: 'PKCE downgrade: a challenge without method (would default to plain, RFC 7636 §4.3)', clientId: 'spa', challenge: 'plain', error: 'invalid_request' },
    { attack: 'PKCE: an unknown method', clientId: 'spa', challenge: 'S256', method: 'S512', error: 'invalid_request' },
    { attack: 'resource escalation: an API the client is not registered for', clientId: 'web', challenge: 'S256', method: 'S256', resource: BILLING, error: 'invalid_target' },
    { attack: 'resource escalation: an unknown API', clientId: 'web', challenge: 'S256', method: 'S256', resource: 'https://evil.example/', error: 'invalid_target' },
  ];
  for (const row of authorizations) {
    it(`${row.attack}: redirected back with error=${row.error}, no code`, async () => {
      const { verifier, challenge } = pkcePair();
      const outcome = await authorize(identity.url, {
        clientId: row.clientId, scope: 'openid orders:read', resource: row.resource ?? ORDERS, password: PASSWORD,
        ...(row.challenge === undefined ? {} : { codeChallenge: row.challenge === 'plain' ? verifier : challenge }),
        ...(row.method === undefined ? {} : { codeChallengeMethod: row.method }),
      });
      assert.equal(outcome.kind, 'redirect', outcome.kind === 'page' ? outcome.body : '');
      assert.ok(outcome.kind === 'redirect');
      assert.equal(outcome.error, row.error, outcome.url.search);
      assert.equal(outcome.code, undefined);
    });
  }

  for (const redirectUri of ['https://evil.example/callback', 'http://127.0.0.1:1/callback/../evil', 'http://127.0.0.1:1/callback?next=https://evil.example', 'HTTP://127.0.0.1:1/callback/']) {
    it(`redirect_uri not registered (${redirectUri}): an error page, never a redirect there`, async () => {
      const { challenge } = pkcePair();
      const outcome = await authorize(identity.url, {
        clientId: 'web', scope: 'openid orders:read', resource: ORDERS, redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256', password: PASSWORD,
      });
      assert.equal(outcome.kind, 'page');
      assert.ok(outcome.kind === 'page');
      assert.equal(outcome.status, 400);
      assert.equal(outcome.headers.get('location'), null);
      assert.match(outcome.body, /redirect_uri/);
    });
  }
});

describe('refresh token attacks', () => {
  async function refreshTokenOfWeb(scope = 'openid offline_access orders:read'): Promise<string> {
    const { code, verifier } = await codeFor('web', scope);
    const answer = await redeem(code, verifier, WEB);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return String(answer.body.refresh_token);
  }

  // `burns`: oidc-provider rotates (consumes) the refresh token before it resolves the resource,
  // so an invalid `resource` from the OWNING client costs that client its grant. Refused either way.
  const rows: Array<{ attack: string; fields: Record<string, string>; auth: () => string | undefined; status: number; error: string; burns?: true }> = [
    { attack: 'used by another confidential client', fields: {}, auth: () => ROGUE, status: 400, error: 'invalid_grant' },
    { attack: 'used by a client without the refresh grant', fields: {}, auth: () => M2M, status: 400, error: 'invalid_request' },
    { attack: 'used by a public client', fields: { client_id: 'spa' }, auth: () => undefined, status: 400, error: 'invalid_grant' },
    { attack: 'scope escalation: a scope the grant does not hold (RFC 6749 §6)', fields: { scope: 'openid orders:read orders:write' }, auth: () => WEB, status: 400, error: 'invalid_scope' },
    { attack: 'resource escalation: an API the client is not registered for', fields: { resource: BILLING }, auth: () => WEB, status: 400, error: 'invalid_target', burns: true },
  ];
  for (const row of rows) {
    it(`${row.attack}: ${row.status} ${row.error}${row.burns ? '' : ", and the owner's token still works"}`, async () => {
      const refreshToken = await refreshTokenOfWeb();
      assertRefused(await token({ grant_type: 'refresh_token', refresh_token: refreshToken, ...row.fields }, row.auth()), row.status, row.error, row.attack);
      if (row.burns) return;
      const own = await token({ grant_type: 'refresh_token', refresh_token: refreshToken }, WEB);
      assert.equal(own.status, 200, `the failed attempt did not burn the token: ${JSON.stringify(own.body)}`);
      assert.equal(decodeJwt(String(own.body.access_token)).payload.scope, 'orders:read');
    });
  }
});

/** A JWT with exactly the flaws asked for: signed by the service's own key unless told otherwise. */
async function forge(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ sub: identity.aliceId, client_id: 'web', scope: 'orders:read', jti: crypto.randomUUID(), ...claims })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'at+jwt', ...header })
    .sign(signer.privateKey);
}

function unsigned(header: Record<string, unknown>, claims: Record<string, unknown>, signature = ''): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(claims)}.${signature}`;
}

/** JWT attacks (RFC 8725 §2): each row is a token; the account API must answer 401 and the exchange invalid_grant. */
async function forgedTokens(audience: string): Promise<Array<{ attack: string; token: string }>> {
  const t = now();
  const claims = { iss: identity.config.issuer, aud: audience, sub: identity.aliceId, client_id: 'web', scope: 'orders:read', iat: t, exp: t + 300 };
  const publicJwk = (await (await fetch(`${identity.url}/jwks`)).json() as { keys: Array<Record<string, unknown>> }).keys[0];
  const hmacHeader = { alg: 'HS256', kid: signer.kid, typ: 'at+jwt' };
  const signingInput = unsigned(hmacHeader, claims).slice(0, -1);
  // Algorithm confusion: HMAC keyed with the published public key, as a naive verifier would use it.
  const confused = createHmac('sha256', JSON.stringify(publicJwk)).update(signingInput).digest('base64url');
  const attacker = await generateKeyPair('ES256', { extractable: true });
  const attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: 'attacker', alg: 'ES256' };
  const byAttacker = (header: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', ...header }).sign(attacker.privateKey);
  return [
    { attack: 'alg none, no signature', token: unsigned({ alg: 'none', typ: 'at+jwt' }, claims) },
    { attack: 'alg none with the real kid', token: unsigned({ alg: 'none', kid: signer.kid, typ: 'at+jwt' }, claims) },
    { attack: 'HS256 keyed with the public key (algorithm confusion)', token: `${signingInput}.${confused}` },
    { attack: 'kid pointing to no key', token: await byAttacker({ kid: 'no-such-key' }) },
    { attack: 'kid unknown, jku to the attacker’s JWKS', token: await byAttacker({ kid: 'attacker', jku: lure.url }) },
    { attack: 'kid unknown, x5u to the attacker', token: await byAttacker({ kid: 'attacker', x5u: lure.url }) },
    { attack: 'embedded jwk header with the attacker’s key', token: await byAttacker({ jwk: attackerJwk }) },
    { attack: 'the real kid, signed by another key', token: await byAttacker({ kid: signer.kid }) },
    { attack: 'expired (exp in the past)', token: await forge({ ...claims, iat: t - 7200, exp: t - 3600 }) },
    { attack: 'not yet valid (nbf in the future)', token: await forge({ ...claims, nbf: t + 3600 }) },
    { attack: 'issued in the future far beyond leeway', token: await forge({ ...claims, iat: t + 3600, exp: t + 7200, nbf: t + 3600 }) },
    { attack: 'another issuer', token: await forge({ ...claims, iss: 'https://evil.example' }) },
    { attack: 'typ JWT instead of at+jwt (an ID token shape)', token: await forge(claims, { typ: 'JWT' }) },
    { attack: 'oversized (8 kB of header), not our signature', token: await byAttacker({ kid: signer.kid, padding: 'x'.repeat(8_000) }) },
  ];
}

describe('forged and stale JWTs at the account API (GET /api/tokens, Bearer)', () => {
  const getTokens = (bearer: string) => fetch(`${identity.url}/api/tokens`, { headers: { authorization: `Bearer ${bearer}` } });

  it('control: a well-formed token for the account API is accepted', async () => {
    const t = now();
    const valid = await forge({ iss: identity.config.issuer, aud: accountApiAudience(identity.config.issuer), iat: t, exp: t + 300 });
    assert.equal((await getTokens(valid)).status, 200);
  });

  it('a real token of another API (audience Orders) is refused: 401', async () => {
    const m2m = await token({ grant_type: 'client_credentials', resource: ORDERS }, M2M);
    const response = await getTokens(String(m2m.body.access_token));
    assert.equal(response.status, 401);
  });

  it('every forged token answers 401 invalid_token, and nothing is fetched from jku/x5u', async () => {
    lure.resetHits();
    const tampered = await (async () => {
      const t = now();
      const real = await forge({ iss: identity.config.issuer, aud: accountApiAudience(identity.config.issuer), iat: t, exp: t + 300 });
      const [header, , signature] = real.split('.');
      const payload = Buffer.from(JSON.stringify({ ...decodeJwt(real).payload, sub: 'someone-else' })).toString('base64url');
      return `${header}.${payload}.${signature}`;
    })();
    const rows = [...(await forgedTokens(accountApiAudience(identity.config.issuer))), { attack: 'tampered payload, original signature', token: tampered }];
    for (const row of rows) {
      const response = await getTokens(row.token);
      assert.equal(response.status, 401, row.attack);
      const body = (await response.json()) as { error: string };
      assert.equal(body.error, 'invalid_token', row.attack);
    }
    assert.equal(lure.hits, 0, 'jku/x5u were never dereferenced');
  });

  it('a header too large for the server is refused with 431, not a crash', async () => {
    const response = await getTokens('e'.repeat(70_000)).catch(() => undefined);
    // Node's 16 kB header limit answers 431 (or resets): either way no token check, no 5xx.
    if (response) assert.equal(response.status, 431);
    assert.equal((await fetch(`${identity.url}/healthz`)).status, 200, 'the service still answers');
  });
});

describe('token exchange (RFC 8693) attacks', () => {
  function exchange(subjectToken: string, auth = GATEWAY, extra: Record<string, string> = {}) {
    return token({ grant_type: TOKEN_EXCHANGE, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, resource: ORDERS, ...extra }, auth);
  }

  async function apiToken(options: { disabledUser?: boolean; expired?: boolean; revoked?: boolean } = {}): Promise<string> {
    const store = identity.service.store;
    let userId = identity.aliceId;
    if (options.disabledUser) {
      const user = await store.users.create({ id: crypto.randomUUID(), username: `mallory-${crypto.randomUUID().slice(0, 8)}`, passwordHash: 'x', name: undefined, email: undefined, roles: [], groups: [], disabled: false }, now());
      userId = user.id;
    }
    const issuedAt = options.expired ? now() - 7200 : now();
    const { token: secret, record } = await createApiToken(store, { userId, name: `t-${crypto.randomUUID()}`, scopes: ['orders:read'], expiresInSeconds: options.expired ? 60 : undefined }, issuedAt);
    if (options.disabledUser) await store.users.update(userId, { disabled: true }, now());
    if (options.revoked) await store.apiTokens.revoke(record.id, now());
    return secret;
  }

  it('control: a live API token of an enabled user is exchanged for a JWT', async () => {
    const answer = await exchange(await apiToken());
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(decodeJwt(String(answer.body.access_token)).payload.aud, ORDERS);
  });

  const apiTokenRows: Array<{ attack: string; subject: () => Promise<string> }> = [
    { attack: 'API token with a valid checksum but unknown', subject: async () => generateApiToken() },
    { attack: 'API token of a disabled user', subject: () => apiToken({ disabledUser: true }) },
    { attack: 'expired API token', subject: () => apiToken({ expired: true }) },
    { attack: 'revoked API token', subject: () => apiToken({ revoked: true }) },
    { attack: 'API token with a broken checksum', subject: async () => withLastCharacterChanged(await apiToken()) },
    { attack: 'a real JWT access token (not opaque) as subject_token', subject: async () => String((await token({ grant_type: 'client_credentials', resource: ORDERS }, M2M)).body.access_token) },
  ];
  for (const row of apiTokenRows) {
    it(`${row.attack}: 400 invalid_grant`, async () => {
      assertRefused(await exchange(await row.subject()), 400, 'invalid_grant', row.attack);
    });
  }

  it('every forged or stale JWT as subject_token: 400 invalid_grant, nothing fetched', async () => {
    lure.resetHits();
    for (const row of await forgedTokens(ORDERS)) {
      assertRefused(await exchange(row.token), 400, 'invalid_grant', row.attack);
    }
    assert.equal(lure.hits, 0);
  });

  const clientRows: Array<{ attack: string; auth: string | undefined; extra: Record<string, string>; status: number; error: string }> = [
    { attack: 'a confidential client not allowed the grant', auth: WEB, extra: {}, status: 400, error: 'invalid_request' },
    { attack: 'a machine client not allowed the grant', auth: M2M, extra: {}, status: 400, error: 'invalid_request' },
    { attack: 'a public client', auth: undefined, extra: { client_id: 'spa' }, status: 400, error: 'invalid_request' },
    { attack: 'the gateway with a wrong secret', auth: basic('gateway', 'wrong-secret-0123456789'), extra: {}, status: 401, error: 'invalid_client' },
    { attack: 'audience escalation: an API the gateway is not registered for', auth: GATEWAY, extra: { resource: 'https://evil.example/' }, status: 400, error: 'invalid_target' },
  ];
  for (const row of clientRows) {
    it(`token exchange by ${row.attack}: ${row.status} ${row.error}`, async () => {
      assertRefused(await exchange(await apiToken(), row.auth, row.extra), row.status, row.error, row.attack);
    });
  }

  it('an oversized subject_token is refused without a 5xx', async () => {
    const answer = await fetch(`${identity.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: GATEWAY },
      body: new URLSearchParams({ grant_type: TOKEN_EXCHANGE, subject_token: `gat_${'A'.repeat(1_000_000)}`, subject_token_type: ACCESS_TOKEN_TYPE, resource: ORDERS }),
    });
    assert.ok(answer.status >= 400 && answer.status < 500, `status ${answer.status}`);
    await answer.arrayBuffer();
  });
});
