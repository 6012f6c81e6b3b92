// One process-wide Redis connection per URL, shared by every generation's rate limits (a reload
// never reconnects). It tracks whether Redis is usable and says so once per change — a warning
// when it goes away, an info line when it is back — never once per request.
import { Redis } from 'ioredis';
import type { GatewayLogger } from '../observability/logger.ts';
import { redisLabel } from '../store/redis/redis-label.ts';

export interface RateLimitObserver {
  rateLimitBackendState(backend: string, up: boolean): void;
  rateLimitFallback(backend: string): void;
  rateLimited(policy: string): void;
}

/** A stalled Redis must never hold a request longer than this (then the fallback answers). */
const COMMAND_TIMEOUT_MS = 250;
const CONNECT_TIMEOUT_MS = 1000;
/** Reconnect backoff ceiling: Redis is retried at least this often while it is away. */
const MAX_RECONNECT_DELAY_MS = 1000;
/** After a failed command on a connection that still looks open, try Redis again this often. */
const PROBE_INTERVAL_MS = 1000;

export class RedisConnection {
  readonly client: Redis;
  /** host:port, never credentials: the metric label and log field. */
  readonly label: string;
  private readonly logger: GatewayLogger;
  private readonly observer: RateLimitObserver;
  private up = false;
  private announcedDown = false;
  private nextProbeAt = 0;

  constructor(url: string, logger: GatewayLogger, observer: RateLimitObserver) {
    this.label = redisLabel(url);
    this.logger = logger;
    this.observer = observer;
    observer.rateLimitBackendState(this.label, false);
    this.client = new Redis(url, {
      // Fail at once while disconnected instead of queueing: the request falls back instead of waiting.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: CONNECT_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    });
    this.client.on('ready', () => this.markUp());
    this.client.on('error', (error: Error) => this.markDown(error.message));
    this.client.on('close', () => this.markDown('connection closed'));
  }

  /** Worth sending a command now? Connected, and not inside a probe pause after a failure. */
  get usable(): boolean {
    return this.client.status === 'ready' && (this.up || Date.now() >= this.nextProbeAt);
  }

  succeeded(): void {
    if (!this.up) this.markUp();
  }

  failed(error: unknown): void {
    this.nextProbeAt = Date.now() + PROBE_INTERVAL_MS;
    this.markDown(error instanceof Error ? error.message : String(error));
  }

  /** Disconnects; the events that follow are no outage and must not reach a closed logger. */
  close(): void {
    this.client.removeAllListeners();
    this.client.on('error', () => {});
    this.client.disconnect();
  }

  private markUp(): void {
    if (this.up) return;
    this.up = true;
    this.observer.rateLimitBackendState(this.label, true);
    if (this.announcedDown) this.logger.info({ backend: this.label }, 'Redis is reachable again; shared rate limits resumed');
    this.announcedDown = false;
  }

  private markDown(reason: string): void {
    if (!this.up && this.announcedDown) return;
    this.up = false;
    this.observer.rateLimitBackendState(this.label, false);
    if (this.announcedDown) return;
    this.announcedDown = true;
    this.logger.warn({ backend: this.label, error: reason }, 'Redis is unreachable; rate limits fall back per policy (onRedisFailure: local counts per instance, open lets requests through)');
  }
}
