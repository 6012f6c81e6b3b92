// Compiles the model's rate limits once per generation: each policy gets its key function and
// one counter per budget; each route gets the policies that target it and its precomputed
// `RateLimit-Policy` header. The request path only reads this.
import type { GatewayModel, Route } from '../model/gateway-model.ts';
import type { RateLimitPolicy } from '../model/rate-limit.ts';
import { targetsRoute } from '../model/route-targets.ts';
import { memoryBudgetCounter, sharedBudgetCounter, type BudgetCounter } from './budget-counter.ts';
import { compileKey, type KeyOf } from './rate-limit-key.ts';
import { policyItem, policyItemName } from './rate-limit-headers.ts';
import type { RateLimitStores } from './rate-limit-stores.ts';

export interface CompiledRateLimitPolicy {
  name: string;
  rejectStatus: number;
  keyOf: KeyOf;
  counters: BudgetCounter[];
  /** sf-string names of the budgets, in `counters` order. */
  itemNames: string[];
}

export interface RouteRateLimits {
  policies: CompiledRateLimitPolicy[];
  /** `RateLimit-Policy` field value for this route. */
  policyHeader: string;
}

export function compileRateLimits(model: GatewayModel, stores: RateLimitStores): Map<Route, RouteRateLimits> {
  const byRoute = new Map<Route, RouteRateLimits>();
  if (model.rateLimits.length === 0) return byRoute;
  const compiled = model.rateLimits.map((policy) => ({ policy, compiled: compilePolicy(policy, stores) }));
  for (const route of model.routes) {
    const applying = compiled.filter(({ policy }) => targetsRoute(policy.targets, route));
    if (applying.length === 0) continue;
    const policyHeader = applying
      .flatMap(({ policy, compiled }) => policy.budgets.map((budget, index) => policyItem(compiled.itemNames[index], budget)))
      .join(', ');
    byRoute.set(route, { policies: applying.map((entry) => entry.compiled), policyHeader });
  }
  return byRoute;
}

function compilePolicy(policy: RateLimitPolicy, stores: RateLimitStores): CompiledRateLimitPolicy {
  const { backend, budgets } = policy;
  const counters = budgets.map((budget, index): BudgetCounter => {
    const localId = `${policy.name}#${index}`;
    if (backend.kind === 'memory') return memoryBudgetCounter(stores, localId, budget);
    return sharedBudgetCounter(stores, budget, {
      connection: stores.redis(backend.url),
      keyPrefix: `${backend.keyPrefix}:${index}`,
      fallback: backend.onFailure === 'local' ? memoryBudgetCounter(stores, `fallback:${localId}`, budget) : undefined,
    });
  });
  return {
    name: policy.name,
    rejectStatus: policy.rejectStatus,
    keyOf: compileKey(policy.key, backend.kind === 'redis'),
    counters,
    itemNames: budgets.map((_, index) => policyItemName(policy.name, index, budgets.length)),
  };
}
