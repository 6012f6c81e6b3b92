// The seeds' YAML loads as written, and a directory loads all its *.yaml/*.yml files in order.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { loadConfig } from '../../src/config/load-config.ts';
import { BACKEND, FIXTURES, GATEWAY, writeTempConfig } from './support/temp-config.ts';


// The token seed 001 sends with curl, signed by the key whose public half is in its Secret.
const SEED_001_TOKEN =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjAwMDEifQ.eyJzdWIiOiJSUzI1Nk5QSUNURVNUIiwiYXVkIjoiZGRkYW9uZyIsImlhdCI6MTYxODI5NTEyMH0.kaJmcz1YLWOjBUrqMnPR8Kzh8nqG92GFMXYmpOVkjlx7NzxNZ_6e6gv6ziR9UhiiYOICqwwzpLUN9DerumGSRCNe6m_640oA0HnS1MkgSc9Q4V9g7DT66UpM4gfDC9WJlRoigolD8cXG5V479Dun3VOvKvwmDDr4NYMPSh8w-L056Lk6lqZEZktXjIYbTaB9S4gLWhbxsrA61C97Va71dbqKqDc0TJ0oTTCLtyRx3EzsfETGil44uMowfGGVb5Y_S5vojv_dwsFkmxjBH7EbvLsvRwYcahrqtxfF6YCXTwvnppxhI9iHWBQaNF4Zkvsk1XzzhCE3NPjpWPxqjQaE8g';

test('seed 000: the jwtRules snippet inside a RequestAuthentication becomes an Istio provider', () => {
  const model = loadConfig(join(FIXTURES, 'seed-000'));
  const provider = model.providers.find((p) => p.id === 'RequestAuthentication/jwt-auth#0');
  assert.ok(provider);
  assert.equal(provider.issuer, 'https://auth.company.com');
  assert.deepEqual(provider.keys, { kind: 'remote', uri: 'https://auth.company.com/.well-known/jwks.json', timeoutMs: 5000 });
  assert.equal(provider.outputPayloadToHeader, 'x-jwt-payload');
  assert.deepEqual(provider.locations, [
    { kind: 'header', name: 'authorization', prefix: 'Bearer ' },
    { kind: 'query', name: 'access_token' },
  ]);
  assert.deepEqual(provider.audiences, []);
  assert.equal(provider.forwardOriginalToken, false);
  assert.equal(provider.realm, 'gatehouse');
  assert.equal(provider.clockSkewSeconds, 60);
  assert.equal(provider.requireExp, true);
  assert.ok(!provider.algorithms.includes('none') && !provider.algorithms.includes('HS256'));
  assert.deepEqual(provider.jwksRefresh, { minSeconds: 30, maxSeconds: 3600, unknownKidCooldownSeconds: 30 });
});

test('seed 000: two issuers in one RequestAuthentication, the AuthorizationPolicy passed through', () => {
  const model = loadConfig(join(FIXTURES, 'seed-000'));
  const multi = model.authentications.find((a) => a.name === 'multi-provider');
  assert.deepEqual(multi?.providerIds, ['RequestAuthentication/multi-provider#0', 'RequestAuthentication/multi-provider#1']);
  assert.deepEqual(multi?.targets, []);
  assert.equal(multi?.requireToken, false);
  assert.deepEqual(model.policies.map((p) => `${p.kind}/${p.name}`), ['AuthorizationPolicy/require-role']);
  assert.deepEqual((model.policies[0].spec as { rules: unknown[] }).rules[0], {
    from: [{ source: { requestPrincipals: ['*'] } }],
    when: [{ key: 'request.auth.claims[role]', values: ['user', 'admin'] }],
  });
  assert.match(model.warnings.join('\n'), /PeerAuthentication\/dev-mode: ignored/);
});

test('seed 000: Gateway, Backends and HTTPRoute rules across the files of a directory', () => {
  const model = loadConfig(join(FIXTURES, 'seed-000'));
  assert.deepEqual(model.listeners.map(({ id, address, port, protocol }) => ({ id, address, port, protocol })), [
    { id: 'edge/http', address: '127.0.0.1', port: 8080, protocol: 'HTTP' },
  ]);
  const orders = model.routes.find((route) => route.id === 'default/services/rule-1/match-0');
  assert.deepEqual(orders?.backends, [{ backend: 'order-service', weight: 1 }]);
  assert.equal(orders?.timeoutMs, 10_000);
  assert.deepEqual(orders?.parents, [{ gateway: 'edge' }]);
  const orderService = model.backends.find((backend) => backend.name === 'order-service');
  assert.deepEqual(
    { failures: orderService?.maxConnectFailures, ejectionMs: orderService?.ejectionMs, connectMs: orderService?.connectTimeoutMs },
    { failures: 5, ejectionMs: 30_000, connectMs: 500 },
  );
  const userService = model.backends.find((backend) => backend.name === 'user-service');
  assert.deepEqual([userService?.maxConnectFailures, userService?.ejectionMs, userService?.connectTimeoutMs], [3, 10_000, 2000]);
});

test('seed 001: NGINX Policy + VirtualServer + kubectl Secret, Deployments and Services ignored', async () => {
  const model = loadConfig(join(FIXTURES, 'seed-001-nginx.yaml'));
  const provider = model.providers.find((p) => p.id === 'Policy/dddaong-jwk-auth#0');
  assert.ok(provider);
  assert.equal(provider.issuer, '*');
  assert.equal(provider.realm, 'dddaong');
  assert.equal(provider.loginUrl, 'https://login.example.com');
  assert.deepEqual(provider.locations, [{ kind: 'header', name: 'authorization', prefix: 'Bearer ' }]);
  assert.equal(provider.requireExp, false);
  assert.equal(provider.keys.kind, 'inline');
  // The decoded Secret is the seed's JWK set: the seed's own token verifies against it.
  const jwks = JSON.parse(provider.keys.kind === 'inline' ? provider.keys.jwks : '{}');
  const { payload } = await jwtVerify(SEED_001_TOKEN, createLocalJWKSet(jwks), { algorithms: ['RS256'] });
  assert.equal(payload.sub, 'RS256NPICTEST');

  assert.deepEqual(model.providers.find((p) => p.id === 'Policy/tea-token-auth#0')?.locations, [{ kind: 'header', name: 'x-api-token' }]);
  assert.deepEqual(
    model.routes.map((route) => [route.id, route.routeName, route.match.path.type, route.match.path.value, route.backends[0].backend]),
    [
      ['default/dddaong-jwt-test/route-2', 'dddaong-jwt-test', 'Exact', '/coffee/exact', 'coffee-svc'],
      ['default/dddaong-jwt-test/route-1', 'dddaong-jwt-test:/tea', 'PathPrefix', '/tea', 'tea-svc'],
      ['default/dddaong-jwt-test/route-0', 'dddaong-jwt-test', 'PathPrefix', '/', 'coffee-svc'],
    ],
  );
  assert.deepEqual(model.routes[0].hostnames, ['auth.test']);
  assert.deepEqual(
    model.authentications.map(({ name, providerIds, targets, requireToken }) => ({ name, providerIds, targets, requireToken })),
    [
      { name: 'VirtualServer/dddaong-jwt-test', providerIds: ['Policy/dddaong-jwk-auth#0'], targets: [{ kind: 'VirtualServer', name: 'dddaong-jwt-test' }], requireToken: true },
      { name: 'VirtualServer/dddaong-jwt-test:/tea', providerIds: ['Policy/tea-token-auth#0'], targets: [{ kind: 'VirtualServer', name: 'dddaong-jwt-test:/tea' }], requireToken: true },
    ],
  );
  assert.equal(model.warnings.filter((warning) => warning.includes('ignored')).length, 2);
});

test('a directory loads every *.yaml and *.yml file, sorted, and nothing else', (t) => {
  const directory = writeTempConfig(t, {
    'b-routes.yml': `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  parentRefs: [{name: edge}]
  rules: [{backendRefs: [{group: gatehouse.dev, kind: Backend, name: api}]}]
`,
    'a-gateway.yaml': `${GATEWAY}---\n${BACKEND}`,
    'notes.txt': 'not: [yaml',
  });
  const model = loadConfig(directory);
  assert.deepEqual(model.routes.map((route) => route.id), ['default/r/rule-0/match-0']);
  assert.equal(model.routes[0].source.file, join(directory, 'b-routes.yml'));
  assert.equal(model.backends[0].source.documentIndex, 1);
});

test('an empty trailing document and a single file path both load', (t) => {
  const directory = writeTempConfig(t, { 'one.yaml': `${BACKEND}---\n` });
  assert.equal(loadConfig(join(directory, 'one.yaml')).backends.length, 1);
});
