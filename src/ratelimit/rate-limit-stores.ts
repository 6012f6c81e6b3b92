// Process-wide state of rate limiting, outliving generations: Redis connections per URL and the
// in-memory counters, so a reload keeps both the connection and the budgets already spent.
// rate-limiter-flexible (~11 MB RSS) and ioredis (~23 MB) load on the first configuration that
// has rate limits (Redis ones, for ioredis), while it compiles: never per request, and never in
// a gateway whose configuration has none (docs/performance.md, "Start-up memory").
import type * as RateLimiterFlexible from 'rate-limiter-flexible';
import type { RateLimitPolicy } from '../model/rate-limit.ts';
import type { GatewayLogger } from '../observability/logger.ts';
import type { RateLimitObserver, RedisConnection } from './redis-connection.ts';

export type RateLimiterLibrary = typeof RateLimiterFlexible;

export class RateLimitStores {
  readonly observer: RateLimitObserver;
  private readonly logger: GatewayLogger;
  private readonly connections = new Map<string, RedisConnection>();
  private readonly memory = new Map<string, RateLimiterFlexible.RateLimiterMemory>();
  private loadedLibrary: RateLimiterLibrary | undefined;
  private redisConnection: typeof RedisConnection | undefined;

  constructor(logger: GatewayLogger, observer: RateLimitObserver) {
    this.logger = logger;
    this.observer = observer;
  }

  /** Loads what these policies need; call before compiling them (the generation build does). */
  async load(policies: readonly RateLimitPolicy[]): Promise<void> {
    if (policies.length === 0) return;
    this.loadedLibrary ??= await import('rate-limiter-flexible');
    if (policies.some((policy) => policy.backend.kind === 'redis')) {
      this.redisConnection ??= (await import('./redis-connection.ts')).RedisConnection;
    }
  }

  get library(): RateLimiterLibrary {
    if (this.loadedLibrary === undefined) throw new Error('rate limits compiled before RateLimitStores.load()');
    return this.loadedLibrary;
  }

  redis(url: string): RedisConnection {
    let connection = this.connections.get(url);
    if (connection === undefined) {
      if (this.redisConnection === undefined) throw new Error('Redis rate limits compiled before RateLimitStores.load()');
      connection = new this.redisConnection(url, this.logger, this.observer);
      this.connections.set(url, connection);
    }
    return connection;
  }

  /** The same counter for the same id and budget across generations. */
  memoryLimiter(id: string, points: number, durationSeconds: number): RateLimiterFlexible.RateLimiterMemory {
    const key = `${id}|${points}|${durationSeconds}`;
    let limiter = this.memory.get(key);
    if (limiter === undefined) {
      limiter = new this.library.RateLimiterMemory({ points, duration: durationSeconds });
      this.memory.set(key, limiter);
    }
    return limiter;
  }

  close(): void {
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
  }
}
