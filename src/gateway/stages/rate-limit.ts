// Rate-limit stage (after authenticate and authorize, so keys may use verified claims): every
// budget of every policy on the route is counted; one refusal answers 429 (or the NGINX
// rejectCode) with Retry-After (RFC 9110 §10.2.3) and the RateLimit fields; an allowed request
// carries the same fields with its remaining budget on the response.
import type { Route } from '../../model/gateway-model.ts';
import type { BudgetOutcome } from '../../ratelimit/budget-counter.ts';
import type { RouteRateLimits } from '../../ratelimit/compile-rate-limits.ts';
import { resetSeconds, stateItem } from '../../ratelimit/rate-limit-headers.ts';
import type { RateLimitObserver } from '../../ratelimit/redis-connection.ts';
import type { RequestContext, Rejection, Stage } from '../context.ts';
import { routeOf } from './route.ts';

export function createRateLimitStage(byRoute: ReadonlyMap<Route, RouteRateLimits>, observer: RateLimitObserver): Stage {
  return {
    name: 'rate-limit',
    run(ctx: RequestContext): undefined | Promise<Rejection | undefined> {
      const entry = byRoute.get(routeOf(ctx)!.route);
      if (entry === undefined) return undefined;
      const pending: Promise<BudgetOutcome>[] = [];
      const items: string[] = [];
      const owners: number[] = [];
      for (let p = 0; p < entry.policies.length; p++) {
        const policy = entry.policies[p];
        const key = policy.keyOf(ctx);
        if (key === undefined) continue;
        for (let i = 0; i < policy.counters.length; i++) {
          pending.push(policy.counters[i].consume(key));
          items.push(policy.itemNames[i]);
          owners.push(p);
        }
      }
      if (pending.length === 0) {
        ctx.res.setHeader('ratelimit-policy', entry.policyHeader);
        return undefined;
      }
      return Promise.all(pending).then((outcomes) => decide(ctx, entry, outcomes, items, owners, observer));
    },
  };
}

function decide(
  ctx: RequestContext, entry: RouteRateLimits, outcomes: BudgetOutcome[], items: string[], owners: number[], observer: RateLimitObserver,
): Rejection | undefined {
  const state = outcomes.map((outcome, index) => stateItem(items[index], outcome)).join(', ');
  let refused = -1;
  let retryAfter = 0;
  for (let i = 0; i < outcomes.length; i++) {
    if (outcomes[i].allowed) continue;
    if (refused === -1) refused = i;
    retryAfter = Math.max(retryAfter, resetSeconds(outcomes[i]));
  }
  if (refused === -1) {
    ctx.res.setHeader('ratelimit-policy', entry.policyHeader);
    ctx.res.setHeader('ratelimit', state);
    return undefined;
  }
  const policy = entry.policies[owners[refused]];
  observer.rateLimited(policy.name);
  return {
    code: 'rate_limited',
    status: policy.rejectStatus,
    headers: { 'retry-after': String(retryAfter), 'ratelimit-policy': entry.policyHeader, ratelimit: state },
  };
}
