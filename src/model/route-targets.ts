// Which route-scoped resources apply to a route. RequestAuthentication, AuthorizationPolicy and
// AccessPolicy all scope the same way (Istio `targetRefs`), so one rule serves them all.
import type { Authentication, Route } from './gateway-model.ts';

/** Does a policy with these targets apply to the route? No targets = every route. */
export function targetsRoute(targets: readonly { kind: string; name: string }[], route: Route): boolean {
  if (targets.length === 0) return true;
  return targets.some((target) =>
    target.kind === 'Gateway'
      ? route.parents.length === 0 || route.parents.some((parent) => parent.gateway === target.name)
      : target.name === route.routeName,
  );
}

/**
 * Authentications that apply to a route: untargeted ones, and those naming its Gateway or route.
 * A route without parents is served on every listener, so a Gateway-targeted one covers it too
 * (failing closed: it is served by that gateway).
 */
export function authenticationsFor(route: Route, authentications: readonly Authentication[]): Authentication[] {
  return authentications.filter((authentication) => targetsRoute(authentication.targets, route));
}

