// One revocation feed per process and Redis (URL + prefix), shared by config generations like key
// sets: a reload that keeps the RevocationFeed keeps its subscription and what it already knows;
// one that drops or changes it closes the old subscription after the swap. The feed code and
// ioredis (~23 MB RSS) load with the first configuration that has a RevocationFeed.
import type { RevocationFeedSettings } from '../../model/revocation-feed.ts';
import type { GatewayLogger } from '../../observability/logger.ts';
import { createRevocationCheck, type RevocationCheck } from './revocation-check.ts';
import type { RevocationFeed, RevocationObserver } from './revocation-feed.ts';

type FeedAddress = Pick<RevocationFeedSettings, 'url' | 'keyPrefix'>;

export class RevocationFeeds {
  readonly #logger: GatewayLogger;
  readonly #observer: RevocationObserver | undefined;
  readonly #feeds = new Map<string, RevocationFeed>();
  #feedClass: Promise<typeof RevocationFeed> | undefined;

  constructor(logger: GatewayLogger, observer?: RevocationObserver) {
    this.#logger = logger;
    this.#observer = observer;
  }

  /** The feed for these settings, subscribing when new (while a configuration compiles). */
  async acquire(settings: FeedAddress): Promise<RevocationFeed> {
    this.#feedClass ??= import('./revocation-feed.ts').then((module) => module.RevocationFeed);
    const Feed = await this.#feedClass;
    const id = feedId(settings);
    let feed = this.#feeds.get(id);
    if (feed === undefined) {
      feed = new Feed(settings, this.#logger, this.#observer);
      this.#feeds.set(id, feed);
    }
    return feed;
  }

  /** The check a generation's authenticators consult; undefined when no feed is configured. */
  checkFor(settings: RevocationFeedSettings | undefined): RevocationCheck | undefined {
    if (settings === undefined) return undefined;
    const feed = this.#feeds.get(feedId(settings));
    if (feed === undefined) throw new Error('a generation was built before its RevocationFeed was acquired');
    return createRevocationCheck(feed.set, settings.issuers);
  }

  /** Closes every feed but the one these settings use (after a generation swap). */
  retain(settings: FeedAddress | undefined): void {
    const kept = settings === undefined ? undefined : feedId(settings);
    for (const [id, feed] of this.#feeds) {
      if (id === kept) continue;
      feed.close();
      this.#feeds.delete(id);
    }
  }

  /** Readiness: no feed configured, or the configured one is caught up. */
  isReady(settings: FeedAddress | undefined): boolean {
    return settings === undefined || this.#feeds.get(feedId(settings))?.synced === true;
  }

  close(): void {
    this.retain(undefined);
  }
}

function feedId(settings: FeedAddress): string {
  return JSON.stringify([settings.url, settings.keyPrefix]);
}
