// AuthorizationPolicy source.principals / source.namespaces against the peer identity of a
// verified client certificate: Istio's `trust-domain/ns/x/sa/y` form and the `spiffe://` form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileAuthorizationPolicy } from '../../src/authz/compile-policy.ts';
import { compileAuthorizer } from '../../src/authz/authorizer.ts';
import type { AuthzRequest } from '../../src/authz/authz-request.ts';

function authorizer(source: Record<string, unknown>) {
  const name = 'peers';
  return compileAuthorizer([
    compileAuthorizationPolicy({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      name,
      spec: { action: 'ALLOW', rules: [{ from: [{ source }] }] },
      source: { file: 'test.yaml', documentIndex: 0, kind: 'AuthorizationPolicy', name },
    }),
  ]);
}

function request(peerPrincipal?: string, peerNamespace?: string): AuthzRequest {
  return { method: 'GET', host: 'api.example.com', path: '/', port: 8443, headers: {}, sourceIp: '127.0.0.1', remoteIp: '127.0.0.1', peerPrincipal, peerNamespace };
}

const ORDERS = 'cluster.local/ns/shop/sa/orders';
const cases: { name: string; source: Record<string, unknown>; peer?: [string, string]; allowed: boolean }[] = [
  { name: 'Istio form matches', source: { principals: [ORDERS] }, peer: [ORDERS, 'shop'], allowed: true },
  { name: 'spiffe:// form matches', source: { principals: [`spiffe://${ORDERS}`] }, peer: [ORDERS, 'shop'], allowed: true },
  { name: 'another service does not match', source: { principals: [ORDERS] }, peer: ['cluster.local/ns/shop/sa/billing', 'shop'], allowed: false },
  { name: 'suffix match on the service account', source: { principals: ['*/sa/orders'] }, peer: [ORDERS, 'shop'], allowed: true },
  { name: 'presence: any verified peer', source: { principals: ['*'] }, peer: [ORDERS, 'shop'], allowed: true },
  { name: 'no client certificate: principals never match', source: { principals: ['*'] }, allowed: false },
  { name: 'notPrincipals excludes the peer', source: { notPrincipals: [`spiffe://${ORDERS}`] }, peer: [ORDERS, 'shop'], allowed: false },
  { name: 'namespace matches', source: { namespaces: ['shop'] }, peer: [ORDERS, 'shop'], allowed: true },
  { name: 'other namespace does not match', source: { namespaces: ['admin'] }, peer: [ORDERS, 'shop'], allowed: false },
  { name: 'notNamespaces holds without a peer', source: { notNamespaces: ['admin'] }, allowed: true },
];

test('peer principals: `when` conditions read source.principal and source.namespace', async () => {
  const name = 'conditions';
  const conditions = compileAuthorizer([
    compileAuthorizationPolicy({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      name,
      spec: { rules: [{ when: [{ key: 'source.principal', values: ['*/sa/orders'] }, { key: 'source.namespace', values: ['shop'] }] }] },
      source: { file: 'test.yaml', documentIndex: 0, kind: 'AuthorizationPolicy', name },
    }),
  ])!;
  assert.equal((await conditions.authorize(request(ORDERS, 'shop'))).allowed, true);
  assert.equal((await conditions.authorize(request('cluster.local/ns/admin/sa/orders', 'admin'))).allowed, false);
  assert.equal((await conditions.authorize(request())).allowed, false);
});

for (const c of cases) {
  test(`peer principals: ${c.name}`, async () => {
    const decision = await authorizer(c.source)!.authorize(request(...(c.peer ?? [])));
    assert.equal(decision.allowed, c.allowed);
  });
}
