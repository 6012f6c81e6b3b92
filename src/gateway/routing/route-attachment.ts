// Which listener ports a route serves and for which hostnames. Gateway API: a route attaches to
// the listeners its parentRefs name (by gateway, optional sectionName and port) and, when both
// the listener and the route set hostnames, only for their intersection (HTTPRoute.hostnames).
import type { Listener, Route } from '../../model/gateway-model.ts';

/** Host key for "any host" in the returned sets. */
export const ANY_HOST = '';

/** `*.example.com` matches one or more labels in front of `.example.com`, never the apex. */
export function wildcardCovers(wildcard: string, host: string): boolean {
  const suffix = wildcard.slice(1); // ".example.com"
  return host.length > suffix.length && host.endsWith(suffix);
}

/** The hostname both sides accept, the more specific of the two, or undefined if disjoint. */
function intersectHostname(listenerHost: string, routeHost: string): string | undefined {
  if (listenerHost === routeHost) return routeHost;
  const listenerWild = listenerHost.startsWith('*.');
  const routeWild = routeHost.startsWith('*.');
  if (listenerWild && wildcardCovers(listenerHost, routeWild ? routeHost.slice(2) : routeHost)) return routeHost;
  if (routeWild && wildcardCovers(routeHost, listenerWild ? listenerHost.slice(2) : listenerHost)) return listenerHost;
  return undefined;
}

function hostnamesOnListener(listener: Listener, routeHosts: readonly string[]): string[] {
  const listenerHost = listener.hostname?.toLowerCase();
  if (listenerHost === undefined) return routeHosts.length === 0 ? [ANY_HOST] : [...routeHosts];
  if (routeHosts.length === 0) return [listenerHost];
  const result: string[] = [];
  for (const host of routeHosts) {
    const shared = intersectHostname(listenerHost, host);
    if (shared !== undefined) result.push(shared);
  }
  return result;
}

function listenerIsParent(listener: Listener, route: Route): boolean {
  // A route that names no parent (possible in translated NGINX VirtualServers) serves every listener.
  if (route.parents.length === 0) return true;
  return route.parents.some(
    (p) =>
      p.gateway === listener.gateway &&
      (p.sectionName === undefined || p.sectionName === listener.name) &&
      (p.port === undefined || p.port === listener.port),
  );
}

/** Listener port → host keys (exact, `*.suffix`, or ANY_HOST) this route answers for. */
export function routeAttachment(route: Route, listeners: readonly Listener[]): Map<number, Set<string>> {
  const routeHosts = route.hostnames.map((h) => h.toLowerCase());
  const byPort = new Map<number, Set<string>>();
  for (const listener of listeners) {
    if (!listenerIsParent(listener, route)) continue;
    const hosts = hostnamesOnListener(listener, routeHosts);
    if (hosts.length === 0) continue;
    let set = byPort.get(listener.port);
    if (set === undefined) byPort.set(listener.port, (set = new Set()));
    for (const host of hosts) set.add(host);
  }
  return byPort;
}
