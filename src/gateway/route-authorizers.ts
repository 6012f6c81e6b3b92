// Compiles the generation's authorization: every AuthorizationPolicy / AccessPolicy once, then
// one Authorizer per distinct set of policies that apply to a route (most routes share one).
import { compileAccessPolicy } from '../authz/compile-access-policy.ts';
import { compileAuthorizationPolicy, type CompiledPolicy } from '../authz/compile-policy.ts';
import { compileAuthorizer, policiesForRoute } from '../authz/authorizer.ts';
import { HttpExternalAuthorizer } from '../authz/ext-authz-http.ts';
import type { GatewayModel, Route } from '../model/gateway-model.ts';
import { authenticationsFor } from '../model/route-targets.ts';
import type { RouteAuthorization } from './stages/authorize.ts';

const DEFAULT_REALM = 'gatehouse';

export function compileRouteAuthorizers(model: GatewayModel): Map<Route, RouteAuthorization> {
  const byRoute = new Map<Route, RouteAuthorization>();
  if (model.policies.length === 0) return byRoute;
  const compiled: CompiledPolicy[] = model.policies.map((resource) =>
    resource.kind === 'AccessPolicy' ? compileAccessPolicy(resource) : compileAuthorizationPolicy(resource),
  );
  const external = model.extAuthzProviders.length > 0 ? new HttpExternalAuthorizer(model.extAuthzProviders) : undefined;
  const providersById = new Map(model.providers.map((provider) => [provider.id, provider]));
  const shared = new Map<string, RouteAuthorization | undefined>();
  for (const route of model.routes) {
    const policies = policiesForRoute(compiled, route);
    const provider = authenticationsFor(route, model.authentications)
      .flatMap((authentication) => authentication.providerIds)
      .map((id) => providersById.get(id))
      .find((p) => p !== undefined);
    const key = `${policies.map((p) => compiled.indexOf(p)).join(',')}|${provider?.id ?? ''}`;
    if (!shared.has(key)) {
      const authorizer = compileAuthorizer(policies, external);
      shared.set(key, authorizer && { authorizer, realm: provider?.realm ?? DEFAULT_REALM, loginUrl: provider?.loginUrl, acceptsTokens: provider !== undefined });
    }
    const entry = shared.get(key);
    if (entry !== undefined) byRoute.set(route, entry);
  }
  return byRoute;
}
