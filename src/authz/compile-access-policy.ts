// AccessPolicy → CompiledPolicy (action ALLOW). The first rule whose paths/methods match
// decides; a request no rule covers is denied, as with any Istio ALLOW policy. When a rule
// matched the request but its scopes were missing, the denial says which scopes were needed,
// so the gateway can answer RFC 6750 §3.1 `insufficient_scope`.
import type { PolicyResource } from '../model/gateway-model.ts';
import type { AuthzRequest } from './authz-request.ts';
import { accessPolicySpec, type AccessRule } from './access-policy-schema.ts';
import { claimValues } from './condition-keys.ts';
import { PolicyCompileError, type CompiledPolicy } from './compile-policy.ts';
import type { RequestPredicate } from './compile-rule.ts';
import { compilePathAnyOf } from './path-match.ts';

export function compileAccessPolicy(resource: PolicyResource): CompiledPolicy {
  const parsed = accessPolicySpec.safeParse(resource.spec ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PolicyCompileError(['spec', ...issue.path.map(String)].join('.'), issue.message);
  }
  const spec = parsed.data;
  const rolesPath = spec.rolesClaim.split('.');
  const compiled = spec.rules.map((rule, index) => {
    try {
      return compileAccessRule(rule, rolesPath);
    } catch (error) {
      throw new PolicyCompileError(`spec.rules[${index}]`, (error as Error).message);
    }
  });
  const rules: RequestPredicate[] = compiled.map((rule) => (request) => rule.covers(request) && rule.satisfied(request));
  // The first rule that covers the request decides, whether its requirements hold or not.
  const firstMatch = (request: AuthzRequest): number => {
    const index = compiled.findIndex((rule) => rule.covers(request));
    return index !== -1 && compiled[index].satisfied(request) ? index : -1;
  };
  const name = resource.source.namespace ? `${resource.source.namespace}/${resource.name}` : resource.name;
  return {
    name,
    action: 'ALLOW',
    rules,
    firstMatch,
    targets: (spec.targetRefs ?? []).map((t) => ({ kind: t.kind, name: t.name })),
    resource,
    missingScopes(request) {
      const rule = compiled.find((r) => r.covers(request));
      if (rule === undefined || request.identity === undefined) return undefined;
      const granted = grantedScopes(request);
      const missing = rule.scopes.filter((s) => !granted.includes(s));
      return missing.length > 0 ? rule.scopes : undefined;
    },
  };
}

interface CompiledAccessRule {
  covers: RequestPredicate;
  satisfied: RequestPredicate;
  scopes: string[];
}

function compileAccessRule(rule: AccessRule, rolesPath: string[]): CompiledAccessRule {
  const pathMatch = rule.paths ? compilePathAnyOf(rule.paths) : undefined;
  const methods = rule.methods?.map((m) => m.toUpperCase());
  const covers: RequestPredicate = (r) => (pathMatch === undefined || pathMatch(r.path)) && (methods === undefined || methods.includes(r.method));
  if (rule.public) {
    if (rule.require) throw new Error('a rule is either public or has requirements, not both');
    return { covers, satisfied: () => true, scopes: [] };
  }
  const scopes = rule.require?.scopes ?? [];
  const roles = rule.require?.roles;
  const claims = Object.entries(rule.require?.claims ?? {}).map(([path, values]) => ({
    path: path.split('.'),
    values: typeof values === 'string' ? [values] : values,
  }));
  const satisfied: RequestPredicate = (r) => {
    if (r.identity === undefined) return false;
    if (scopes.length > 0) {
      const granted = grantedScopes(r);
      if (!scopes.every((s) => granted.includes(s))) return false;
    }
    if (roles !== undefined && !claimValues(r.identity.claims, rolesPath).some((role) => roles.includes(role))) return false;
    for (const claim of claims) {
      if (!claimValues(r.identity.claims, claim.path).some((v) => claim.values.includes(v))) return false;
    }
    return true;
  };
  return { covers, satisfied, scopes };
}

/** OAuth scopes of the token: `scope` is space-separated (RFC 8693 §4.2), `scp` a list (Azure AD, Okta). */
export function grantedScopes(request: AuthzRequest): readonly string[] {
  const claims = request.identity?.claims;
  if (claims === undefined) return [];
  const scope = claims.scope;
  const scp = claims.scp;
  const fromScope = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
  const fromScp = Array.isArray(scp) ? scp.map(String) : typeof scp === 'string' ? scp.split(' ').filter(Boolean) : [];
  return fromScp.length === 0 ? fromScope : [...fromScope, ...fromScp];
}
