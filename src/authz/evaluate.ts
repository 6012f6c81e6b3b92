// Istio's evaluation order (security.istio.io AuthorizationPolicy reference):
//  1. CUSTOM policies that match are asked; a deny from any of them denies.
//  2. Any matching DENY policy denies.
//  3. No ALLOW policy applies → allow.
//  4. A matching ALLOW policy allows; otherwise deny.
// AUDIT policies never change the decision; their matches are reported for the log.
import type { AuthzRequest } from './authz-request.ts';
import type { CompiledPolicy } from './compile-policy.ts';

export interface Decision {
  allowed: boolean;
  /** The policy (and its rule index) that decided; absent for "no ALLOW policy applies". */
  policy?: string;
  rule?: number;
  action?: 'ALLOW' | 'DENY' | 'CUSTOM';
  /** Why, in words an operator can act on (for `--explain` and debug logs). */
  reason: string;
  audited: string[];
  /** Scopes the request would have needed (AccessPolicy): answered as `insufficient_scope`. */
  requiredScopes?: string[];
  /** Headers an ext-authz service asked to add upstream (CUSTOM allow). */
  upstreamHeaders?: Record<string, string>;
}

export interface ExternalAuthorizer {
  check(policy: CompiledPolicy, request: AuthzRequest): Promise<{ allowed: boolean; headers?: Record<string, string>; reason: string }>;
}

export function firstMatchingRule(policy: CompiledPolicy, request: AuthzRequest): number {
  return policy.firstMatch(request);
}

/** Decide without CUSTOM policies (those are handled by the authorizer, which may go async). */
export function evaluateLocal(policies: { deny: CompiledPolicy[]; allow: CompiledPolicy[]; audit: CompiledPolicy[] }, request: AuthzRequest): Decision {
  const audited: string[] = [];
  for (const policy of policies.audit) if (firstMatchingRule(policy, request) !== -1) audited.push(policy.name);
  for (const policy of policies.deny) {
    const rule = firstMatchingRule(policy, request);
    if (rule !== -1) return { allowed: false, policy: policy.name, rule, action: 'DENY', reason: `DENY policy ${policy.name} rule ${rule} matched`, audited };
  }
  if (policies.allow.length === 0) return { allowed: true, reason: 'no ALLOW policy applies', audited };
  for (const policy of policies.allow) {
    const rule = firstMatchingRule(policy, request);
    if (rule !== -1) return { allowed: true, policy: policy.name, rule, action: 'ALLOW', reason: `ALLOW policy ${policy.name} rule ${rule} matched`, audited };
  }
  let requiredScopes: string[] | undefined;
  for (const policy of policies.allow) {
    requiredScopes = policy.missingScopes?.(request);
    if (requiredScopes !== undefined) break;
  }
  return { allowed: false, action: 'ALLOW', reason: `no rule of the ALLOW policies (${policies.allow.map((p) => p.name).join(', ')}) matched`, audited, requiredScopes };
}
