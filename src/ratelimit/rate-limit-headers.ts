// draft-ietf-httpapi-ratelimit-headers-10: `RateLimit-Policy` lists the quota policies as a
// Structured Fields List (RFC 9651) of `"name";q=<quota>;w=<window seconds>`; `RateLimit`
// gives the current state as `"name";r=<remaining>;t=<seconds until reset>`.
import type { RateLimitBudget } from '../model/rate-limit.ts';
import type { BudgetOutcome } from './budget-counter.ts';

/** An sf-string item name for budget `index` of a policy (RFC 9651 §3.3.3 escapes). */
export function policyItemName(policy: string, index: number, count: number): string {
  const name = count === 1 ? policy : `${policy}-${index}`;
  return `"${name.replace(/[\\"]/g, '\\$&')}"`;
}

export function policyItem(name: string, budget: RateLimitBudget): string {
  return `${name};q=${budget.requests};w=${budget.windowSeconds}`;
}

export function stateItem(name: string, outcome: BudgetOutcome): string {
  return `${name};r=${outcome.remaining};t=${resetSeconds(outcome)}`;
}

/** Whole seconds, rounded up: a client that waits this long finds the window reset. */
export function resetSeconds(outcome: BudgetOutcome): number {
  return Math.max(1, Math.ceil(outcome.resetMs / 1000));
}
