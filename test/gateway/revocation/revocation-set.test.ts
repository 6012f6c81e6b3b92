// The in-memory revocation set: which tokens each kind of record refuses, and which it leaves alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRevocationCheck } from '../../../src/gateway/revocation/revocation-check.ts';
import { RevocationSet } from '../../../src/authn/revocation-set.ts';
import type { Identity } from '../../../src/model/identity.ts';
import type { RevocationRecord } from '../../../src/store/identity-store.ts';

const NOW = 1_800_000_000;
const record = (kind: RevocationRecord['kind'], value: string, revokedAt = NOW, expiresAt = NOW + 600): RevocationRecord => ({ kind, value, revokedAt, expiresAt });

const cases: { name: string; records: RevocationRecord[]; claims: Record<string, unknown>; revoked: boolean }[] = [
  { name: 'jti listed', records: [record('jti', 'j1')], claims: { jti: 'j1', sub: 'u1', iat: NOW + 5 }, revoked: true },
  { name: 'other jti', records: [record('jti', 'j1')], claims: { jti: 'j2', sub: 'u1', iat: NOW - 5 }, revoked: false },
  { name: 'subject, issued before the cutoff', records: [record('subject', 'u1')], claims: { sub: 'u1', iat: NOW - 1 }, revoked: true },
  { name: 'subject, issued at the cutoff', records: [record('subject', 'u1')], claims: { sub: 'u1', iat: NOW }, revoked: true },
  { name: 'subject, issued after the cutoff', records: [record('subject', 'u1')], claims: { sub: 'u1', iat: NOW + 1 }, revoked: false },
  { name: 'subject, no iat (fail closed)', records: [record('subject', 'u1')], claims: { sub: 'u1' }, revoked: true },
  { name: 'other subject', records: [record('subject', 'u1')], claims: { sub: 'u2', iat: NOW - 1 }, revoked: false },
  { name: 'client by client_id', records: [record('client', 'c1')], claims: { sub: 'u1', client_id: 'c1', iat: NOW - 1 }, revoked: true },
  { name: 'client by azp', records: [record('client', 'c1')], claims: { sub: 'u1', azp: 'c1', iat: NOW - 1 }, revoked: true },
  { name: 'client, issued after the cutoff', records: [record('client', 'c1')], claims: { client_id: 'c1', iat: NOW + 1 }, revoked: false },
  { name: 'later cutoff wins', records: [record('subject', 'u1', NOW + 30), record('subject', 'u1', NOW)], claims: { sub: 'u1', iat: NOW + 10 }, revoked: true },
  { name: 'token-hash says nothing about claims', records: [record('token-hash', 'h1')], claims: { jti: 'h1', sub: 'h1', iat: NOW - 1 }, revoked: false },
];

describe('RevocationSet', () => {
  for (const { name, records, claims, revoked } of cases) {
    test(`${name} → ${revoked ? 'revoked' : 'accepted'}`, () => {
      const set = new RevocationSet();
      for (const r of records) set.apply(r, NOW);
      assert.equal(set.revokesClaims(claims), revoked);
    });
  }

  test('token hashes', () => {
    const set = new RevocationSet();
    set.apply(record('token-hash', 'a'.repeat(64)), NOW);
    assert.equal(set.revokesTokenHash('a'.repeat(64)), true);
    assert.equal(set.revokesTokenHash('b'.repeat(64)), false);
  });

  test('an already expired record is not kept; prune drops records once they expire', () => {
    const set = new RevocationSet();
    assert.equal(set.apply(record('jti', 'old', NOW - 100, NOW - 1), NOW), false);
    assert.equal(set.size, 0);
    set.apply(record('jti', 'j1', NOW, NOW + 10), NOW);
    set.apply(record('subject', 'u1', NOW, NOW + 100), NOW);
    assert.equal(set.prune(NOW + 50), 1);
    assert.equal(set.revokesClaims({ jti: 'j1' }), false);
    assert.equal(set.revokesClaims({ sub: 'u1', iat: NOW }), true);
    assert.equal(set.size, 1);
  });

  test('a repeated record keeps the later expiry', () => {
    const set = new RevocationSet();
    set.apply(record('jti', 'j1', NOW, NOW + 100), NOW);
    set.apply(record('jti', 'j1', NOW, NOW + 10), NOW);
    assert.equal(set.prune(NOW + 50), 0);
    assert.equal(set.revokesClaims({ jti: 'j1' }), true);
  });
});

describe('RevocationCheck', () => {
  const identity = (issuer: string, claims: Record<string, unknown>): Identity => ({
    issuer, subject: String(claims.sub), principal: `${issuer}/${String(claims.sub)}`, audiences: [], claims, providerId: 'p', tokenKind: 'jwt',
  });

  test('limited to the feed issuers when they are named', () => {
    const set = new RevocationSet();
    set.apply(record('subject', 'u1'), NOW);
    const scoped = createRevocationCheck(set, ['https://id.example']);
    assert.equal(scoped.revokesIdentity(identity('https://id.example', { sub: 'u1', iat: NOW })), true);
    assert.equal(scoped.revokesIdentity(identity('https://other.example', { sub: 'u1', iat: NOW })), false);
    const everyIssuer = createRevocationCheck(set, []);
    assert.equal(everyIssuer.revokesIdentity(identity('https://other.example', { sub: 'u1', iat: NOW })), true);
  });
});
