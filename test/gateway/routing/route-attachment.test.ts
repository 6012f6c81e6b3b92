import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANY_HOST, routeAttachment } from '../../../src/gateway/routing/route-attachment.ts';
import { listener, route } from './model-fixtures.ts';

// Gateway API HTTPRoute.hostnames: listener and route hostnames intersect; the more specific wins.
const cases: [string, string | undefined, string[], string[]][] = [
  ['no hostnames anywhere: any host', undefined, [], [ANY_HOST]],
  ['route hostnames only', undefined, ['a.example.com', '*.b.com'], ['a.example.com', '*.b.com']],
  ['listener hostname only', 'api.example.com', [], ['api.example.com']],
  ['equal exact', 'api.example.com', ['api.example.com'], ['api.example.com']],
  ['disjoint exact', 'api.example.com', ['web.example.com'], []],
  ['listener wildcard covers route exact', '*.example.com', ['api.example.com', 'api.other.com'], ['api.example.com']],
  ['route wildcard covers listener exact', 'api.example.com', ['*.example.com'], ['api.example.com']],
  ['nested wildcards keep the narrower', '*.example.com', ['*.eu.example.com'], ['*.eu.example.com']],
  ['nested wildcards, other way round', '*.eu.example.com', ['*.example.com'], ['*.eu.example.com']],
  ['wildcard never covers the apex', '*.example.com', ['example.com'], []],
];

for (const [name, listenerHost, routeHosts, expected] of cases) {
  test(`routeAttachment: ${name}`, () => {
    const attachment = routeAttachment(route({ id: 'r', hostnames: routeHosts }), [listener('http', 80, listenerHost)]);
    assert.deepEqual([...(attachment.get(80) ?? [])], expected);
  });
}

test('routeAttachment: parentRef port and sectionName select listeners', () => {
  const listeners = [listener('a', 80), listener('b', 81), listener('c', 82, undefined, 'other')];
  assert.deepEqual([...routeAttachment(route({ id: 'r', parents: [{ gateway: 'gw', port: 81 }] }), listeners).keys()], [81]);
  assert.deepEqual([...routeAttachment(route({ id: 'r', parents: [{ gateway: 'gw', sectionName: 'a' }] }), listeners).keys()], [80]);
  assert.deepEqual([...routeAttachment(route({ id: 'r', parents: [] }), listeners).keys()], [80, 81, 82]);
});
