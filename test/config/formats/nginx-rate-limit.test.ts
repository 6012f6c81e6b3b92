// NGINX Policy rateLimit → model rate limits attached to the VirtualServers that reference it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/config/config-error.ts';
import { BACKEND, loadYaml } from '../support/temp-config.ts';

function config(rateLimit: string, routePolicies = ''): string {
  return `${BACKEND}---
apiVersion: k8s.nginx.org/v1
kind: Policy
metadata: {name: rate-limit}
spec:
  rateLimit:
${rateLimit}
---
apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: cafe}
spec:
  host: cafe.example.com
  policies: [{name: rate-limit}]
  upstreams: [{name: coffee, service: api, port: 80}]
  routes: [{path: /coffee, action: {pass: coffee}${routePolicies}}]
`;
}

test('rate, burst, rejectCode and key variables keep their NGINX meaning', (t) => {
  const cases: [string, object][] = [
    ['${binary_remote_addr}', [{ kind: 'clientIp' }]],
    ['${jwt_claim_sub}', [{ kind: 'claim', path: 'sub' }]],
    ['${jwt_claim_client_id}', [{ kind: 'claim', path: 'client_id' }]],
    ['${http_x_api_key}', [{ kind: 'header', name: 'x-api-key' }]],
    ['${binary_remote_addr}${http_x_tenant}', [{ kind: 'clientIp' }, { kind: 'header', name: 'x-tenant' }]],
  ];
  for (const [key, expected] of cases) {
    const model = loadYaml(t, config(`    rate: 10r/s\n    burst: 5\n    noDelay: true\n    key: "${key}"\n    zoneSize: 10M`));
    assert.equal(model.rateLimits.length, 1);
    const [limit] = model.rateLimits;
    assert.deepEqual(limit.key, expected, key);
    assert.deepEqual(limit.budgets, [{ requests: 10, windowSeconds: 1, burst: 5 }]);
    assert.deepEqual(limit.targets, [{ kind: 'VirtualServer', name: 'cafe' }]);
    assert.equal(limit.rejectStatus, 503, 'NGINX Ingress Controller default rejectCode');
    assert.deepEqual(model.authentications, [], 'a rateLimit Policy is not an authentication');
    assert.match(model.warnings.join('\n'), /zoneSize is ignored/);
  }
  const perMinute = loadYaml(t, config('    rate: 30r/m\n    key: ${binary_remote_addr}\n    rejectCode: 429\n    burst: 3'));
  assert.deepEqual(perMinute.rateLimits[0].budgets, [{ requests: 30, windowSeconds: 60, burst: 3 }]);
  assert.equal(perMinute.rateLimits[0].rejectStatus, 429);
  assert.match(perMinute.warnings.join('\n'), /served at once \(as with noDelay: true\)/);
});

test('unsupported key variables and route-level rateLimit policies are refused with the field named', (t) => {
  assert.throws(
    () => loadYaml(t, config('    rate: 10r/s\n    key: ${cookie_session}')),
    (error: ConfigError) => error.problems.some((p) => p.path === 'spec.rateLimit.key' && /\$\{cookie_session\} is not supported/.test(p.message)),
  );
  assert.throws(
    () => loadYaml(t, config('    rate: 10r/s\n    key: ${binary_remote_addr}', ', policies: [{name: rate-limit}]')),
    (error: ConfigError) => error.problems.some((p) => p.path === 'spec.routes[0].policies[0]' && /only be referenced in spec.policies/.test(p.message)),
  );
});
