// The HTTPRoute CORS filter over real sockets: preflights answered by the gateway before any
// token is looked at, actual requests marked for allowed origins only, and gateway rejections
// (a 401) readable by the page that made the request.
import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { ISSUER, startHarness, type Harness } from './gateway-harness.ts';
import { backendDocument, edgeGatewayDocument, pathRouteDocument, requestAuthenticationDocument, yamlDocuments } from '../support/gateway-documents.ts';

function corsConfig(urls: { echo: string; jwksUri: string }): string {
  return yamlDocuments([
    edgeGatewayDocument(),
    backendDocument('echo', urls.echo),
    `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    filters:
    - type: CORS
      cors:
        allowOrigins: ["https://app.example.com", "https://*.example.org"]
        allowMethods: [GET, POST, PUT]
        allowHeaders: [Authorization, Content-Type]
        exposeHeaders: [X-Request-Id]
        allowCredentials: true
        maxAge: 600
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: echo}]`,
    `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: public}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /public}}]
    filters:
    - type: CORS
      cors: {allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"]}
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: echo}]`,
    pathRouteDocument({ name: 'plain', pathPrefix: '/plain', backend: 'echo' }),
    requestAuthenticationDocument('jwt', { issuer: ISSUER, jwksUri: urls.jwksUri }),
    `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: require-token}
spec:
  targetRefs: [{kind: HTTPRoute, name: app}]
  action: ALLOW
  rules:
  - from: [{source: {requestPrincipals: ["*"]}}]`,
  ]);
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
}

function send(baseUrl: string, method: string, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const corsHeaderNames = (headers: IncomingHttpHeaders) => Object.keys(headers).filter((name) => name.startsWith('access-control-'));

describe('CORS filter', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ configYaml: corsConfig });
  });
  after(() => h.close());

  const preflight = (path: string, origin: string, method = 'PUT', requestHeaders?: string) =>
    send(h.baseUrl, 'OPTIONS', path, {
      origin,
      'access-control-request-method': method,
      ...(requestHeaders ? { 'access-control-request-headers': requestHeaders } : {}),
    });

  test('a preflight from an allowed origin is answered 204 by the gateway, without a token', async () => {
    const before = h.echo.received.length;
    const answer = await preflight('/api/orders', 'https://app.example.com', 'PUT', 'authorization, content-type');
    assert.equal(answer.status, 204);
    assert.equal(answer.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(answer.headers['access-control-allow-credentials'], 'true');
    assert.equal(answer.headers['access-control-allow-methods'], 'GET, POST, PUT');
    assert.equal(answer.headers['access-control-allow-headers'], 'authorization, content-type');
    assert.equal(answer.headers['access-control-max-age'], '600');
    assert.equal(answer.headers.vary, 'Origin');
    assert.equal(h.echo.received.length, before, 'a preflight never reaches the upstream');
  });

  const origins: [string, boolean][] = [
    ['https://app.example.com', true],
    ['HTTPS://APP.EXAMPLE.COM', true],
    ['https://a.example.org', true],
    ['https://a.b.example.org', true],
    ['https://example.org', false],
    ['http://a.example.org', false],
    ['https://evil.com', false],
    ['https://app.example.com.evil.com', false],
    ['https://evil.com/.example.org', false],
  ];
  for (const [origin, allowed] of origins) {
    test(`preflight from ${origin}: ${allowed ? 'allowed' : 'no CORS headers'}`, async () => {
      const answer = await preflight('/api/orders', origin);
      assert.equal(answer.status, 204);
      assert.equal(answer.headers.vary, 'Origin');
      if (allowed) assert.equal(answer.headers['access-control-allow-origin'], origin);
      else assert.deepEqual(corsHeaderNames(answer.headers), []);
    });
  }

  test('an actual request from an allowed origin gets origin, credentials and expose headers', async () => {
    const answer = await send(h.baseUrl, 'GET', '/api/orders', { origin: 'https://a.example.org', authorization: `Bearer ${await h.token()}` });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['access-control-allow-origin'], 'https://a.example.org');
    assert.equal(answer.headers['access-control-allow-credentials'], 'true');
    assert.equal(answer.headers['access-control-expose-headers'], 'x-request-id');
    assert.equal(answer.headers.vary, 'Origin');
    assert.equal(answer.headers['access-control-allow-methods'], undefined, 'allow-methods belongs to preflights only');
  });

  test('an actual request from a disallowed origin gets no CORS headers, but Vary: Origin', async () => {
    const answer = await send(h.baseUrl, 'GET', '/api/orders', { origin: 'https://evil.com', authorization: `Bearer ${await h.token()}` });
    assert.equal(answer.status, 200);
    assert.deepEqual(corsHeaderNames(answer.headers), []);
    assert.equal(answer.headers.vary, 'Origin');
  });

  test('a 401 to a cross-origin request carries the CORS headers, so the page can read it', async () => {
    const answer = await send(h.baseUrl, 'GET', '/api/orders', { origin: 'https://app.example.com' });
    assert.equal(answer.status, 401);
    assert.match(String(answer.headers['www-authenticate']), /^Bearer/);
    assert.equal(answer.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(answer.headers['access-control-allow-credentials'], 'true');
  });

  test('origin "*" without credentials answers "*"; "*" methods and headers are allowed as written', async () => {
    const answer = await preflight('/public/x', 'https://anyone.test', 'DELETE', 'x-custom');
    assert.equal(answer.status, 204);
    assert.equal(answer.headers['access-control-allow-origin'], '*');
    assert.equal(answer.headers['access-control-allow-methods'], '*');
    assert.equal(answer.headers['access-control-allow-headers'], '*');
    assert.equal(answer.headers['access-control-allow-credentials'], undefined);
    assert.equal(answer.headers['access-control-max-age'], '5', 'Gateway API default maxAge');
    const actual = await send(h.baseUrl, 'GET', '/public/x', { origin: 'https://anyone.test' });
    assert.equal(actual.status, 200);
    assert.equal(actual.headers['access-control-allow-origin'], '*');
  });

  test('a route without a CORS filter forwards OPTIONS upstream and adds nothing', async () => {
    const answer = await preflight('/plain/x', 'https://app.example.com');
    assert.equal(answer.status, 200);
    assert.equal(h.echo.received.at(-1)?.method, 'OPTIONS');
    assert.deepEqual(corsHeaderNames(answer.headers), []);
    assert.equal(answer.headers.vary, undefined);
  });

  test('a plain OPTIONS without Access-Control-Request-Method is not a preflight', async () => {
    const answer = await send(h.baseUrl, 'OPTIONS', '/public/x', { origin: 'https://anyone.test' });
    assert.equal(answer.status, 200);
    assert.equal(h.echo.received.at(-1)?.method, 'OPTIONS');
    assert.equal(answer.headers['access-control-allow-origin'], '*');
  });
});
