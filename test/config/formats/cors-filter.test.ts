// HTTPRoute CORS filter → model, and the configurations the Fetch standard makes useless.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/config/config-error.ts';
import { loadYaml } from '../support/temp-config.ts';
import { backendDocument } from '../../support/gateway-documents.ts';

const route = (cors: string) => `${backendDocument('svc', 'http://127.0.0.1:1')}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app}
spec:
  rules:
  - filters:
    - type: CORS
      cors: ${cors}
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: svc}]
`;

function problems(t: import('node:test').TestContext, yaml: string): string[] {
  try {
    loadYaml(t, yaml);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
    throw error;
  }
  return [];
}

test('a CORS filter becomes a model CorsPolicy with Gateway API defaults', (t) => {
  const [appRoute] = loadYaml(t, route('{allowOrigins: ["https://App.Example.com"], exposeHeaders: [X-Trace]}')).routes;
  assert.deepEqual(appRoute.filters, [
    {
      type: 'CORS',
      cors: {
        allowOrigins: ['https://app.example.com'],
        allowMethods: [],
        allowHeaders: [],
        exposeHeaders: ['x-trace'],
        allowCredentials: false,
        maxAgeSeconds: 5,
      },
    },
  ]);
});

const refused: [string, string, RegExp][] = [
  ['credentials with origin "*"', '{allowOrigins: ["*"], allowCredentials: true}', /^spec\.rules\[0\]\.filters\[0\]\.cors\.allowCredentials: must not be true when allowOrigins contains "\*"/],
  ['no origins', '{allowMethods: [GET]}', /^spec\.rules\[0\]\.filters\[0\]\.cors\.allowOrigins: must list at least one origin/],
  ['an origin with a path', '{allowOrigins: ["https://app.example.com/path"]}', /allowOrigins\[0\]: must be "\*" or an origin/],
  ['a wildcard not at the start of the host', '{allowOrigins: ["https://app.*.com"]}', /allowOrigins\[0\]: must be "\*" or an origin/],
  ['an unknown method', '{allowOrigins: ["*"], allowMethods: [FETCH]}', /allowMethods\[0\]/],
  ['maxAge 0', '{allowOrigins: ["*"], maxAge: 0}', /maxAge/],
];
for (const [name, cors, expected] of refused) {
  test(`config load refuses a CORS filter with ${name}`, (t) => {
    const found = problems(t, route(cors));
    assert.ok(found.some((line) => expected.test(line)), found.join('\n'));
  });
}
