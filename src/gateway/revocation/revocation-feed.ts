// The gateway's side of the revocation wire (src/store/redis/revocation-wire.ts): subscribe to
// the channel, then read the sorted set — in that order, so a revocation published while the set
// is read is heard rather than lost — and apply both to the in-memory RevocationSet. Every
// reconnect does the same again, catching up on what was published while Redis was away. During
// an outage the revocations already known keep applying; the outage is logged once.
import { Redis } from 'ioredis';
import type { RevocationFeedSettings } from '../../model/revocation-feed.ts';
import type { GatewayLogger } from '../../observability/logger.ts';
import { redisLabel } from '../../store/redis/redis-label.ts';
import { decodeRevocation, revocationChannel, revocationKey } from '../../store/redis/revocation-wire.ts';
import { RevocationSet } from '../../authn/revocation-set.ts';

export interface RevocationObserver {
  revocationFeedState(feed: string, up: boolean): void;
  revocationsActive(feed: string, count: number): void;
  revocationReceived(feed: string): void;
}

const CONNECT_TIMEOUT_MS = 1000;
const COMMAND_TIMEOUT_MS = 2000;
/** Reconnect backoff ceiling: Redis is retried at least this often while it is away. */
const MAX_RECONNECT_DELAY_MS = 2000;
/** A failed catch-up read is retried this often while the subscription stands. */
const RESYNC_RETRY_MS = 500;
const PRUNE_INTERVAL_MS = 30_000;

export class RevocationFeed {
  readonly set = new RevocationSet();
  /** host:port + prefix: the metric label and log field (never credentials). */
  readonly label: string;
  readonly #channel: string;
  readonly #key: string;
  readonly #subscriber: Redis;
  readonly #reader: Redis;
  readonly #logger: GatewayLogger;
  readonly #observer: RevocationObserver | undefined;
  readonly #pruneTimer: NodeJS.Timeout;
  #synced = false;
  #announcedDown = false;
  #attempt = 0;
  #retry: NodeJS.Timeout | undefined;
  #resolveFirstSync!: () => void;
  readonly #firstSync = new Promise<void>((resolve) => (this.#resolveFirstSync = resolve));

  constructor(settings: Pick<RevocationFeedSettings, 'url' | 'keyPrefix'>, logger: GatewayLogger, observer?: RevocationObserver) {
    this.label = `${redisLabel(settings.url)}/${settings.keyPrefix}`;
    this.#channel = revocationChannel(settings.keyPrefix);
    this.#key = revocationKey(settings.keyPrefix);
    this.#logger = logger;
    this.#observer = observer;
    observer?.revocationFeedState(this.label, false);
    const retryStrategy = (attempt: number) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS);
    // We subscribe ourselves on every 'ready', then catch up; ioredis' own resubscribe would race the catch-up.
    this.#subscriber = new Redis(settings.url, { autoResubscribe: false, connectTimeout: CONNECT_TIMEOUT_MS, retryStrategy });
    // The catch-up read may be sent before this second connection is up: let it queue until then.
    this.#reader = new Redis(settings.url, {
      maxRetriesPerRequest: 0,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy,
    });
    this.#subscriber.on('message', (channel: string, message: string) => this.#received(channel, message));
    this.#subscriber.on('ready', () => void this.#sync());
    this.#subscriber.on('error', (error: Error) => this.#down(error.message));
    this.#subscriber.on('close', () => {
      this.#attempt++; // a catch-up under way belongs to the lost connection
      this.#down('connection closed');
    });
    this.#reader.on('error', () => {}); // its state shows in #sync; the subscriber's events report the outage
    this.#pruneTimer = setInterval(() => this.#prune(), PRUNE_INTERVAL_MS).unref();
  }

  /** True while subscribed and caught up with the sorted set. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Resolves after the first complete catch-up (never rejects; callers bound the wait). */
  whenSynced(): Promise<void> {
    return this.#firstSync;
  }

  close(): void {
    clearInterval(this.#pruneTimer);
    clearTimeout(this.#retry);
    for (const client of [this.#subscriber, this.#reader]) {
      client.removeAllListeners();
      client.on('error', () => {});
      client.disconnect();
    }
  }

  async #sync(): Promise<void> {
    const attempt = ++this.#attempt;
    clearTimeout(this.#retry);
    try {
      await this.#subscriber.subscribe(this.#channel);
      const members = await this.#reader.zrangebyscore(this.#key, nowSeconds(), '+inf');
      if (attempt !== this.#attempt) return;
      const now = nowSeconds();
      for (const member of members) {
        const record = decodeRevocation(member);
        if (record !== undefined) this.set.apply(record, now);
      }
      this.#up();
    } catch (error) {
      if (attempt !== this.#attempt) return;
      this.#down(error instanceof Error ? error.message : String(error));
      if (this.#subscriber.status === 'ready') this.#retry = setTimeout(() => void this.#sync(), RESYNC_RETRY_MS).unref();
    }
  }

  #received(channel: string, message: string): void {
    if (channel !== this.#channel) return;
    const record = decodeRevocation(message);
    if (record === undefined) {
      this.#logger.warn({ feed: this.label }, 'ignored a revocation message that is not a revocation record');
      return;
    }
    if (this.set.apply(record, nowSeconds())) {
      this.#observer?.revocationReceived(this.label);
      this.#observer?.revocationsActive(this.label, this.set.size);
    }
  }

  #up(): void {
    const wasDown = this.#announcedDown;
    this.#synced = true;
    this.#announcedDown = false;
    this.#observer?.revocationFeedState(this.label, true);
    this.#observer?.revocationsActive(this.label, this.set.size);
    this.#resolveFirstSync();
    if (wasDown) this.#logger.info({ feed: this.label, active: this.set.size }, 'revocation feed reconnected and caught up');
  }

  #down(reason: string): void {
    this.#synced = false;
    this.#observer?.revocationFeedState(this.label, false);
    if (this.#announcedDown) return;
    this.#announcedDown = true;
    this.#logger.warn(
      { feed: this.label, error: reason },
      'revocation feed lost Redis; revocations already known still apply, new ones arrive when it is back',
    );
  }

  #prune(): void {
    if (this.set.prune(nowSeconds()) > 0) this.#observer?.revocationsActive(this.label, this.set.size);
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
