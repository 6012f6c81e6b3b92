// The per-route authorization engine: the policies that apply to one route, pre-sorted by
// action, evaluated in Istio's order. Synchronous unless a CUSTOM policy matches.
import type { Route } from '../model/gateway-model.ts';
import { targetsRoute } from '../model/route-targets.ts';
import type { AuthzRequest } from './authz-request.ts';
import type { CompiledPolicy } from './compile-policy.ts';
import { evaluateLocal, firstMatchingRule, type Decision, type ExternalAuthorizer } from './evaluate.ts';

export interface Authorizer {
  readonly policyNames: readonly string[];
  authorize(request: AuthzRequest): Decision | Promise<Decision>;
}

/** Policies scope like RequestAuthentication: no targets = every route (src/model/route-targets.ts). */
export function policiesForRoute(policies: readonly CompiledPolicy[], route: Route): CompiledPolicy[] {
  return policies.filter((policy) => targetsRoute(policy.targets, route));
}

export function compileAuthorizer(policies: readonly CompiledPolicy[], external?: ExternalAuthorizer): Authorizer | undefined {
  if (policies.length === 0) return undefined;
  const byAction = {
    custom: policies.filter((p) => p.action === 'CUSTOM'),
    deny: policies.filter((p) => p.action === 'DENY'),
    allow: policies.filter((p) => p.action === 'ALLOW'),
    audit: policies.filter((p) => p.action === 'AUDIT'),
  };
  const policyNames = policies.map((p) => p.name);
  if (byAction.custom.length === 0) {
    return { policyNames, authorize: (request) => evaluateLocal(byAction, request) };
  }
  if (!external) throw new Error(`CUSTOM policy ${byAction.custom[0].name} needs an external authorization provider`);
  return {
    policyNames,
    authorize(request) {
      const matching = byAction.custom.filter((p) => firstMatchingRule(p, request) !== -1);
      if (matching.length === 0) return evaluateLocal(byAction, request);
      return checkExternally(matching, external, request).then((denied) => {
        if (denied.decision) return denied.decision;
        const local = evaluateLocal(byAction, request);
        if (local.allowed && Object.keys(denied.headers).length > 0) local.upstreamHeaders = denied.headers;
        return local;
      });
    },
  };
}

async function checkExternally(
  policies: CompiledPolicy[],
  external: ExternalAuthorizer,
  request: AuthzRequest,
): Promise<{ decision?: Decision; headers: Record<string, string> }> {
  const headers: Record<string, string> = {};
  for (const policy of policies) {
    const answer = await external.check(policy, request);
    if (!answer.allowed) {
      return { decision: { allowed: false, policy: policy.name, action: 'CUSTOM', reason: answer.reason, audited: [] }, headers };
    }
    Object.assign(headers, answer.headers);
  }
  return { headers };
}
