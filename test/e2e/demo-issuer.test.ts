// The demo issuer and demo services on their own, on free ports: what `npm start` relies on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startDemoIssuer, type DemoIssuer } from '../../src/demo/issuer.ts';
import { startDemoServices, type DemoServices } from '../../src/demo/services.ts';

interface Echo {
  service: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  jwtPayload?: unknown;
  authorizationForwarded: boolean;
  cookieNames: string[];
}

/** The JSON body of a reply, typed by what the test expects it to hold. */
async function jsonBody<T = Record<string, string>>(reply: Response): Promise<T> {
  return (await reply.json()) as T;
}

describe('demo issuer', () => {
  let issuer: DemoIssuer;
  before(async () => {
    issuer = await startDemoIssuer({ port: 0 });
  });
  after(() => issuer.close());

  const post = (path: string, body: string, contentType: string) =>
    fetch(`${issuer.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body, redirect: 'manual' });

  it('publishes discovery pointing at its JWKS, whose key verifies the tokens it issues', async () => {
    const discovery = await jsonBody(await fetch(`${issuer.url}/.well-known/openid-configuration`));
    assert.equal(discovery.issuer, issuer.url);
    assert.equal(discovery.jwks_uri, issuer.jwksUri);
    assert.equal(discovery.token_endpoint, `${issuer.url}/token`);

    const reply = await post('/token', JSON.stringify({ username: 'bob', password: 'demo', audience: 'orders-api' }), 'application/json');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('cache-control'), 'no-store');
    const { access_token: token, token_type: tokenType } = await jsonBody(reply);
    assert.equal(tokenType, 'Bearer');
    assert.equal(decodeProtectedHeader(token).alg, 'RS256');
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(issuer.jwksUri)), { issuer: issuer.url, audience: 'orders-api' });
    assert.deepEqual([payload.sub, payload.role, payload.scope], ['bob', 'user', 'orders:read']);
    assert.equal(payload.exp! - payload.iat!, 900);
  });

  const tokenCases: { name: string; body: string; status: number; error: string }[] = [
    { name: 'wrong password', body: 'username=alice&password=nope', status: 401, error: 'invalid_grant' },
    { name: 'unknown user', body: 'username=mallory&password=demo', status: 401, error: 'invalid_grant' },
    { name: 'no password', body: 'username=alice', status: 400, error: 'invalid_request' },
  ];
  for (const { name, body, status, error } of tokenCases) {
    it(`POST /token refuses: ${name}`, async () => {
      const reply = await post('/token', body, 'application/x-www-form-urlencoded');
      assert.equal(reply.status, status);
      assert.equal((await jsonBody(reply)).error, error);
    });
  }

  it('refuses an oversized body with 413', async () => {
    const reply = await post('/token', `username=${'a'.repeat(20_000)}&password=demo`, 'application/x-www-form-urlencoded');
    assert.equal(reply.status, 413);
  });

  it('the login page has no script, forbids scripts by CSP, and drops a non-http return_to', async () => {
    const reply = await fetch(`${issuer.url}/login?return_to=${encodeURIComponent('javascript:alert(1)')}`);
    assert.equal(reply.status, 200);
    assert.match(reply.headers.get('content-security-policy')!, /default-src 'none'/);
    const html = await reply.text();
    assert.doesNotMatch(html, /<script|javascript:/i);
    assert.match(html, /name="return_to" value=""/);
  });

  it('a wrong password on the login form shows the form again with 401 and sets no cookie', async () => {
    const reply = await post('/login', 'username=alice&password=nope&return_to=http%3A%2F%2Fapp.test%2F', 'application/x-www-form-urlencoded');
    assert.equal(reply.status, 401);
    assert.equal(reply.headers.get('set-cookie'), null);
    assert.match(await reply.text(), /Unknown user or wrong password/);
  });

  it('a login without return_to sets the cookie and says who signed in', async () => {
    const reply = await post('/login', 'username=alice&password=demo', 'application/x-www-form-urlencoded');
    assert.equal(reply.status, 200);
    assert.deepEqual(await jsonBody(reply), { signed_in: 'alice', cookie: 'auth_token' });
    assert.match(reply.headers.get('set-cookie')!, /^auth_token=.+; HttpOnly; SameSite=Lax$/);
  });

  it('answers 404 JSON elsewhere', async () => {
    const reply = await fetch(`${issuer.url}/admin`);
    assert.equal(reply.status, 404);
    assert.equal((await jsonBody(reply)).error, 'not_found');
  });
});

describe('demo services', () => {
  let services: DemoServices;
  before(async () => {
    services = await startDemoServices({ ports: { coffee: 0, tea: 0, user: 0, order: 0 } });
  });
  after(() => services.close());

  for (const name of ['coffee', 'tea', 'user', 'order'] as const) {
    it(`${name} echoes the request and decodes x-jwt-payload, without echoing the token`, async () => {
      const payload = { sub: 'alice', role: 'admin' };
      const reply = await fetch(`${services.urls[name]}/some/path?x=1`, {
        method: 'POST',
        body: 'ignored',
        headers: {
          'x-jwt-payload': Buffer.from(JSON.stringify(payload)).toString('base64url'),
          'x-user-id': 'alice',
          'x-request-id': 'req-1',
          authorization: 'Bearer secret-token',
          cookie: 'auth_token=secret-cookie; theme=dark',
        },
      });
      const echoed = await jsonBody<Echo>(reply);
      assert.equal(echoed.service, name);
      assert.equal(echoed.method, 'POST');
      assert.equal(echoed.path, '/some/path');
      assert.equal(echoed.query, '?x=1');
      assert.deepEqual(echoed.jwtPayload, payload);
      assert.deepEqual(echoed.headers, { 'x-user-id': 'alice', 'x-request-id': 'req-1' });
      assert.equal(echoed.authorizationForwarded, true);
      assert.deepEqual(echoed.cookieNames, ['auth_token', 'theme']);
      assert.doesNotMatch(JSON.stringify(echoed), /secret-token|secret-cookie/);
    });
  }
});
