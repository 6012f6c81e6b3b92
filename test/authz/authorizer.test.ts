import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileAuthorizationPolicy, PolicyCompileError } from '../../src/authz/compile-policy.ts';
import { compileAuthorizer } from '../../src/authz/authorizer.ts';
import type { AuthzRequest } from '../../src/authz/authz-request.ts';
import type { Identity } from '../../src/model/identity.ts';
import type { Decision } from '../../src/authz/evaluate.ts';

function policy(name: string, spec: unknown) {
  return compileAuthorizationPolicy({
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    name,
    spec,
    source: { file: 'test.yaml', documentIndex: 0, kind: 'AuthorizationPolicy', name },
  });
}

function identity(claims: Record<string, unknown>): Identity {
  const iss = String(claims.iss ?? 'https://issuer.test');
  const sub = String(claims.sub ?? 'alice');
  const aud = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud)];
  return { issuer: iss, subject: sub, principal: `${iss}/${sub}`, audiences: aud, claims, providerId: 'p', tokenKind: 'jwt' };
}

function request(overrides: Partial<AuthzRequest> & { claims?: Record<string, unknown> } = {}): AuthzRequest {
  const { claims, ...rest } = overrides;
  return {
    method: 'GET',
    host: 'api.example.com',
    path: '/users/42',
    port: 8080,
    headers: {},
    sourceIp: '10.1.2.3',
    remoteIp: '10.1.2.3',
    identity: claims ? identity(claims) : undefined,
    ...rest,
  };
}

function decide(specs: unknown[], req: AuthzRequest): Decision {
  const authorizer = compileAuthorizer(specs.map((s, i) => policy(`p${i}`, s)));
  assert.ok(authorizer);
  const decision = authorizer.authorize(req);
  assert.ok(!(decision instanceof Promise));
  return decision;
}

const seed000 = {
  action: 'ALLOW',
  rules: [{ from: [{ source: { requestPrincipals: ['*'] } }], when: [{ key: 'request.auth.claims[role]', values: ['user', 'admin'] }] }],
};

const cases: { name: string; policies: unknown[]; req: AuthzRequest; allowed: boolean }[] = [
  { name: 'seed 000: role user allowed', policies: [seed000], req: request({ claims: { role: 'user' } }), allowed: true },
  { name: 'seed 000: role admin allowed', policies: [seed000], req: request({ claims: { role: 'admin' } }), allowed: true },
  { name: 'seed 000: role guest denied', policies: [seed000], req: request({ claims: { role: 'guest' } }), allowed: false },
  { name: 'seed 000: no token denied', policies: [seed000], req: request(), allowed: false },
  { name: 'spec {} denies everything', policies: [{}], req: request({ claims: { role: 'admin' } }), allowed: false },
  { name: 'rules [{}] allows everything', policies: [{ rules: [{}] }], req: request(), allowed: true },
  { name: 'DENY with no rules matches nothing', policies: [{ action: 'DENY' }], req: request(), allowed: true },
  { name: 'DENY beats ALLOW', policies: [{ rules: [{}] }, { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/users/*'] } }] }] }], req: request(), allowed: false },
  { name: 'AUDIT does not change the decision', policies: [{ action: 'AUDIT', rules: [{}] }], req: request(), allowed: true },
  { name: 'prefix path', policies: [{ rules: [{ to: [{ operation: { paths: ['/users*'] } }] }] }], req: request(), allowed: true },
  { name: 'suffix path', policies: [{ rules: [{ to: [{ operation: { paths: ['*/42'] } }] }] }], req: request(), allowed: true },
  { name: 'exact path miss', policies: [{ rules: [{ to: [{ operation: { paths: ['/users'] } }] }] }], req: request(), allowed: false },
  { name: 'template {*} one segment', policies: [{ rules: [{ to: [{ operation: { paths: ['/users/{*}'] } }] }] }], req: request(), allowed: true },
  { name: 'template {*} is not two segments', policies: [{ rules: [{ to: [{ operation: { paths: ['/users/{*}'] } }] }] }], req: request({ path: '/users/42/orders' }), allowed: false },
  { name: 'template {**} many segments', policies: [{ rules: [{ to: [{ operation: { paths: ['/users/{**}'] } }] }] }], req: request({ path: '/users/42/orders' }), allowed: true },
  { name: 'notPaths', policies: [{ rules: [{ to: [{ operation: { notPaths: ['/admin*'] } }] }] }], req: request({ path: '/admin/x' }), allowed: false },
  { name: 'methods ORed', policies: [{ rules: [{ to: [{ operation: { methods: ['POST', 'GET'] } }] }] }], req: request(), allowed: true },
  { name: 'notMethods', policies: [{ rules: [{ to: [{ operation: { notMethods: ['GET'] } }] }] }], req: request(), allowed: false },
  { name: 'hosts case-insensitive', policies: [{ rules: [{ to: [{ operation: { hosts: ['API.example.com'] } }] }] }], req: request(), allowed: true },
  { name: 'hosts suffix', policies: [{ rules: [{ to: [{ operation: { hosts: ['*.example.com'] } }] }] }], req: request(), allowed: true },
  { name: 'ports', policies: [{ rules: [{ to: [{ operation: { ports: ['9090'] } }] }] }], req: request(), allowed: false },
  { name: 'to entries ORed', policies: [{ rules: [{ to: [{ operation: { methods: ['POST'] } }, { operation: { paths: ['/users/42'] } }] }] }], req: request(), allowed: true },
  { name: 'fields within an operation ANDed', policies: [{ rules: [{ to: [{ operation: { methods: ['POST'], paths: ['/users/42'] } }] }] }], req: request(), allowed: false },
  { name: 'from and when ANDed', policies: [{ rules: [{ from: [{ source: { requestPrincipals: ['*'] } }], when: [{ key: 'request.auth.claims[role]', values: ['admin'] }] }] }], req: request({ claims: { role: 'user' } }), allowed: false },
  { name: 'requestPrincipals exact iss/sub', policies: [{ rules: [{ from: [{ source: { requestPrincipals: ['https://issuer.test/alice'] } }] }] }], req: request({ claims: {} }), allowed: true },
  { name: 'requestPrincipals issuer prefix', policies: [{ rules: [{ from: [{ source: { requestPrincipals: ['https://issuer.test/*'] } }] }] }], req: request({ claims: { sub: 'bob' } }), allowed: true },
  { name: 'notRequestPrincipals * matches anonymous', policies: [{ rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] }], req: request(), allowed: true },
  { name: 'notRequestPrincipals * refuses a principal', policies: [{ rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] }], req: request({ claims: {} }), allowed: false },
  { name: 'ipBlocks CIDR', policies: [{ rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/8'] } }] }] }], req: request(), allowed: true },
  { name: 'ipBlocks IPv4-mapped IPv6 peer', policies: [{ rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/8'] } }] }] }], req: request({ sourceIp: '::ffff:10.9.9.9' }), allowed: true },
  { name: 'notIpBlocks', policies: [{ rules: [{ from: [{ source: { notIpBlocks: ['10.1.0.0/16'] } }] }] }], req: request(), allowed: false },
  { name: 'remoteIpBlocks single address', policies: [{ rules: [{ from: [{ source: { remoteIpBlocks: ['192.0.2.7'] } }] }] }], req: request({ remoteIp: '192.0.2.7' }), allowed: true },
  { name: 'peer principals never match without mTLS', policies: [{ rules: [{ from: [{ source: { principals: ['*'] } }] }] }], req: request({ claims: {} }), allowed: false },
  { name: 'list claim: any element', policies: [{ rules: [{ when: [{ key: 'request.auth.claims[groups]', values: ['ops'] }] }] }], req: request({ claims: { groups: ['dev', 'ops'] } }), allowed: true },
  { name: 'nested claim', policies: [{ rules: [{ when: [{ key: 'request.auth.claims[realm_access][roles]', values: ['admin'] }] }] }], req: request({ claims: { realm_access: { roles: ['user', 'admin'] } } }), allowed: true },
  { name: 'nested claim missing', policies: [{ rules: [{ when: [{ key: 'request.auth.claims[realm_access][roles]', values: ['admin'] }] }] }], req: request({ claims: { role: 'admin' } }), allowed: false },
  { name: 'notValues', policies: [{ rules: [{ when: [{ key: 'request.auth.claims[role]', notValues: ['guest'] }] }] }], req: request({ claims: { role: 'guest' } }), allowed: false },
  { name: 'numeric claim as string', policies: [{ rules: [{ when: [{ key: 'request.auth.claims[level]', values: ['3'] }] }] }], req: request({ claims: { level: 3 } }), allowed: true },
  { name: 'audiences any-of', policies: [{ rules: [{ when: [{ key: 'request.auth.audiences', values: ['orders'] }] }] }], req: request({ claims: { aud: ['users', 'orders'] } }), allowed: true },
  { name: 'presenter (azp)', policies: [{ rules: [{ when: [{ key: 'request.auth.presenter', values: ['web-app'] }] }] }], req: request({ claims: { azp: 'web-app' } }), allowed: true },
  { name: 'principal condition', policies: [{ rules: [{ when: [{ key: 'request.auth.principal', values: ['*/alice'] }] }] }], req: request({ claims: {} }), allowed: true },
  { name: 'request header condition', policies: [{ rules: [{ when: [{ key: 'request.headers[X-Tenant]', values: ['acme'] }] }] }], req: request({ headers: { 'x-tenant': 'acme' } }), allowed: true },
  { name: 'source.ip condition CIDR', policies: [{ rules: [{ when: [{ key: 'source.ip', values: ['10.1.0.0/16'] }] }] }], req: request(), allowed: true },
  { name: 'destination.port condition', policies: [{ rules: [{ when: [{ key: 'destination.port', values: ['8080'] }] }] }], req: request(), allowed: true },
  { name: 'connection.sni condition absent', policies: [{ rules: [{ when: [{ key: 'connection.sni', values: ['*'] }] }] }], req: request(), allowed: false },
  { name: 'two ALLOW policies: either allows', policies: [{ rules: [{ to: [{ operation: { paths: ['/orders*'] } }] }] }, { rules: [{ to: [{ operation: { paths: ['/users*'] } }] }] }], req: request(), allowed: true },
];

for (const c of cases) {
  test(`authorization: ${c.name}`, () => {
    assert.equal(decide(c.policies, c.req).allowed, c.allowed);
  });
}

test('authorization: the decision names the policy and rule that decided', () => {
  const decision = decide([{ rules: [{ to: [{ operation: { methods: ['POST'] } }] }, {}] }], request());
  assert.deepEqual({ policy: decision.policy, rule: decision.rule, action: decision.action }, { policy: 'p0', rule: 1, action: 'ALLOW' });
  const audit = decide([{ action: 'AUDIT', rules: [{}] }], request());
  assert.deepEqual(audit.audited, ['p0']);
});

const invalid: { name: string; spec: unknown; path: string }[] = [
  { name: 'unknown field', spec: { rules: [{ form: [] }] }, path: 'spec.rules.0' },
  { name: 'bad action', spec: { action: 'PERMIT' }, path: 'spec.action' },
  { name: 'CUSTOM without provider', spec: { action: 'CUSTOM', rules: [{}] }, path: 'spec.provider' },
  { name: 'bad CIDR', spec: { rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/40'] } }] }] }, path: 'spec.rules[0]' },
  { name: 'bad template', spec: { rules: [{ to: [{ operation: { paths: ['/a/{**}/b'] } }] }] }, path: 'spec.rules[0]' },
  { name: 'unknown condition key', spec: { rules: [{ when: [{ key: 'request.body', values: ['x'] }] }] }, path: 'spec.rules[0]' },
  { name: 'condition without values', spec: { rules: [{ when: [{ key: 'source.ip' }] }] }, path: 'spec.rules.0.when.0' },
];

for (const c of invalid) {
  test(`authorization policy refused: ${c.name}`, () => {
    assert.throws(() => policy('bad', c.spec), (error: unknown) => error instanceof PolicyCompileError && error.path === c.path);
  });
}
