import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PkiError } from '../../src/pki/pki-error.ts';
import { parseSpiffeId, validateTrustDomain, workloadSpiffeId } from '../../src/pki/spiffe-id.ts';

test('valid SPIFFE IDs parse into trust domain and path', () => {
  const cases = [
    ['spiffe://example.org/ns/shop/sa/orders', 'example.org', '/ns/shop/sa/orders'],
    ['spiffe://cluster.local/ns/default/sa/my_service-1.v2', 'cluster.local', '/ns/default/sa/my_service-1.v2'],
    ['spiffe://td/workload', 'td', '/workload'],
  ] as const;
  for (const [uri, trustDomain, path] of cases) {
    assert.deepEqual(parseSpiffeId(uri), { uri, trustDomain, path }, uri);
  }
  assert.equal(workloadSpiffeId('example.org', 'shop', 'orders').uri, 'spiffe://example.org/ns/shop/sa/orders');
});

test('bad SPIFFE IDs are refused with ERR_SPIFFE_ID_INVALID and say why', () => {
  const cases: [string, RegExp][] = [
    ['https://example.org/ns/a/sa/b', /scheme must be "spiffe:\/\/"/],
    ['SPIFFE://example.org/ns/a/sa/b', /lowercase "spiffe"/],
    ['spiffe://example.org', /needs a path/],
    ['spiffe://example.org/', /needs a path/],
    ['spiffe:///ns/a', /trust domain is empty/],
    ['spiffe://Example.org/ns/a', /lowercase letters/],
    ['spiffe://example.org:8443/ns/a', /ports are not allowed/],
    ['spiffe://user@example.org/ns/a', /user info/],
    ['spiffe://example.org/ns//sa/b', /empty segment/],
    ['spiffe://example.org/ns/a/', /trailing/],
    ['spiffe://example.org/ns/../sa/b', /"\." or "\.\."/],
    ['spiffe://example.org/ns/a b', /segment "a b"/],
    ['spiffe://example.org/ns/a?x=1', /query or fragment/],
    ['spiffe://example.org/ns/a#frag', /query or fragment/],
    [`spiffe://example.org/${'a'.repeat(2048)}`, /2048 bytes/],
  ];
  for (const [text, why] of cases) {
    assert.throws(
      () => parseSpiffeId(text),
      (error: unknown) => error instanceof PkiError && error.code === 'ERR_SPIFFE_ID_INVALID' && why.test(error.message),
      text,
    );
  }
});

test('trust domains are validated', () => {
  assert.equal(validateTrustDomain('cluster.local'), 'cluster.local');
  for (const bad of ['', 'Upper.case', 'has space', 'a/b', 'x'.repeat(256)]) {
    assert.throws(() => validateTrustDomain(bad), { code: 'ERR_TRUST_DOMAIN_INVALID' }, bad);
  }
});
