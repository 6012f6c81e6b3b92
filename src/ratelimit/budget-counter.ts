// Counters for one budget (N requests per window, plus burst). In memory: rate-limiter-flexible
// RateLimiterMemory. In Redis: RateLimiterRedis, so every instance draws from one budget; when
// Redis fails the request is counted on this instance's own counter, or let through (open).
import type { RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitBudget } from '../model/rate-limit.ts';
import type { RateLimiterLibrary, RateLimitStores } from './rate-limit-stores.ts';
import type { RedisConnection } from './redis-connection.ts';

export interface BudgetOutcome {
  allowed: boolean;
  /** Requests left in the current window. */
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

export interface BudgetCounter {
  consume(key: string): Promise<BudgetOutcome>;
}

interface Limiter {
  consume(key: string): Promise<RateLimiterRes>;
}

/**
 * Burst as rate-limiter-flexible's BurstyRateLimiter: once the window's `requests` are spent,
 * up to `burst` more come from a second bucket that refills over the time the rate needs to
 * earn them back (at least one window).
 */
function budgetLimiter(library: RateLimiterLibrary, budget: RateLimitBudget, store: (suffix: string, points: number, seconds: number) => Limiter): Limiter {
  const main = store('', budget.requests, budget.windowSeconds);
  if (budget.burst === 0) return main;
  const burstSeconds = budget.windowSeconds * Math.max(1, Math.ceil(budget.burst / budget.requests));
  return new library.BurstyRateLimiter(main as never, store(':burst', budget.burst, burstSeconds) as never) as Limiter;
}

function settle(library: RateLimiterLibrary, limiter: Limiter, key: string): Promise<BudgetOutcome> {
  return limiter.consume(key).then(
    (res) => ({ allowed: true, remaining: res.remainingPoints, resetMs: res.msBeforeNext }),
    (error: unknown) => {
      if (error instanceof library.RateLimiterRes) return { allowed: false, remaining: 0, resetMs: error.msBeforeNext };
      throw error;
    },
  );
}

export function memoryBudgetCounter(stores: RateLimitStores, id: string, budget: RateLimitBudget): BudgetCounter {
  const library = stores.library;
  const limiter = budgetLimiter(library, budget, (suffix, points, seconds) => stores.memoryLimiter(`${id}${suffix}`, points, seconds));
  return { consume: (key) => settle(library, limiter, key) };
}

export interface SharedBudgetOptions {
  connection: RedisConnection;
  /** Prefix of this budget's Redis keys. */
  keyPrefix: string;
  /** Per-instance counter used while Redis is away; undefined = let requests through (open). */
  fallback: BudgetCounter | undefined;
}

export function sharedBudgetCounter(stores: RateLimitStores, budget: RateLimitBudget, options: SharedBudgetOptions): BudgetCounter {
  const { connection, fallback } = options;
  const library = stores.library;
  const shared = budgetLimiter(
    library,
    budget,
    (suffix, points, seconds) =>
      new library.RateLimiterRedis({ storeClient: connection.client, keyPrefix: `${options.keyPrefix}${suffix}`, points, duration: seconds }),
  );
  const open: BudgetOutcome = { allowed: true, remaining: budget.requests, resetMs: budget.windowSeconds * 1000 };
  const withoutRedis = (key: string): Promise<BudgetOutcome> => {
    stores.observer.rateLimitFallback(connection.label);
    return fallback === undefined ? Promise.resolve(open) : fallback.consume(key);
  };
  return {
    consume(key) {
      if (!connection.usable) return withoutRedis(key);
      return shared.consume(key).then(
        (res) => {
          connection.succeeded();
          return { allowed: true, remaining: res.remainingPoints, resetMs: res.msBeforeNext };
        },
        (error: unknown) => {
          if (error instanceof library.RateLimiterRes) {
            connection.succeeded();
            return { allowed: false, remaining: 0, resetMs: error.msBeforeNext };
          }
          connection.failed(error);
          return withoutRedis(key);
        },
      );
    },
  };
}
