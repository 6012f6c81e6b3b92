// The identity service's side of the revocation wire: a revocation is written to the store (the
// source of truth) and then broadcast through Redis — ZADD to the sorted set a starting gateway
// reads, PUBLISH to the channel running gateways hear. When Redis is away the store still has
// it; every (re)connect copies the store's active revocations into Redis again and re-announces
// them, so a broadcast missed during an outage arrives when Redis is back.
import { Redis } from 'ioredis';
import type { RevocationRecord, RevocationStore } from '../identity-store.ts';
import { redisLabel } from './redis-label.ts';
import { encodeRevocation, revocationChannel, revocationKey } from './revocation-wire.ts';

/** The subset of pino the publisher uses; never given a token or a secret. */
export interface PublisherLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface RevocationPublisherOptions {
  store: RevocationStore;
  /** redis:// or rediss:// URL; absent = store only (a single gateway reading no feed). */
  redisUrl?: string;
  /** Prefix of the key and channel, e.g. 'gatehouse:' → `gatehouse:revocations`. */
  keyPrefix: string;
  logger?: PublisherLogger;
  /** Epoch seconds; injectable for tests. */
  now?: () => number;
}

export interface RevocationPublisher {
  /** Resolves once the store has the record and Redis (when configured and reachable) announced it. */
  revoke(record: RevocationRecord): Promise<void>;
  close(): Promise<void>;
}

const COMMAND_TIMEOUT_MS = 2000;
const MAX_RECONNECT_DELAY_MS = 2000;

export function createRevocationPublisher(options: RevocationPublisherOptions): RevocationPublisher {
  const { store, redisUrl, keyPrefix, logger } = options;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  if (redisUrl === undefined) {
    return { revoke: (record) => store.add(record), close: async () => {} };
  }
  const key = revocationKey(keyPrefix);
  const channel = revocationChannel(keyPrefix);
  const label = redisLabel(redisUrl);
  let announcedDown = false;
  const client = new Redis(redisUrl, {
    // A revocation must not wait on a dead connection: it is in the store, and the resync on
    // the next connect delivers it.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
  });

  function down(reason: string): void {
    if (announcedDown) return;
    announcedDown = true;
    logger?.warn({ backend: label, error: reason }, 'Redis is unreachable; revocations are stored and will be broadcast to gateways when it is back');
  }

  async function broadcast(records: readonly RevocationRecord[]): Promise<void> {
    const transaction = client.multi();
    // Expired revocations cover no valid token any more: trim them by score on the way.
    transaction.zremrangebyscore(key, '-inf', `(${now()}`);
    for (const record of records) transaction.zadd(key, record.expiresAt, encodeRevocation(record));
    for (const record of records) transaction.publish(channel, encodeRevocation(record));
    const results = await transaction.exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (results === null || failed) throw failed ?? new Error('transaction aborted');
  }

  async function resync(): Promise<void> {
    try {
      await broadcast(await store.active(now()));
      if (announcedDown) logger?.info({ backend: label }, 'Redis is reachable again; stored revocations re-broadcast');
      announcedDown = false;
    } catch (error) {
      down(error instanceof Error ? error.message : String(error));
    }
  }

  client.on('ready', () => void resync());
  client.on('error', (error: Error) => down(error.message));

  return {
    async revoke(record) {
      await store.add(record);
      if (client.status !== 'ready') return down(`connection ${client.status}`);
      try {
        await broadcast([record]);
      } catch (error) {
        down(error instanceof Error ? error.message : String(error));
      }
    },
    async close() {
      client.removeAllListeners();
      client.on('error', () => {});
      await client.quit().catch(() => client.disconnect());
    },
  };
}
