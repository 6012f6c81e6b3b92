// Renders rejections through a real HTTP server and asserts what a client receives.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Rejection } from '../../src/gateway/context.ts';
import { loginRedirect, renderRejection } from '../../src/gateway/errors.ts';
import { publicError } from '../../src/gateway/reasons.ts';

let rejection: Rejection = { code: 'internal_error' };
let origin = '';
const server = createServer((req, res) => {
  renderRejection({ req, res, secure: false, requestId: 'req-1' }, rejection);
});
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Case {
  name: string;
  rejection: Rejection;
  request?: RequestInit;
  status: number;
  wwwAuthenticate?: string | null;
  body?: object;
  location?: string;
}

const browser = { headers: { accept: 'text/html,application/xhtml+xml' } };
const cases: Case[] = [
  {
    name: 'expired token: 401 with RFC 6750 error attributes',
    rejection: { code: 'jwt_expired', realm: 'coffee' },
    status: 401,
    wwwAuthenticate: 'Bearer realm="coffee", error="invalid_token", error_description="Jwt is expired"',
    body: { error: 'jwt_expired', message: 'Jwt is expired' },
  },
  {
    name: 'missing token: bare challenge without error attributes (RFC 6750 §3.1)',
    rejection: { code: 'jwt_missing', realm: 'coffee' },
    status: 401,
    wwwAuthenticate: 'Bearer realm="coffee"',
    body: { error: 'jwt_missing', message: 'Jwt is missing' },
  },
  {
    name: 'no realm configured: default realm',
    rejection: { code: 'jwt_unknown_kid' },
    status: 401,
    wwwAuthenticate: `Bearer realm="gatehouse", error="invalid_token", error_description="Jwks doesn't have key to match kid or alg from Jwt"`,
  },
  {
    name: 'detail overrides the message and is quoted safely',
    rejection: { code: 'jwt_missing_claim', detail: 'Jwt is missing claim "role"', realm: 'r' },
    status: 401,
    wwwAuthenticate: 'Bearer realm="r", error="invalid_token", error_description="Jwt is missing claim \\"role\\""',
    body: { error: 'jwt_missing_claim', message: 'Jwt is missing claim "role"' },
  },
  {
    name: 'insufficient_scope bearer error is passed through',
    rejection: { code: 'jwt_audience_mismatch', bearerError: 'insufficient_scope', realm: 'r' },
    status: 401,
    wwwAuthenticate: 'Bearer realm="r", error="insufficient_scope", error_description="Audiences in Jwt are not allowed"',
  },
  {
    name: '403 insufficient_scope challenges with the required scope (RFC 6750 §3.1)',
    rejection: { code: 'rbac_denied', realm: 'r', bearerError: 'insufficient_scope', requiredScope: 'orders:read orders:write' },
    status: 403,
    wwwAuthenticate: 'Bearer realm="r", error="insufficient_scope", error_description="RBAC: access denied", scope="orders:read orders:write"',
    body: { error: 'forbidden', message: 'RBAC: access denied' },
  },
  { name: '403 has no challenge', rejection: { code: 'rbac_denied' }, status: 403, wwwAuthenticate: null, body: { error: 'forbidden', message: 'RBAC: access denied' } },
  { name: '404', rejection: { code: 'route_not_found' }, status: 404, body: { error: 'route_not_found', message: 'No route matches the request' } },
  { name: '400 path', rejection: { code: 'path_invalid' }, status: 400, body: { error: 'path_invalid', message: 'Path is not allowed' } },
  { name: '431', rejection: { code: 'header_too_large' }, status: 431 },
  { name: '502', rejection: { code: 'upstream_connect_failed' }, status: 502, body: { error: 'upstream_connect_failed', message: 'Upstream connection failed' } },
  { name: '503', rejection: { code: 'no_healthy_upstream' }, status: 503 },
  { name: '504', rejection: { code: 'upstream_timeout' }, status: 504 },
  { name: '500', rejection: { code: 'internal_error' }, status: 500, body: { error: 'internal_error', message: 'Internal error' } },
  {
    name: 'browser GET with a login URL: 302 to it with the original URL',
    rejection: { code: 'jwt_missing', realm: 'r', loginUrl: 'https://login.example.com/start' },
    request: browser,
    status: 302,
    location: 'https://login.example.com/start?return_to=',
  },
  {
    name: 'login URL with a query: return_to appended with &',
    rejection: { code: 'jwt_expired', loginUrl: 'https://login.example.com/start?app=tea' },
    request: browser,
    status: 302,
    location: 'https://login.example.com/start?app=tea&return_to=',
  },
  {
    name: 'API client (no text/html) to a login URL provider: 401 JSON',
    rejection: { code: 'jwt_missing', realm: 'r', loginUrl: 'https://login.example.com/start' },
    status: 401,
    wwwAuthenticate: 'Bearer realm="r"',
  },
  {
    name: 'browser POST is not redirected',
    rejection: { code: 'jwt_missing', realm: 'r', loginUrl: 'https://login.example.com/start' },
    request: { ...browser, method: 'POST' },
    status: 401,
  },
  {
    name: 'browser on a 403 is not redirected',
    rejection: { code: 'rbac_denied', loginUrl: 'https://login.example.com/start' },
    request: browser,
    status: 403,
  },
];

for (const c of cases) {
  test(c.name, async () => {
    rejection = c.rejection;
    const response = await fetch(`${origin}/coffee?x=1`, { redirect: 'manual', ...c.request });
    assert.equal(response.status, c.status);
    assert.equal(response.headers.get('x-request-id'), 'req-1');
    if (c.wwwAuthenticate !== undefined) assert.equal(response.headers.get('www-authenticate'), c.wwwAuthenticate);
    if (c.location !== undefined) {
      assert.equal(response.headers.get('location'), c.location + encodeURIComponent(`${origin}/coffee?x=1`));
      await response.arrayBuffer();
      return;
    }
    assert.equal(response.headers.get('content-type'), 'application/json');
    const body = (await response.json()) as { error: string; message: string };
    assert.equal(body.error, publicError(c.rejection.code));
    if (c.body !== undefined) assert.deepEqual(body, c.body);
    assert.doesNotMatch(JSON.stringify(body), /at .*\.ts:\d+/, 'no stack trace in a response');
  });
}

test('loginRedirect keeps the login URL and appends return_to url-encoded', () => {
  assert.equal(loginRedirect('https://l/x', 'http://h/a?b=c&d'), 'https://l/x?return_to=http%3A%2F%2Fh%2Fa%3Fb%3Dc%26d');
});
