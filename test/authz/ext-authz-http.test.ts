import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileAuthorizationPolicy } from '../../src/authz/compile-policy.ts';
import { compileAuthorizer } from '../../src/authz/authorizer.ts';
import { HttpExternalAuthorizer } from '../../src/authz/ext-authz-http.ts';
import type { AuthzRequest } from '../../src/authz/authz-request.ts';

// A real ext-authz service: allows /allowed*, adds x-tenant; hangs on /slow; denies the rest.
const seen: IncomingMessage[] = [];
const server = createServer((req, res) => {
  seen.push(req);
  if (req.url?.startsWith('/check/slow')) return; // never answers: the gateway must time out
  if (req.url?.startsWith('/check/allowed')) {
    res.writeHead(200, { 'x-tenant': 'acme', 'x-secret-internal': 'no' }).end();
    return;
  }
  res.writeHead(403).end('nope');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
after(() => {
  server.closeAllConnections();
  server.close();
});

function authorizer(url: string) {
  const external = new HttpExternalAuthorizer([
    { name: 'ext', url, timeoutMs: 300, includeRequestHeadersInCheck: ['authorization', 'x-*'], headersToUpstreamOnAllow: ['x-tenant'], failOpen: false },
  ]);
  const policy = compileAuthorizationPolicy({
    apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', name: 'ext-check',
    spec: { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{ to: [{ operation: { notPaths: ['/public*'] } }] }] },
    source: { file: 't.yaml', documentIndex: 0, kind: 'AuthorizationPolicy', name: 'ext-check' },
  });
  const compiled = compileAuthorizer([policy], external);
  assert.ok(compiled);
  return compiled;
}

function req(path: string): AuthzRequest {
  return {
    method: 'POST', host: 'api.test', path, port: 8080, sourceIp: '127.0.0.1', remoteIp: '127.0.0.1',
    headers: { authorization: 'Bearer abc', 'x-trace': '1', cookie: 'session=secret' },
    identity: { issuer: 'https://i', subject: 'alice', principal: 'https://i/alice', audiences: [], claims: { sub: 'alice' }, providerId: 'p', tokenKind: 'jwt' },
  };
}

test('ext-authz: 2xx allows and forwards the named headers only', async () => {
  const decision = await authorizer(`http://127.0.0.1:${port}/check`).authorize(req('/allowed/x'));
  assert.equal(decision.allowed, true);
  assert.deepEqual(decision.upstreamHeaders, { 'x-tenant': 'acme' });
  const check = seen.at(-1)!;
  assert.equal(check.method, 'POST');
  assert.equal(check.url, '/check/allowed/x');
  assert.equal(check.headers['authorization'], 'Bearer abc');
  assert.equal(check.headers['x-trace'], '1');
  assert.equal(check.headers['cookie'], undefined, 'headers not listed are not sent');
  assert.equal(check.headers['x-gatehouse-principal'], 'https://i/alice');
});

test('ext-authz: non-2xx denies with the policy named', async () => {
  const decision = await authorizer(`http://127.0.0.1:${port}/check`).authorize(req('/private'));
  assert.equal(decision.allowed, false);
  assert.equal(decision.policy, 'ext-check');
  assert.match(decision.reason, /status 403/);
});

test('ext-authz: a timeout denies', async () => {
  const decision = await authorizer(`http://127.0.0.1:${port}/check`).authorize(req('/slow'));
  assert.equal(decision.allowed, false);
  assert.match(decision.reason, /timed out/);
});

test('ext-authz: an unreachable service denies', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const decision = await authorizer(`http://127.0.0.1:${deadPort}/check`).authorize(req('/private'));
  assert.equal(decision.allowed, false);
  assert.match(decision.reason, /unreachable/);
});

test('ext-authz: requests outside the CUSTOM rules are not sent to the service', async () => {
  const before = seen.length;
  const decision = await authorizer(`http://127.0.0.1:${port}/check`).authorize(req('/public/info'));
  assert.equal(decision.allowed, true);
  assert.equal(seen.length, before);
});
