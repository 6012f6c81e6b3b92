// `gatehouse check --explain`: the gateway's decision for one request, without a server. Each
// case is what an operator would type and what they must see: the deciding policy and rule,
// the AUDIT matches, the status a client would get, and the exit code (0 allow, 3 refused).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from './run-cli.ts';
import { edgeRoutingDocuments, requestAuthenticationDocument, yamlDocuments } from '../support/gateway-documents.ts';

const ISSUER = 'https://issuer.example.com';
const CONFIG = yamlDocuments([
  ...edgeRoutingDocuments({
    backends: { svc: 'http://127.0.0.1:9' },
    routes: [{ name: 'users', pathPrefix: '/users', backend: 'svc' }, { name: 'orders', pathPrefix: '/orders', backend: 'svc' }],
  }),
  `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: old-shop}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /shop}}]
    filters:
    - type: RequestRedirect
      requestRedirect: {scheme: https, hostname: shop.example.com, statusCode: 301, path: {type: ReplacePrefixMatch, replacePrefixMatch: /store}}`,
  requestAuthenticationDocument('jwt', { issuer: ISSUER, jwksUri: `${ISSUER}/jwks.json` }),
  `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: require-role}
spec:
  targetRefs: [{kind: HTTPRoute, name: users}]
  rules:
  - from: [{source: {requestPrincipals: ["*"]}}]
    when: [{key: "request.auth.claims[role]", values: [user, admin]}]`,
  `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: admin-only}
spec:
  action: DENY
  rules:
  - to: [{operation: {paths: ["/users/admin*"]}}]
    when: [{key: "request.auth.claims[role]", notValues: [admin]}]`,
  `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: watch-deletes}
spec:
  action: AUDIT
  rules: [{to: [{operation: {methods: [DELETE]}}]}]`,
  `apiVersion: gatehouse.dev/v1alpha1
kind: AccessPolicy
metadata: {name: orders-scopes}
spec:
  targetRefs: [{kind: HTTPRoute, name: orders}]
  rules:
  - {paths: ["/orders*"], require: {scopes: ["orders:read"]}}`,
]);

const workDir = mkdtempSync(join(tmpdir(), 'gatehouse-explain-'));
after(() => rmSync(workDir, { recursive: true, force: true }));
const configPath = join(workDir, 'config.yaml');
writeFileSync(configPath, CONFIG);

const claims = (extra: Record<string, unknown>) => JSON.stringify({ iss: ISSUER, sub: 'alice', ...extra });

const CASES: { name: string; args: string[]; code: number; lines: string[] }[] = [
  {
    name: 'role user is allowed by the ALLOW policy rule 0',
    args: ['GET http://gw.test/users/1', '--claims', claims({ role: 'user' })],
    code: 0,
    lines: ['route:     default/users/rule-0/match-0', 'principal: https://issuer.example.com/alice', 'policy:    require-role (ALLOW), rule 0', 'status:    200'],
  },
  {
    name: 'another role: 403, no ALLOW rule matched',
    args: ['GET http://gw.test/users/1', '--claims', claims({ role: 'guest' })],
    code: 3,
    lines: ['decision:  deny: no rule of the ALLOW policies (require-role) matched', 'status:    403 rbac_denied'],
  },
  {
    name: 'no token: 401 (a credential would help)',
    args: ['GET http://gw.test/users/1'],
    code: 3,
    lines: ['principal: (anonymous)', 'status:    401 jwt_missing'],
  },
  {
    name: 'the DENY policy decides, on the normalized path; AUDIT matches are listed',
    args: ['DELETE http://gw.test/users/x/../%61dmin', '--claims', claims({ role: 'user' })],
    code: 3,
    lines: ['path:      /users/admin', 'policy:    admin-only (DENY), rule 0', 'audit:     watch-deletes', 'status:    403 rbac_denied'],
  },
  {
    name: 'admin passes the DENY policy',
    args: ['GET http://gw.test/users/admin', '--claims', claims({ role: 'admin' })],
    code: 0,
    lines: ['status:    200'],
  },
  {
    name: 'a missing scope: 403 insufficient_scope with the scope needed',
    args: ['GET http://gw.test/orders/7', '--claims', claims({ scope: 'openid' })],
    code: 3,
    lines: ['status:    403 rbac_denied (insufficient_scope; scope "orders:read")'],
  },
  {
    name: 'an issuer no provider accepts: 401 before authorization',
    args: ['GET http://gw.test/orders/7', '--claims', JSON.stringify({ iss: 'https://evil.test', sub: 'x', scope: 'orders:read' })],
    code: 3,
    lines: ['decision:  not reached', 'status:    401 jwt_issuer_not_configured'],
  },
  {
    name: 'a RequestRedirect rule: its status and Location, before any token check',
    args: ['GET http://gw.test/shop/cart?x=1'],
    code: 3,
    lines: ['route:     default/old-shop/rule-0/match-0', 'decision:  redirect (answered before authentication)', 'status:    301', 'location:  https://shop.example.com/store/cart?x=1'],
  },
  {
    name: 'no route: 404',
    args: ['GET http://gw.test/nothing'],
    code: 3,
    lines: ['route:     (none matches)', 'status:    404 route_not_found'],
  },
];

describe('gatehouse check --explain', () => {
  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const [request, ...rest] = testCase.args;
      const result = await runCli(['check', '--config', configPath, '--explain', request, ...rest]);
      assert.equal(result.code, testCase.code, result.stdout + result.stderr);
      for (const line of testCase.lines) assert.ok(result.stdout.split('\n').includes(line), `"${line}" in:\n${result.stdout}`);
    });
  }

  it('reads headers and the source address like the gateway would', async () => {
    const yaml = CONFIG + `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: office-only}
spec:
  targetRefs: [{kind: HTTPRoute, name: orders}]
  action: DENY
  rules:
  - from: [{source: {notIpBlocks: ["10.0.0.0/8"]}}]
    when: [{key: "request.headers[x-debug]", values: ["1"]}]
`;
    const path = join(workDir, 'headers.yaml');
    writeFileSync(path, yaml);
    const base = ['check', '--config', path, '--explain', 'GET http://gw.test/orders/1', '--claims', claims({ scope: 'orders:read' })];
    const denied = await runCli([...base, '--header', 'X-Debug: 1', '--source-ip', '192.0.2.1']);
    assert.equal(denied.code, 3, denied.stdout);
    assert.match(denied.stdout, /policy: +office-only \(DENY\), rule 0/);
    const office = await runCli([...base, '--header', 'X-Debug: 1', '--source-ip', '10.1.2.3']);
    assert.equal(office.code, 0, office.stdout);
  });

  it('refuses a request it cannot read with a usage error', async () => {
    for (const args of [['GET'], ['GET /relative'], ['GET http://gw.test/', '--claims', '[1]']]) {
      const [request, ...rest] = args;
      const result = await runCli(['check', '--config', configPath, '--explain', request, ...rest]);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /gatehouse: /);
    }
  });
});
