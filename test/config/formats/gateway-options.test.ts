// gatehouse.dev GatewayOptions → model options: defaults without the kind, overrides with it,
// and the mistakes config load refuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/config/config-error.ts';
import { DEFAULTS } from '../../../src/config/defaults.ts';
import { loadYaml } from '../support/temp-config.ts';
import { backendDocument } from '../../support/gateway-documents.ts';

const ROUTE = `${backendDocument('svc', 'http://127.0.0.1:1')}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: uploads}
spec:
  rules: [{backendRefs: [{group: gatehouse.dev, kind: Backend, name: svc}]}]
---
`;

const options = (spec: string) => `apiVersion: gatehouse.dev/v1alpha1
kind: GatewayOptions
metadata: {name: options}
spec: ${spec}
`;

test('without GatewayOptions every limit has its documented default', (t) => {
  const model = loadYaml(t, ROUTE);
  assert.deepEqual(model.options.limits, DEFAULTS.options.limits);
  assert.equal(model.options.shutdown.drainTimeoutMs, DEFAULTS.options.drainTimeoutMs);
  assert.deepEqual(model.options.routeBodyLimits, []);
});

test('GatewayOptions overrides limits, drain timeout and per-route body limits; the rest keep defaults', (t) => {
  const model = loadYaml(t, ROUTE + options(`
  limits: {maxHeaderCount: 20, maxRequestBodyBytes: 1024, headersTimeout: 2s, requestTimeout: 10s, maxConcurrentRequests: 3}
  shutdown: {drainTimeout: 1m}
  routes: [{name: uploads, maxRequestBodyBytes: 1048576}]`));
  assert.deepEqual(model.options.limits, {
    ...DEFAULTS.options.limits,
    maxHeaderCount: 20,
    maxRequestBodyBytes: 1024,
    headersTimeoutMs: 2000,
    requestTimeoutMs: 10_000,
    maxConcurrentRequests: 3,
  });
  assert.equal(model.options.shutdown.drainTimeoutMs, 60_000);
  assert.deepEqual(model.options.routeBodyLimits, [{ routeName: 'uploads', maxRequestBodyBytes: 1_048_576 }]);
});

const refused: [string, string, RegExp][] = [
  ['a second GatewayOptions', options('{}') + '---\n' + options('{}').replace('name: options', 'name: other'), /^kind: only one GatewayOptions per config/],
  ['a route that does not exist', options('{routes: [{name: nope, maxRequestBodyBytes: 10}]}'), /^spec\.routes\[0\]\.name: no HTTPRoute or VirtualServer route is named "nope"/],
  ['headersTimeout above requestTimeout', options('{limits: {headersTimeout: 20s, requestTimeout: 10s}}'), /^spec\.limits\.headersTimeout: must not exceed requestTimeout/],
  ['a zero limit', options('{limits: {maxConnections: 0}}'), /^spec\.limits\.maxConnections/],
  ['an unknown field', options('{limits: {maxBody: 10}}'), /maxBody/],
];
for (const [name, yaml, expected] of refused) {
  test(`config load refuses ${name}`, (t) => {
    let found: string[] = [];
    try {
      loadYaml(t, ROUTE + yaml);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      found = error.problems.map((problem) => `${problem.path}: ${problem.message}`);
    }
    assert.ok(found.some((line) => expected.test(line)), found.join('\n'));
  });
}
