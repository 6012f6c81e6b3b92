import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authenticationsFor } from '../../src/model/route-targets.ts';
import type { Authentication, Route, SourceRef, TargetRef } from '../../src/model/gateway-model.ts';

const source: SourceRef = { file: 'x.yaml', documentIndex: 0, kind: 'Test', name: 't' };
const route = (routeName: string, gateway?: string): Route => ({
  id: `default/${routeName}/rule-0/match-0`,
  routeName,
  parents: gateway === undefined ? [] : [{ gateway }],
  hostnames: [],
  match: { path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [] },
  filters: [],
  backends: [{ backend: 'b', weight: 1 }],
  source,
});
const authentication = (name: string, targets: TargetRef[]): Authentication => ({
  name,
  providerIds: [`p-${name}`],
  targets,
  requireToken: false,
  source,
});

const everywhere = authentication('everywhere', []);
const edgeGateway = authentication('edge-gateway', [{ kind: 'Gateway', name: 'edge' }]);
const coffeeRoute = authentication('coffee-route', [{ kind: 'HTTPRoute', name: 'coffee' }]);
const teaServer = authentication('tea-server', [{ kind: 'VirtualServer', name: 'tea' }]);
const all = [everywhere, edgeGateway, coffeeRoute, teaServer];

// Which RequestAuthentications apply to a route (Istio targetRefs; none = every route).
const cases: [route: Route, applying: string[]][] = [
  [route('coffee', 'edge'), ['everywhere', 'edge-gateway', 'coffee-route']],
  [route('coffee', 'internal'), ['everywhere', 'coffee-route']],
  [route('tea', 'internal'), ['everywhere', 'tea-server']],
  [route('juice', 'internal'), ['everywhere']],
  // No parents (an NGINX VirtualServer route): served on every gateway, so covered by each.
  [route('tea'), ['everywhere', 'edge-gateway', 'tea-server']],
];
for (const [r, applying] of cases) {
  test(`route ${r.routeName} on gateway ${r.parents[0]?.gateway ?? '(every)'} ← ${applying.join(', ')}`, () => {
    assert.deepEqual(authenticationsFor(r, all).map((a) => a.name), applying);
  });
}
