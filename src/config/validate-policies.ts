// Policies are compiled once at load time, exactly as the gateway will compile them, so a rule
// that cannot work (bad CIDR, bad path template, unknown condition key, a CUSTOM provider that
// does not exist) is a config error naming file, document and field — never a request-time surprise.
import { compileAccessPolicy } from '../authz/compile-access-policy.ts';
import { compileAuthorizationPolicy, PolicyCompileError } from '../authz/compile-policy.ts';
import type { GatewayModel } from '../model/gateway-model.ts';
import type { Problems } from './problems.ts';

export function validatePolicies(model: GatewayModel, problems: Problems): void {
  const providers = new Set(model.extAuthzProviders.map((p) => p.name));
  for (const resource of model.policies) {
    try {
      const compiled = resource.kind === 'AccessPolicy' ? compileAccessPolicy(resource) : compileAuthorizationPolicy(resource);
      if (compiled.action === 'CUSTOM' && !providers.has(compiled.provider ?? '')) {
        const known = providers.size > 0 ? `; known: ${[...providers].join(', ')}` : '; declare one with kind ExtAuthzProvider';
        problems.at(resource.source, 'spec.provider.name', `no ExtAuthzProvider named "${compiled.provider}"${known}`);
      }
    } catch (error) {
      if (error instanceof PolicyCompileError) problems.at(resource.source, error.path, error.message);
      else throw error;
    }
  }
}
