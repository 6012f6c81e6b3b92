// Authorization at the gateway over real sockets: Istio AuthorizationPolicy (seed 000's role
// check, DENY paths that attackers try to reach by spelling them differently), the AccessPolicy
// short form with insufficient_scope, and CUSTOM through a real ext-authz service.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { gatewayYaml, rawGet, startHarness, type Harness } from './gateway-harness.ts';

// A real ext-authz service: allows unless the request carries `x-block: 1`, and tags allowed
// requests with a tenant header the upstream should see.
const extAuthz = createServer((req, res) => {
  if (req.headers['x-block'] === '1') res.writeHead(403).end();
  else res.writeHead(200, { 'x-tenant': 'acme' }).end();
});
await new Promise<void>((resolve) => extAuthz.listen(0, '127.0.0.1', resolve));
const extAuthzUrl = `http://127.0.0.1:${(extAuthz.address() as AddressInfo).port}`;

const POLICIES = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: require-role}
spec:
  targetRefs: [{kind: HTTPRoute, name: users}]
  action: ALLOW
  rules:
  - from: [{source: {requestPrincipals: ["*"]}}]
    when:
    - key: request.auth.claims[role]
      values: ["user", "admin"]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: no-admin-paths}
spec:
  action: DENY
  rules:
  - to: [{operation: {paths: ["/users/admin*"]}}]
    when: [{key: "request.auth.claims[role]", notValues: ["admin"]}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: AccessPolicy
metadata: {name: orders-scopes}
spec:
  targetRefs: [{kind: HTTPRoute, name: orders}]
  rules:
  - {paths: ["/orders/health"], public: true}
  - {paths: ["/orders*"], methods: [GET], require: {scopes: ["orders:read"]}}
  - {paths: ["/orders*"], methods: [POST], require: {scopes: ["orders:write"], roles: [admin]}}
---
apiVersion: gatehouse.dev/v1alpha1
kind: ExtAuthzProvider
metadata: {name: tenant-check}
spec:
  url: "${extAuthzUrl}/check"
  timeout: 500ms
  includeRequestHeadersInCheck: ["x-block"]
  headersToUpstreamOnAllow: ["x-tenant"]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: tenant}
spec:
  targetRefs: [{kind: HTTPRoute, name: tenants}]
  action: CUSTOM
  provider: {name: tenant-check}
  rules: [{}]
`;

describe('gateway authorization end to end', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      loginUrl: 'https://login.example.com/start',
      configYaml: ({ echo, jwksUri }) =>
        gatewayYaml({
          upstreams: { echo },
          routes: [
            { name: 'users', pathPrefix: '/users', backend: 'echo' },
            { name: 'orders', pathPrefix: '/orders', backend: 'echo' },
            { name: 'tenants', pathPrefix: '/tenants', backend: 'echo' },
          ],
          jwksUri,
          loginUrl: 'https://login.example.com/start',
        }) + `---\n${POLICIES}`,
    });
  });
  after(async () => {
    extAuthz.closeAllConnections();
    extAuthz.close();
    await h?.close();
  });

  const bearer = async (claims: Record<string, unknown>) => ({ authorization: `Bearer ${await h.token(claims)}` });

  test('seed 000: role user or admin passes, another role gets 403 forbidden', async () => {
    for (const role of ['user', 'admin']) {
      const response = await fetch(`${h.baseUrl}/users/42`, { headers: await bearer({ role }) });
      assert.equal(response.status, 200, role);
      await response.arrayBuffer();
    }
    const denied = await fetch(`${h.baseUrl}/users/42`, { headers: await bearer({ role: 'guest' }) });
    assert.equal(denied.status, 403);
    assert.deepEqual(await denied.json(), { error: 'forbidden', message: 'RBAC: access denied' });
    assert.equal(denied.headers.get('www-authenticate'), null);
  });

  test('no credential and denied: 401 with the bare RFC 6750 challenge; a browser goes to the login URL', async () => {
    const api = await fetch(`${h.baseUrl}/users/42`);
    assert.equal(api.status, 401);
    assert.equal(api.headers.get('www-authenticate'), 'Bearer realm="edge-realm"');
    assert.equal(((await api.json()) as { error: string }).error, 'jwt_missing');
    const browser = await fetch(`${h.baseUrl}/users/42`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    assert.equal(browser.status, 302);
    assert.match(browser.headers.get('location') ?? '', /^https:\/\/login\.example\.com\/start\?return_to=/);
  });

  test('a DENY path cannot be reached by spelling it differently', async () => {
    const headers = await bearer({ role: 'user' });
    for (const path of ['/users/admin', '//users/admin', '/users/x/../admin', '/users/%61dmin', '/users/./admin/']) {
      const response = await rawGet(h.baseUrl, path, headers);
      assert.equal(response.status, 403, path);
    }
    assert.equal((await rawGet(h.baseUrl, '/users%2Fadmin', headers)).status, 400, 'encoded slash refused');
    const admin = await rawGet(h.baseUrl, '//users/admin', await bearer({ role: 'admin' }));
    assert.equal(admin.status, 200);
    assert.equal((JSON.parse(admin.body) as { url: string }).url, '/users/admin', 'the normalized path goes upstream');
  });

  test('AccessPolicy: scopes, roles, public paths and insufficient_scope', async () => {
    assert.equal((await fetch(`${h.baseUrl}/orders/health`)).status, 200);
    const read = await fetch(`${h.baseUrl}/orders/1`, { headers: await bearer({ scope: 'openid orders:read' }) });
    assert.equal(read.status, 200);
    const missing = await fetch(`${h.baseUrl}/orders/1`, { headers: await bearer({ scope: 'openid' }) });
    assert.equal(missing.status, 403);
    assert.equal(
      missing.headers.get('www-authenticate'),
      'Bearer realm="edge-realm", error="insufficient_scope", error_description="RBAC: access denied", scope="orders:read"',
    );
    const write = await fetch(`${h.baseUrl}/orders`, { method: 'POST', headers: await bearer({ scope: 'orders:write', roles: ['admin'] }) });
    assert.equal(write.status, 200);
    const writeNoRole = await fetch(`${h.baseUrl}/orders`, { method: 'POST', headers: await bearer({ scope: 'orders:write', roles: ['user'] }) });
    assert.equal(writeNoRole.status, 403);
  });

  test('CUSTOM: the ext-authz service allows (adding headers upstream) or denies', async () => {
    const allowed = await fetch(`${h.baseUrl}/tenants/1`, { headers: await bearer({}) });
    assert.equal(allowed.status, 200);
    const seen = (await allowed.json()) as { headers: Record<string, string> };
    assert.equal(seen.headers['x-tenant'], 'acme');
    const denied = await fetch(`${h.baseUrl}/tenants/1`, { headers: { ...(await bearer({})), 'x-block': '1' } });
    assert.equal(denied.status, 403);
    await denied.arrayBuffer();
  });

  test('decisions are counted by policy in /metrics', async () => {
    const metrics = await (await fetch(`${h.adminUrl}/metrics`)).text();
    assert.match(metrics, /gatehouse_authz_decisions_total\{policy="require-role",decision="allow"\} [1-9]/);
    assert.match(metrics, /gatehouse_authz_decisions_total\{policy="no-admin-paths",decision="deny"\} [1-9]/);
  });
});
