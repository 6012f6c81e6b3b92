// Join tokens are single use even under a race: of several concurrent redemptions of one token
// exactly one wins, on SQLite and on PostgreSQL. The store keeps only the token's hash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consumeJoinToken, createJoinToken, JOIN_TOKEN_NAMESPACE } from '../../src/pki/join-tokens.ts';
import { openTestStore } from './store-fixture.ts';

for (const driver of ['sqlite', 'postgres'] as const) {
  test(`join tokens on ${driver}: one of five racing redemptions wins; expired and unknown tokens are refused`, async () => {
    const { store, close } = await openTestStore(driver);
    try {
      const created = await createJoinToken(store.documents, { spiffeId: 'spiffe://example.org/ns/a/sa/b', trustDomain: 'example.org' });
      assert.equal(JSON.stringify(await store.documents.list(JOIN_TOKEN_NAMESPACE)).includes(created.token), false, 'only the hash is stored');
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => consumeJoinToken(store.documents, created.token)));
      assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
      for (const result of results) if (result.status === 'rejected') assert.equal((result.reason as { code: string }).code, 'ERR_JOIN_TOKEN_INVALID');

      const now = Math.floor(Date.now() / 1000);
      const stale = await createJoinToken(store.documents, { spiffeId: 'spiffe://example.org/ns/a/sa/b', trustDomain: 'example.org', ttlSeconds: 60 }, now - 120);
      await assert.rejects(consumeJoinToken(store.documents, stale.token, now), { code: 'ERR_JOIN_TOKEN_INVALID' });
      await assert.rejects(consumeJoinToken(store.documents, 'gjt_unknown', now), { code: 'ERR_JOIN_TOKEN_INVALID' });
      await assert.rejects(createJoinToken(store.documents, { spiffeId: 'spiffe://other.org/ns/a/sa/b', trustDomain: 'example.org' }), { code: 'ERR_SPIFFE_TRUST_DOMAIN_MISMATCH' });
    } finally {
      await close();
    }
  });
}
