// Gateway API match precedence (HTTPRouteRule, gateway.networking.k8s.io/v1): across all rules,
// precedence goes to the match with, continuing on ties,
//   1. an Exact path match; 2. the PathPrefix with the most characters; 3. a method match;
//   4. the most header matches; 5. the most query param matches;
// then, across routes, 6. the oldest route (creationTimestamp); 7. "{namespace}/{name}" in
// alphabetical order; within one route, 8. the first rule / match in list order.
// RegularExpression precedence is implementation-specific; like Istio we rank it after
// PathPrefix, longer patterns first. Hostname precedence (the most specific matching hostname)
// depends on the request's Host and is applied by the router before this order.
import type { PathMatch, Route } from '../model/gateway-model.ts';

const PATH_RANK: Record<PathMatch['type'], number> = { Exact: 0, PathPrefix: 1, RegularExpression: 2 };

/** `createdAt(route)`: the route resource's creationTimestamp in ms, undefined when absent. */
export function sortRoutes(routes: Route[], createdAt: (route: Route) => number | undefined = () => undefined): Route[] {
  const inputOrder = new Map(routes.map((route, index) => [route, index]));
  const created = (route: Route) => createdAt(route) ?? Number.POSITIVE_INFINITY;
  const qualifiedName = (route: Route) => `${route.source.namespace ?? 'default'}/${route.routeName}`;
  return [...routes].sort((a, b) =>
    PATH_RANK[a.match.path.type] - PATH_RANK[b.match.path.type] ||
    b.match.path.value.length - a.match.path.value.length ||
    Number(b.match.method !== undefined) - Number(a.match.method !== undefined) ||
    b.match.headers.length - a.match.headers.length ||
    b.match.queryParams.length - a.match.queryParams.length ||
    compareNumbers(created(a), created(b)) ||
    compareStrings(qualifiedName(a), qualifiedName(b)) ||
    (inputOrder.get(a) ?? 0) - (inputOrder.get(b) ?? 0));
}

function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function compareStrings(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
