// Small builders for GatewayModel pieces, so router tests read as tables of routes and requests.
import { resolveGatewayOptions } from '../../../src/config/formats/gateway-options.ts';
import type { GatewayModel, Listener, Route, RouteFilter, RouteMatch } from '../../../src/model/gateway-model.ts';

const source = { file: 'test.yaml', documentIndex: 0, kind: 'HTTPRoute', name: 'test' };

export function listener(name: string, port: number, hostname?: string, gateway = 'gw'): Listener {
  return { id: `${gateway}/${name}`, gateway, name, address: '127.0.0.1', port, protocol: 'HTTP', hostname, source };
}

export interface RouteSpec {
  id: string;
  hostnames?: string[];
  match?: Partial<RouteMatch>;
  filters?: RouteFilter[];
  backends?: { backend: string; weight: number }[];
  parents?: Route['parents'];
}

export function route(spec: RouteSpec): Route {
  return {
    id: spec.id,
    routeName: spec.id,
    parents: spec.parents ?? [{ gateway: 'gw' }],
    hostnames: spec.hostnames ?? [],
    match: { path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [], ...spec.match },
    filters: spec.filters ?? [],
    backends: spec.backends ?? [{ backend: spec.id, weight: 1 }],
    source,
  };
}

export function model(listeners: Listener[], routes: Route[]): GatewayModel {
  return { listeners, routes, backends: [], providers: [], authentications: [], policies: [], extAuthzProviders: [], rateLimits: [], options: resolveGatewayOptions(undefined), warnings: [] };
}
