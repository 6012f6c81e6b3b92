// Gateway API match precedence: the order the router tries routes in (first match wins).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sortRoutes } from '../../src/config/sort-routes.ts';
import type { PathMatch, Route, RouteMatch } from '../../src/model/gateway-model.ts';
import { BACKEND, GATEWAY, loadYaml } from './support/temp-config.ts';

function route(id: string, path: PathMatch, extra: Partial<RouteMatch> = {}, routeName = 'r', namespace?: string): Route {
  return {
    id, routeName, parents: [], hostnames: [], filters: [], backends: [],
    match: { path, headers: [], queryParams: [], ...extra },
    source: { file: 'f.yaml', documentIndex: 0, kind: 'HTTPRoute', name: routeName, ...(namespace ? { namespace } : {}) },
  };
}

const header = { type: 'Exact' as const, name: 'x', value: '1' };
const query = { type: 'Exact' as const, name: 'q', value: '1' };

test('precedence: Exact > longest PathPrefix > RegularExpression, then method, headers, query params', () => {
  const expectedOrder = [
    route('exact-long', { type: 'Exact', value: '/api/v1/users' }),
    route('exact', { type: 'Exact', value: '/api' }),
    route('prefix-longest', { type: 'PathPrefix', value: '/api/v1' }),
    route('prefix-method-2headers', { type: 'PathPrefix', value: '/api' }, { method: 'GET', headers: [header, header] }),
    route('prefix-method-1header', { type: 'PathPrefix', value: '/api' }, { method: 'GET', headers: [header] }),
    route('prefix-method', { type: 'PathPrefix', value: '/api' }, { method: 'GET' }),
    route('prefix-3headers', { type: 'PathPrefix', value: '/api' }, { headers: [header, header, header] }),
    route('prefix-header-query', { type: 'PathPrefix', value: '/api' }, { headers: [header], queryParams: [query] }),
    route('prefix-header', { type: 'PathPrefix', value: '/api' }, { headers: [header] }),
    route('prefix-query', { type: 'PathPrefix', value: '/api' }, { queryParams: [query] }),
    route('prefix', { type: 'PathPrefix', value: '/api' }),
    route('root', { type: 'PathPrefix', value: '/' }),
    route('regex-long', { type: 'RegularExpression', value: '^/api/[0-9]+$' }),
    route('regex', { type: 'RegularExpression', value: '.*' }),
  ];
  const shuffled = [...expectedOrder].reverse();
  shuffled.push(shuffled.splice(3, 1)[0]);
  assert.deepEqual(sortRoutes(shuffled).map((r) => r.id), expectedOrder.map((r) => r.id));
});

test('ties across routes: oldest creationTimestamp, then "{namespace}/{name}"; within a route, rule order', () => {
  const same = { type: 'PathPrefix' as const, value: '/' };
  const routes = [
    route('b/rule-0', same, {}, 'b'),
    route('a/rule-1', same, {}, 'a'),
    route('a/rule-0', same, {}, 'a'),
    route('zeta/old', same, {}, 'z', 'zeta'),
    route('alpha/a', same, {}, 'a', 'alpha'),
  ];
  // Input order within route "a" is rule-1 then rule-0: list order is kept within one route.
  const created = new Map([['z', Date.parse('2020-09-08T01:02:03Z')]]);
  const sorted = sortRoutes(routes, (r) => created.get(r.routeName));
  assert.deepEqual(sorted.map((r) => r.id), ['zeta/old', 'alpha/a', 'a/rule-1', 'a/rule-0', 'b/rule-0']);
});

test('loadConfig returns routes in precedence order, using metadata.creationTimestamp', (t) => {
  const httpRoute = (name: string, created: string, path: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, creationTimestamp: "${created}"}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {value: ${path}}}, {path: {type: Exact, value: ${path}/exact}}]
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: api}]
`;
  const model = loadYaml(t, [GATEWAY, BACKEND,
    httpRoute('newer', '2024-02-01T00:00:00Z', '/'),
    httpRoute('older', '2023-01-01T00:00:00Z', '/'),
    httpRoute('deeper', '2025-01-01T00:00:00Z', '/shop'),
  ].join('---\n'));
  assert.deepEqual(model.routes.map((r) => r.id), [
    'default/deeper/rule-0/match-1', // Exact /shop/exact (longer)
    'default/older/rule-0/match-1', // Exact //exact: oldest route first among equals
    'default/newer/rule-0/match-1',
    'default/deeper/rule-0/match-0', // PathPrefix /shop
    'default/older/rule-0/match-0',
    'default/newer/rule-0/match-0',
  ]);
});
