import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileAccessPolicy } from '../../src/authz/compile-access-policy.ts';
import { compileAuthorizationPolicy, PolicyCompileError } from '../../src/authz/compile-policy.ts';
import { compileAuthorizer } from '../../src/authz/authorizer.ts';
import type { AuthzRequest } from '../../src/authz/authz-request.ts';
import type { Decision } from '../../src/authz/evaluate.ts';

const source = { file: 'access.yaml', documentIndex: 0, kind: 'AccessPolicy', name: 'orders' };

function access(spec: unknown) {
  return compileAccessPolicy({ apiVersion: 'gatehouse.dev/v1alpha1', kind: 'AccessPolicy', name: 'orders', spec, source });
}

function req(method: string, path: string, claims?: Record<string, unknown>): AuthzRequest {
  return {
    method, path, host: 'api.test', port: 8080, headers: {}, sourceIp: '127.0.0.1', remoteIp: '127.0.0.1',
    identity: claims && { issuer: 'https://i', subject: 's', principal: 'https://i/s', audiences: [], claims, providerId: 'p', tokenKind: 'jwt' },
  };
}

const spec = {
  rolesClaim: 'realm_access.roles',
  rules: [
    { paths: ['/health'], public: true },
    { paths: ['/orders*'], methods: ['GET'], require: { scopes: ['orders:read'] } },
    { paths: ['/orders*'], methods: ['POST', 'DELETE'], require: { scopes: ['orders:write'], roles: ['admin'] } },
    { paths: ['/tenants/{*}'], require: { claims: { tenant: ['acme', 'globex'], 'org.tier': 'gold' } } },
    { paths: ['/me'] },
  ],
};

function decide(r: AuthzRequest): Decision {
  const authorizer = compileAuthorizer([access(spec)]);
  const decision = authorizer!.authorize(r);
  assert.ok(!(decision instanceof Promise));
  return decision;
}

const cases: { name: string; r: AuthzRequest; allowed: boolean; requiredScopes?: string[] }[] = [
  { name: 'public rule lets anonymous in', r: req('GET', '/health'), allowed: true },
  { name: 'scope from space-separated scope claim', r: req('GET', '/orders/1', { scope: 'openid orders:read' }), allowed: true },
  { name: 'scope from scp list', r: req('GET', '/orders/1', { scp: ['orders:read'] }), allowed: true },
  { name: 'missing scope → insufficient_scope', r: req('GET', '/orders/1', { scope: 'openid' }), allowed: false, requiredScopes: ['orders:read'] },
  { name: 'scope prefix is not a scope', r: req('GET', '/orders/1', { scope: 'orders:read-all' }), allowed: false, requiredScopes: ['orders:read'] },
  { name: 'write needs scope and a role (Keycloak nested roles)', r: req('POST', '/orders', { scope: 'orders:write', realm_access: { roles: ['admin'] } }), allowed: true },
  { name: 'write with scope but without role', r: req('POST', '/orders', { scope: 'orders:write', realm_access: { roles: ['user'] } }), allowed: false },
  { name: 'method not covered by any rule is denied', r: req('PUT', '/orders/1', { scope: 'orders:write orders:read' }), allowed: false },
  { name: 'claims: every claim must match one value', r: req('GET', '/tenants/acme', { tenant: 'acme', org: { tier: 'gold' } }), allowed: true },
  { name: 'claims: one claim wrong', r: req('GET', '/tenants/acme', { tenant: 'acme', org: { tier: 'silver' } }), allowed: false },
  { name: 'no require: any authenticated request', r: req('GET', '/me', {}), allowed: true },
  { name: 'no require: anonymous denied', r: req('GET', '/me'), allowed: false },
  { name: 'uncovered path is denied', r: req('GET', '/other', { scope: 'orders:read' }), allowed: false },
];

for (const c of cases) {
  test(`access policy: ${c.name}`, () => {
    const decision = decide(c.r);
    assert.equal(decision.allowed, c.allowed);
    assert.deepEqual(decision.requiredScopes, c.requiredScopes);
  });
}

test('access policy: combines with an Istio DENY policy in one engine', () => {
  const deny = compileAuthorizationPolicy({
    apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', name: 'block-bob',
    spec: { action: 'DENY', rules: [{ when: [{ key: 'request.auth.claims[sub]', values: ['bob'] }] }] },
    source: { ...source, kind: 'AuthorizationPolicy', name: 'block-bob' },
  });
  const authorizer = compileAuthorizer([access(spec), deny])!;
  const decision = authorizer.authorize(req('GET', '/orders/1', { sub: 'bob', scope: 'orders:read' })) as Decision;
  assert.equal(decision.allowed, false);
  assert.equal(decision.policy, 'block-bob');
});

test('access policy: invalid specs name the field', () => {
  assert.throws(() => access({ rules: [] }), (e: unknown) => e instanceof PolicyCompileError && e.path === 'spec.rules');
  assert.throws(() => access({ rules: [{ require: { scope: ['x'] } }] }), (e: unknown) => e instanceof PolicyCompileError && e.path === 'spec.rules.0.require');
  assert.throws(() => access({ rules: [{ public: true, require: { roles: ['a'] } }] }), (e: unknown) => e instanceof PolicyCompileError && e.path === 'spec.rules[0]');
});
