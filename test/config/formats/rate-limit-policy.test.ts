// gatehouse.dev RateLimitPolicy → model: windows, burst, key parts, backends and targets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeModel } from '../../../src/config/describe-model.ts';
import { BACKEND, GATEWAY, loadYaml } from '../support/temp-config.ts';

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs: [{name: edge}]
  rules: [{backendRefs: [{group: gatehouse.dev, kind: Backend, name: api}]}]
`;

function policy(spec: string): string {
  return `${GATEWAY}---\n${BACKEND}---\n${ROUTE}---\napiVersion: gatehouse.dev/v1alpha1
kind: RateLimitPolicy
metadata: {name: rl}
spec:
${spec}`;
}

test('limits: named windows, durations and burst; default key is the client IP, default backend memory', (t) => {
  const model = loadYaml(t, policy(`  limits:
  - {requests: 10, per: second, burst: 5}
  - {requests: 1000, per: hour}
  - {requests: 50, per: 1m30s}
`));
  const [limit] = model.rateLimits;
  assert.deepEqual(limit.budgets, [
    { requests: 10, windowSeconds: 1, burst: 5 },
    { requests: 1000, windowSeconds: 3600, burst: 0 },
    { requests: 50, windowSeconds: 90, burst: 0 },
  ]);
  assert.deepEqual(limit.key, [{ kind: 'clientIp' }]);
  assert.deepEqual(limit.backend, { kind: 'memory' });
  assert.equal(limit.rejectStatus, 429);
  assert.deepEqual(limit.targets, []);
});

test('key parts combine; header names are lower-cased; Redis backend defaults', (t) => {
  const cases: [string, object][] = [
    ['  key: apiToken\n', [{ kind: 'apiToken' }]],
    ['  key: {claim: realm_access.tenant}\n', [{ kind: 'claim', path: 'realm_access.tenant' }]],
    ['  key: [clientIp, {header: X-Tenant}, {claim: sub}]\n', [{ kind: 'clientIp' }, { kind: 'header', name: 'x-tenant' }, { kind: 'claim', path: 'sub' }]],
  ];
  for (const [key, expected] of cases) {
    const model = loadYaml(t, policy(`  limits: [{requests: 1, per: minute}]\n${key}`));
    assert.deepEqual(model.rateLimits[0].key, expected, key);
  }
  const redis = loadYaml(t, policy('  limits: [{requests: 1, per: minute}]\n  targetRefs: [{kind: HTTPRoute, name: web}]\n  redis: {url: "redis://127.0.0.1:6379"}\n'));
  assert.deepEqual(redis.rateLimits[0].backend, { kind: 'redis', url: 'redis://127.0.0.1:6379', keyPrefix: 'gatehouse:ratelimit:rl', onFailure: 'local' });
  assert.deepEqual(redis.rateLimits[0].targets, [{ kind: 'HTTPRoute', name: 'web' }]);
});

test('gatehouse check describes each rate limit, without Redis credentials', (t) => {
  const model = loadYaml(t, policy('  limits: [{requests: 10, per: second, burst: 5}, {requests: 1000, per: hour}]\n  key: [clientIp, {claim: sub}]\n  redis: {url: "redis://user:s3cret@127.0.0.1:6379/2"}\n  onRedisFailure: open\n'));
  const text = describeModel(model);
  assert.match(text, /^Rate limits \(1\)\n {2}rl {2}10\/1s burst 5 and 1000\/3600s per clientIp\+claim sub {2}on every route {2}redis redis:\/\/127\.0\.0\.1:6379\/2 \(on failure: open\), refuse with 429$/m);
  assert.doesNotMatch(text, /s3cret/);
});
