// One `gatehouse check` line per rate limit. A Redis URL is shown without its credentials.
import type { RateLimitKeyPart, RateLimitPolicy } from '../model/rate-limit.ts';

export function describeRateLimit(policy: RateLimitPolicy): string {
  const budgets = policy.budgets
    .map((budget) => `${budget.requests}/${budget.windowSeconds}s${budget.burst > 0 ? ` burst ${budget.burst}` : ''}`)
    .join(' and ');
  const targets = policy.targets.length > 0 ? policy.targets.map((target) => `${target.kind}/${target.name}`).join(',') : 'every route';
  const backend = policy.backend.kind === 'memory' ? 'memory' : `redis ${redisHost(policy.backend.url)} (on failure: ${policy.backend.onFailure})`;
  return `${policy.name}  ${budgets} per ${policy.key.map(describeKeyPart).join('+')}  on ${targets}  ${backend}, refuse with ${policy.rejectStatus}`;
}

function describeKeyPart(part: RateLimitKeyPart): string {
  if (part.kind === 'claim') return `claim ${part.path}`;
  if (part.kind === 'header') return `header ${part.name}`;
  return part.kind;
}

function redisHost(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}
