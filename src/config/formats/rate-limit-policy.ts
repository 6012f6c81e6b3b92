// gatehouse.dev RateLimitPolicy documents → model rate limits. Redis settings are checked here
// so `gatehouse check` names the field; connecting is the runtime's job.
import type { RateLimitBudget, RateLimitKeyPart, RateLimitPolicy } from '../../model/rate-limit.ts';
import { parseDurationMs } from '../duration.ts';
import type { Resources } from '../parse-resources.ts';
import type { Problems } from '../problems.ts';
import { resolveTargetRefs } from '../resolve.ts';
import type { RateLimitPolicyResource } from '../schemas/rate-limit-policy.ts';

/** RFC 6585 §4: 429 Too Many Requests. */
export const RATE_LIMIT_STATUS = 429;

const NAMED_WINDOWS: Record<string, number> = { second: 1, minute: 60, hour: 3600 };

type Spec = RateLimitPolicyResource['spec'];

export function translateRateLimitPolicies(resources: Resources, problems: Problems): RateLimitPolicy[] {
  const policies: RateLimitPolicy[] = [];
  for (const { source, resource } of resources['gatehouse.dev/RateLimitPolicy']) {
    const spec = resource.spec;
    const name = resource.metadata.name;
    const targets = resolveTargetRefs(resources, problems, { source, path: 'spec.targetRefs' }, spec.targetRefs ?? []);
    const budgets: RateLimitBudget[] = [];
    spec.limits.forEach((limit, index) => {
      const windowSeconds = NAMED_WINDOWS[limit.per] ?? parseDurationMs(limit.per) / 1000;
      // Counters expire in whole seconds (rate-limiter-flexible `duration`).
      if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
        problems.at(source, `spec.limits[${index}].per`, 'must be second, minute, hour or a whole number of seconds ("10s", "2m")');
        return;
      }
      budgets.push({ requests: limit.requests, windowSeconds, burst: limit.burst ?? 0 });
    });
    const backend = translateBackend(spec, name, (path, message) => problems.at(source, path, message));
    if (backend === undefined || budgets.length !== spec.limits.length) continue;
    policies.push({ name, targets, budgets, key: keyParts(spec.key), backend, rejectStatus: RATE_LIMIT_STATUS, source });
  }
  return policies;
}

function translateBackend(spec: Spec, name: string, report: (path: string, message: string) => void): RateLimitPolicy['backend'] | undefined {
  const backend = spec.backend ?? (spec.redis === undefined ? 'memory' : 'redis');
  if (backend === 'memory') {
    if (spec.redis !== undefined) report('spec.redis', 'is only used with backend: redis');
    return { kind: 'memory' };
  }
  if (spec.redis === undefined) {
    report('spec.redis', 'backend: redis needs redis.url (e.g. redis://127.0.0.1:6379)');
    return undefined;
  }
  return {
    kind: 'redis',
    url: spec.redis.url,
    keyPrefix: spec.redis.keyPrefix ?? `gatehouse:ratelimit:${name}`,
    onFailure: spec.onRedisFailure ?? 'local',
  };
}

function keyParts(key: Spec['key']): RateLimitKeyPart[] {
  if (key === undefined) return [{ kind: 'clientIp' }];
  return (Array.isArray(key) ? key : [key]).map((part): RateLimitKeyPart => {
    if (part === 'clientIp' || part === 'apiToken') return { kind: part };
    // HTTP field names are case-insensitive (RFC 9110 §5.1); Node lower-cases them.
    return 'claim' in part ? { kind: 'claim', path: part.claim } : { kind: 'header', name: part.header.toLowerCase() };
  });
}
