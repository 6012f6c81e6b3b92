// The revocation wire: records survive encode/decode, anything else decodes to nothing, and the
// publisher writes the store, the sorted set and the channel (real SQLite store, real Redis).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { IdentityStore, RevocationRecord } from '../../../src/store/identity-store.ts';
import { openStore } from '../../../src/store/open-store.ts';
import { createRevocationPublisher } from '../../../src/store/redis/revocation-publisher.ts';
import { decodeRevocation, encodeRevocation, revocationChannel, revocationKey } from '../../../src/store/redis/revocation-wire.ts';
import { startSwitchableProxy } from '../../e2e/support/switchable-proxy.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';

describe('revocation wire format', () => {
  test('every kind round-trips, and the same record always encodes the same', () => {
    for (const kind of ['jti', 'token-hash', 'client', 'subject'] as const) {
      const record: RevocationRecord = { kind, value: `v-${kind}`, revokedAt: 1_800_000_000, expiresAt: 1_800_000_600 };
      assert.deepEqual(decodeRevocation(encodeRevocation(record)), record);
      assert.equal(encodeRevocation({ ...record }), encodeRevocation(record));
    }
  });

  const invalid: [string, string][] = [
    ['not JSON', '{'],
    ['not an object', '"jti"'],
    ['unknown kind', '{"kind":"user","value":"u","revokedAt":1,"expiresAt":2}'],
    ['empty value', '{"kind":"jti","value":"","revokedAt":1,"expiresAt":2}'],
    ['time not an integer', '{"kind":"jti","value":"j","revokedAt":"1","expiresAt":2}'],
    ['missing expiresAt', '{"kind":"jti","value":"j","revokedAt":1}'],
  ];
  for (const [name, text] of invalid) {
    test(`${name} decodes to undefined`, () => assert.equal(decodeRevocation(text), undefined));
  }
});

describe('revocation publisher (real Redis, real SQLite store)', () => {
  let dir: string;
  let store: IdentityStore;
  let redis: Redis;
  const prefix = `gatehouse-test:${randomUUID()}:`;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-revocation-'));
    store = await openStore({ driver: 'sqlite', path: join(dir, 'identity.db') });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  after(async () => {
    await redis.del(revocationKey(prefix));
    redis.disconnect();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('revoke stores the record, adds it to the sorted set and announces it on the channel', async () => {
    const now = Math.floor(Date.now() / 1000);
    const publisher = createRevocationPublisher({ store: store.revocations, redisUrl: REDIS_URL, keyPrefix: prefix });
    const listener = redis.duplicate();
    try {
      const heard: string[] = [];
      listener.on('message', (_channel: string, message: string) => heard.push(message));
      await listener.subscribe(revocationChannel(prefix));
      // The publisher connects asynchronously; its first connect re-broadcasts what the store holds.
      const record: RevocationRecord = { kind: 'jti', value: `jti-${randomUUID()}`, revokedAt: now, expiresAt: now + 300 };
      const expired = `{"kind":"jti","value":"stale","revokedAt":${now - 100},"expiresAt":${now - 50}}`;
      await redis.zadd(revocationKey(prefix), now - 50, expired);
      const inSet = await waitFor(async () => {
        await publisher.revoke(record);
        return (await redis.zrange(revocationKey(prefix), '0', '-1')).includes(encodeRevocation(record));
      });
      assert.ok(inSet, 'the sorted set holds the record');
      assert.deepEqual((await store.revocations.active(now)).map((r) => r.value), [record.value]);
      assert.ok(await waitFor(async () => heard.includes(encodeRevocation(record))), 'the channel carried the record');
      assert.ok(!(await redis.zrange(revocationKey(prefix), '0', '-1')).includes(expired), 'expired members are trimmed');
    } finally {
      listener.disconnect();
      await publisher.close();
    }
  });

  test('a revocation made while Redis is away reaches the sorted set when it is back', async () => {
    const proxy = await startSwitchableProxy(6379);
    const warnings: string[] = [];
    const logger = { info: () => {}, warn: (_fields: object, message?: string) => void warnings.push(String(message)) };
    const publisher = createRevocationPublisher({ store: store.revocations, redisUrl: `redis://127.0.0.1:${proxy.port}`, keyPrefix: prefix, logger });
    try {
      const now = Math.floor(Date.now() / 1000);
      proxy.cut();
      const record: RevocationRecord = { kind: 'client', value: `client-${randomUUID()}`, revokedAt: now, expiresAt: now + 300 };
      await publisher.revoke(record);
      assert.ok((await store.revocations.active(now)).some((r) => r.value === record.value), 'stored at once');
      assert.ok(!(await redis.zrange(revocationKey(prefix), '0', '-1')).includes(encodeRevocation(record)));
      proxy.up = true;
      assert.ok(await waitFor(async () => (await redis.zrange(revocationKey(prefix), '0', '-1')).includes(encodeRevocation(record)), 250), 're-broadcast on reconnect');
      assert.equal(warnings.filter((message) => message.startsWith('Redis is unreachable')).length, 1, 'one warning per outage');
    } finally {
      await publisher.close();
      await proxy.close();
    }
  });

  test('without Redis the store alone is written', async () => {
    const now = Math.floor(Date.now() / 1000);
    const publisher = createRevocationPublisher({ store: store.revocations, keyPrefix: prefix });
    await publisher.revoke({ kind: 'subject', value: 'user-1', revokedAt: now, expiresAt: now + 60 });
    assert.ok((await store.revocations.active(now)).some((r) => r.kind === 'subject' && r.value === 'user-1'));
    await publisher.close();
  });
});

async function waitFor(probe: () => Promise<boolean>, attempts = 100): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}
