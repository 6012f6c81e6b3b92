import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileRouter, type RouteRequest } from '../../../src/gateway/routing/compile-router.ts';
import { RouteCompileError } from '../../../src/gateway/routing/compile-regex.ts';
import { listener, model, route } from './model-fixtures.ts';

// Routes in Gateway API precedence order, as the config stage hands them over.
const routes = [
  route({ id: 'exact-users', hostnames: ['api.example.com'], match: { path: { type: 'Exact', value: '/v1/users' } } }),
  route({ id: 'api-v1', hostnames: ['api.example.com'], match: { path: { type: 'PathPrefix', value: '/v1/' } } }),
  route({ id: 'wild-eu', hostnames: ['*.eu.example.com'], parents: [{ gateway: 'gw', sectionName: 'http' }] }),
  route({ id: 'wild', hostnames: ['*.EXAMPLE.com'], parents: [{ gateway: 'gw', sectionName: 'http' }] }),
  route({ id: 'orders-post', match: { path: { type: 'PathPrefix', value: '/orders' }, method: 'POST' } }),
  route({ id: 'orders-tenant', match: { path: { type: 'PathPrefix', value: '/orders' }, headers: [{ type: 'Exact', name: 'X-Tenant', value: 'acme' }] } }),
  route({ id: 'orders-version', match: { path: { type: 'PathPrefix', value: '/orders' }, headers: [{ type: 'RegularExpression', name: 'x-version', value: 'v[0-9]+' }] } }),
  route({ id: 'orders-debug', match: { path: { type: 'PathPrefix', value: '/orders' }, queryParams: [{ type: 'Exact', name: 'debug', value: '1' }] } }),
  route({ id: 'search', match: { path: { type: 'PathPrefix', value: '/search' }, queryParams: [{ type: 'RegularExpression', name: 'q', value: '[a-z]+' }] } }),
  route({ id: 'items', match: { path: { type: 'RegularExpression', value: '/items/[0-9]+' } } }),
  route({ id: 'foo', match: { path: { type: 'PathPrefix', value: '/foo' } } }),
  route({ id: 'admin', parents: [{ gateway: 'gw', sectionName: 'admin' }] }),
  route({ id: 'other-gateway', parents: [{ gateway: 'other' }] }),
];
const router = compileRouter(model([listener('http', 8080), listener('admin', 9090, 'admin.example.com')], routes));

function request(host: string, pathAndQuery: string, extra: Partial<RouteRequest> = {}): RouteRequest {
  const [path, query = ''] = pathAndQuery.split('?');
  return { listenerPort: 8080, host, method: 'GET', path, query, headers: {}, ...extra };
}

describe('compileRouter', () => {
  const cases: [string, RouteRequest, string | undefined][] = [
    ['exact path on an exact host', request('api.example.com', '/v1/users'), 'exact-users'],
    ['prefix under an exact host', request('api.example.com', '/v1/users/7'), 'api-v1'],
    ['prefix trailing slash ignored', request('api.example.com', '/v1'), 'api-v1'],
    ['exact host misses fall through to the wildcard', request('api.example.com', '/v10'), 'wild'],
    ['longer wildcard beats shorter', request('a.eu.example.com', '/'), 'wild-eu'],
    ['wildcard matches several labels', request('x.y.example.com', '/'), 'wild'],
    ['wildcard never matches the apex', request('example.com', '/foo'), 'foo'],
    ['prefix matches itself', request('other.org', '/foo'), 'foo'],
    ['prefix matches with trailing slash', request('other.org', '/foo/'), 'foo'],
    ['prefix matches deeper paths', request('other.org', '/foo/bar'), 'foo'],
    ['prefix respects element boundaries', request('other.org', '/foobar'), undefined],
    ['method match', request('other.org', '/orders', { method: 'POST' }), 'orders-post'],
    ['header exact (names case-insensitive)', request('other.org', '/orders', { headers: { 'x-tenant': 'acme' } }), 'orders-tenant'],
    ['header exact value is case-sensitive', request('other.org', '/orders', { headers: { 'x-tenant': 'ACME' } }), undefined],
    ['header regex', request('other.org', '/orders/1', { headers: { 'x-version': 'v2' } }), 'orders-version'],
    ['header regex must match the whole value', request('other.org', '/orders', { headers: { 'x-version': 'v2beta' } }), undefined],
    ['query exact', request('other.org', '/orders?debug=1'), 'orders-debug'],
    ['query exact uses the first value', request('other.org', '/orders?debug=1&debug=0'), 'orders-debug'],
    ['query exact mismatch', request('other.org', '/orders?debug=10'), undefined],
    ['query regex', request('other.org', '/search?q=abc'), 'search'],
    ['query regex mismatch', request('other.org', '/search?q=ABC'), undefined],
    ['path regex', request('other.org', '/items/42'), 'items'],
    ['path regex is a full match', request('other.org', '/items/42/x'), undefined],
    ['listener section and its hostname', request('admin.example.com', '/', { listenerPort: 9090 }), 'admin'],
    ['listener hostname limits the route', request('api.example.com', '/', { listenerPort: 9090 }), undefined],
    ['no listener on the port', request('api.example.com', '/', { listenerPort: 7000 }), undefined],
  ];
  for (const [name, req, expected] of cases) {
    test(name, () => assert.equal(router.match(req)?.route.id, expected));
  }

  test('size counts routes attached to a listener', () => assert.equal(router.size, routes.length - 1));

  test('earlier routes in the same bucket win', () => {
    const r = compileRouter(model([listener('http', 80)], [route({ id: 'first', match: { path: { type: 'PathPrefix', value: '/a' } } }), route({ id: 'second' })]));
    assert.equal(r.match({ ...request('h', '/a/b'), listenerPort: 80 })?.route.id, 'first');
    assert.equal(r.match({ ...request('h', '/b'), listenerPort: 80 })?.route.id, 'second');
  });

  test('10,000 exact hosts each find their own route', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => route({ id: `r${i}`, hostnames: [`svc${i}.example.com`] }));
    const big = compileRouter(model([listener('http', 8080)], many));
    assert.equal(big.size, 10_000);
    for (const i of [0, 4_999, 9_999]) assert.equal(big.match(request(`svc${i}.example.com`, '/x'))?.route.id, `r${i}`);
    assert.equal(big.match(request('svc10000.example.com', '/x')), undefined);
  });

  test('indexed (exact, prefix) and unindexed (regex, "/") routes keep their precedence', () => {
    const mixed = compileRouter(
      model([listener('http', 80)], [
        route({ id: 'regex', match: { path: { type: 'RegularExpression', value: '/a/x.*' } } }),
        route({ id: 'prefix-a', match: { path: { type: 'PathPrefix', value: '/a' } } }),
        route({ id: 'catch-all' }),
        route({ id: 'exact-after-catch-all', match: { path: { type: 'Exact', value: '/b' } } }),
      ]),
    );
    const at = (path: string) => mixed.match({ ...request('h', path), listenerPort: 80 })?.route.id;
    assert.equal(at('/a/xyz'), 'regex');
    assert.equal(at('/a/y'), 'prefix-a');
    assert.equal(at('/a'), 'prefix-a');
    assert.equal(at('/b'), 'catch-all');
    assert.equal(at('/'), 'catch-all');
  });

  test('10,000 path prefixes on one host each find their own route', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => route({ id: `p${i}`, match: { path: { type: 'PathPrefix', value: `/svc${i}/api` } } }));
    const big = compileRouter(model([listener('http', 8080)], [...many, route({ id: 'fallback' })]));
    for (const i of [0, 5_000, 9_999]) assert.equal(big.match(request('any.host', `/svc${i}/api/items`))?.route.id, `p${i}`);
    assert.equal(big.match(request('any.host', '/svc1/other'))?.route.id, 'fallback');
  });

  test('an invalid regular expression names the route', () => {
    const bad = [route({ id: 'ns/bad/rule-0/match-0', match: { path: { type: 'RegularExpression', value: '/(' } } })];
    assert.throws(() => compileRouter(model([listener('http', 80)], bad)), (error: unknown) => {
      assert.ok(error instanceof RouteCompileError);
      assert.equal(error.code, 'route_regex_invalid');
      assert.match(error.message, /ns\/bad\/rule-0\/match-0/);
      return true;
    });
  });

  test('filters are precompiled', () => {
    const compiled = compileRouter(
      model([listener('http', 80)], [
        route({
          id: 'filtered',
          filters: [
            { type: 'RequestHeaderModifier', modifier: { set: [{ name: 'X-A', value: '1' }], add: [], remove: ['X-B'] } },
            { type: 'ResponseHeaderModifier', modifier: { set: [], add: [{ name: 'X-C', value: '2' }], remove: [] } },
            { type: 'URLRewrite', hostname: 'internal' },
          ],
          backends: [{ backend: 'a', weight: 0 }],
        }),
      ]),
    ).match({ ...request('h', '/'), listenerPort: 80 });
    assert.deepEqual(compiled?.requestHeaderOps, { set: [{ name: 'x-a', value: '1' }], add: [], remove: ['x-b'] });
    assert.deepEqual(compiled?.responseHeaderOps, { set: [], add: [{ name: 'x-c', value: '2' }], remove: [] });
    assert.equal(compiled?.rewrite?.hostname, 'internal');
    assert.equal(compiled?.pickBackend, undefined, 'weight 0 everywhere leaves nothing to pick');
  });
});
