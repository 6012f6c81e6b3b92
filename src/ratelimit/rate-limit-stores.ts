// Process-wide state of rate limiting, outliving generations: Redis connections per URL and the
// in-memory counters, so a reload keeps both the connection and the budgets already spent.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { GatewayLogger } from '../observability/logger.ts';
import { RedisConnection, type RateLimitObserver } from './redis-connection.ts';

export class RateLimitStores {
  readonly observer: RateLimitObserver;
  private readonly logger: GatewayLogger;
  private readonly connections = new Map<string, RedisConnection>();
  private readonly memory = new Map<string, RateLimiterMemory>();

  constructor(logger: GatewayLogger, observer: RateLimitObserver) {
    this.logger = logger;
    this.observer = observer;
  }

  redis(url: string): RedisConnection {
    let connection = this.connections.get(url);
    if (connection === undefined) {
      connection = new RedisConnection(url, this.logger, this.observer);
      this.connections.set(url, connection);
    }
    return connection;
  }

  /** The same counter for the same id and budget across generations. */
  memoryLimiter(id: string, points: number, durationSeconds: number): RateLimiterMemory {
    const key = `${id}|${points}|${durationSeconds}`;
    let limiter = this.memory.get(key);
    if (limiter === undefined) {
      limiter = new RateLimiterMemory({ points, duration: durationSeconds });
      this.memory.set(key, limiter);
    }
    return limiter;
  }

  close(): void {
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
  }
}
