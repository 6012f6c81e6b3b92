import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRuleIndex } from '../../src/authz/rule-index.ts';
import { compileAuthorizationPolicy } from '../../src/authz/compile-policy.ts';
import type { AuthorizationRule } from '../../src/authz/policy-schema.ts';

const paths = (...p: string[]): AuthorizationRule => ({ to: [{ operation: { paths: p } }] });

test('rule index: rules confined to a first segment are only candidates under it, in rule order', () => {
  const candidates = buildRuleIndex([
    paths('/orders/*'), //        0: orders
    { when: [{ key: 'source.ip', values: ['10.0.0.0/8'] }] }, // 1: anywhere
    paths('/users/{*}', '/orders'), // 2: users, orders
    paths('/users*'), //          3: anywhere (also matches /usersX)
    paths('*/health'), //         4: anywhere (suffix)
    { to: [{ operation: { methods: ['GET'] } }] }, // 5: anywhere (no paths)
    paths('/{*}/items'), //       6: anywhere (template first segment)
  ]);
  assert.deepEqual(candidates('/orders/1'), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(candidates('/users/1'), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(candidates('/billing'), [1, 3, 4, 5, 6]);
  assert.deepEqual(candidates('/'), [1, 3, 4, 5, 6]);
});

test('rule index: a 1,000-rule policy still reports the same first matching rule', () => {
  const rules = Array.from({ length: 1000 }, (_, i) => ({ to: [{ operation: { paths: [`/service-${i}/*`], methods: ['GET'] } }] }));
  rules.splice(500, 0, { to: [{ operation: { methods: ['DELETE'] } }] } as (typeof rules)[number]);
  const policy = compileAuthorizationPolicy({
    apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', name: 'big', spec: { rules },
    source: { file: 'big.yaml', documentIndex: 0, kind: 'AuthorizationPolicy', name: 'big' },
  });
  const request = (method: string, path: string) => ({ method, path, host: 'h', port: 80, headers: {}, sourceIp: '127.0.0.1', remoteIp: '127.0.0.1' });
  assert.equal(policy.firstMatch(request('GET', '/service-999/x')), 1000);
  assert.equal(policy.firstMatch(request('GET', '/service-3/x')), 3);
  assert.equal(policy.firstMatch(request('DELETE', '/service-999/x')), 500);
  assert.equal(policy.firstMatch(request('GET', '/nowhere')), -1);
});
