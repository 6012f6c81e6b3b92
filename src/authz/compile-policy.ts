// An AuthorizationPolicy document → a CompiledPolicy. Validation is strict (policy-schema.ts);
// a value that cannot compile (bad CIDR, bad path template, unknown condition key) is an error
// naming the rule and field, raised at config load — never at request time.
import type { PolicyResource } from '../model/gateway-model.ts';
import { authorizationPolicySpec, type AuthorizationPolicySpec } from './policy-schema.ts';
import { compileRule, type RequestPredicate } from './compile-rule.ts';
import type { AuthzRequest } from './authz-request.ts';
import { buildRuleIndex } from './rule-index.ts';

export type PolicyAction = AuthorizationPolicySpec['action'];

export interface CompiledPolicy {
  /** `namespace/name` or `name`, as it appears in logs, metrics and explanations. */
  name: string;
  action: PolicyAction;
  provider?: string;
  /** One predicate per rule; a policy matches when any rule matches. No rules: never matches. */
  rules: RequestPredicate[];
  /** Index of the first rule that matches the request, or -1 (uses the rule index: rule-index.ts). */
  firstMatch(request: AuthzRequest): number;
  targets: { kind: string; name: string }[];
  resource: PolicyResource;
  /** AccessPolicy only: the scopes the covering rule needed, when the token lacked some. */
  missingScopes?(request: AuthzRequest): string[] | undefined;
}

export class PolicyCompileError extends Error {
  readonly code = 'ERR_POLICY_INVALID';
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

export function parseAuthorizationPolicySpec(spec: unknown): AuthorizationPolicySpec {
  const parsed = authorizationPolicySpec.safeParse(spec ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PolicyCompileError(['spec', ...issue.path.map(String)].join('.'), issue.message);
  }
  return parsed.data;
}

export function compileAuthorizationPolicy(resource: PolicyResource): CompiledPolicy {
  const spec = parseAuthorizationPolicySpec(resource.spec);
  const rules = (spec.rules ?? []).map((rule, index) => {
    try {
      return compileRule(rule);
    } catch (error) {
      throw new PolicyCompileError(`spec.rules[${index}]`, (error as Error).message);
    }
  });
  const targets = [...(spec.targetRef ? [spec.targetRef] : []), ...(spec.targetRefs ?? [])].map((t) => ({ kind: t.kind, name: t.name }));
  const name = resource.source.namespace ? `${resource.source.namespace}/${resource.name}` : resource.name;
  const candidatesFor = buildRuleIndex(spec.rules ?? []);
  const firstMatch = (request: AuthzRequest): number => {
    for (const index of candidatesFor(request.path)) if (rules[index](request)) return index;
    return -1;
  };
  return { name, action: spec.action, provider: spec.provider?.name, rules, firstMatch, targets, resource };
}
