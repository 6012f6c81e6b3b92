// TokenExchange and RevocationFeed documents → model, and the configurations refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKEND, GATEWAY, loadProblems, loadYaml } from '../support/temp-config.ts';

const ROUTE = (name: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /${name}}}]
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: api}]
`;
const AUTHN = `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: identity}
spec:
  targetRefs: [{kind: HTTPRoute, name: orders}]
  jwtRules: [{issuer: "http://127.0.0.1:9000", jwksUri: "http://127.0.0.1:9000/jwks", audiences: [orders]}]
`;
const exchange = (name: string, extra = '', secret = '{value: gateway-secret}') => `apiVersion: gatehouse.dev/v1alpha1
kind: TokenExchange
metadata: {name: ${name}}
spec:
  tokenEndpoint: http://127.0.0.1:9000/token
  clientId: gateway
  clientSecret: ${secret}
  audience: orders
${extra}`;
const feed = (name: string, spec = '{redis: {url: "redis://127.0.0.1:6379"}}') => `apiVersion: gatehouse.dev/v1alpha1
kind: RevocationFeed
metadata: {name: ${name}}
spec: ${spec}
`;
const config = (...documents: string[]) => [GATEWAY, BACKEND, ROUTE('orders'), ROUTE('reports'), AUTHN, ...documents].join('---\n');

test('TokenExchange: defaults, the secret resolved, targets kept', (t) => {
  const model = loadYaml(t, config(exchange('api-tokens', '  targetRefs: [{kind: HTTPRoute, name: orders}]\n')));
  const [settings] = model.tokenExchanges ?? [];
  assert.equal(settings.clientSecret, 'gateway-secret');
  assert.deepEqual(settings.targets, [{ kind: 'HTTPRoute', name: 'orders' }]);
  assert.equal(settings.timeoutMs, 2000);
  assert.equal(settings.cacheSize, 10_000);
  assert.equal(settings.audience, 'orders');
});

test('TokenExchange: the secret from an environment variable or a Secret', (t) => {
  process.env.GATEHOUSE_TEST_EXCHANGE_SECRET = 'from-env';
  t.after(() => delete process.env.GATEHOUSE_TEST_EXCHANGE_SECRET);
  const target = '  targetRefs: [{kind: HTTPRoute, name: orders}]\n';
  const fromEnv = loadYaml(t, config(exchange('a', target, '{env: GATEHOUSE_TEST_EXCHANGE_SECRET}')));
  assert.equal(fromEnv.tokenExchanges?.[0].clientSecret, 'from-env');
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: gw}\ntype: Opaque\nstringData: {client: from-secret}\n';
  const fromSecret = loadYaml(t, config(secret, exchange('a', target, '{secretRef: {name: gw, key: client}}')));
  assert.equal(fromSecret.tokenExchanges?.[0].clientSecret, 'from-secret');
});

const refused: { name: string; documents: string[]; expected: RegExp }[] = [
  { name: 'a route without a RequestAuthentication', documents: [exchange('everywhere')], expected: /TokenExchange\/everywhere spec.targetRefs: no RequestAuthentication verifies the exchanged JWT on default\/reports\/rule-0\/match-0/ },
  {
    name: 'two exchanges on one route',
    documents: [exchange('a', '  targetRefs: [{kind: HTTPRoute, name: orders}]\n'), exchange('b', '  targetRefs: [{kind: Gateway, name: edge}]\n')],
    expected: /TokenExchange\/b spec.targetRefs: a route takes one TokenExchange/,
  },
  { name: 'an unset environment variable', documents: [exchange('a', '  targetRefs: [{kind: HTTPRoute, name: orders}]\n', '{env: GATEHOUSE_TEST_UNSET_VARIABLE}')], expected: /GATEHOUSE_TEST_UNSET_VARIABLE is not set/ },
  { name: 'a missing target', documents: [exchange('a', '  targetRefs: [{kind: HTTPRoute, name: nowhere}]\n')], expected: /references HTTPRoute "nowhere"/ },
  { name: 'two RevocationFeeds', documents: [feed('one'), feed('two')], expected: /RevocationFeed\/two metadata.name: only one RevocationFeed is allowed/ },
  { name: 'a feed URL that is not Redis', documents: [feed('one', '{redis: {url: "http://127.0.0.1:6379"}}')], expected: /RevocationFeed\/one spec.redis.url: must be a redis:\/\/ or rediss:\/\/ URL/ },
];
for (const { name, documents, expected } of refused) {
  test(`refused: ${name}`, (t) => {
    const found = loadProblems(t, config(...documents));
    assert.ok(found.some((problem) => expected.test(problem)), found.join('\n'));
  });
}

test('RevocationFeed: default prefix, issuers kept', (t) => {
  const model = loadYaml(t, config(feed('revocations', '{redis: {url: "redis://127.0.0.1:6379"}, issuers: ["http://127.0.0.1:9000"]}')));
  assert.equal(model.revocationFeed?.keyPrefix, 'gatehouse:');
  assert.deepEqual(model.revocationFeed?.issuers, ['http://127.0.0.1:9000']);
  assert.equal(model.revocationFeed?.url, 'redis://127.0.0.1:6379');
});
