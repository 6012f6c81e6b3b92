import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consentLines, type ConsentResource } from '../../../src/identity/interactions/consent-items.ts';

const RESOURCES: ConsentResource[] = [
  { identifier: 'https://orders', name: 'Order service', scopes: { 'orders:read': 'Read your orders', 'orders:write': 'Place orders for you' } },
  { identifier: 'https://billing', scopes: { 'orders:read': 'Read your invoices' } },
];

describe('consent lines', () => {
  it('words each missing scope from its own resource, then the OIDC texts, then the fallback', () => {
    const lines = consentLines(
      { missingOIDCScope: ['openid', 'email', 'custom'], missingResourceScopes: { 'https://orders': ['orders:read', 'orders:write'], 'https://billing': ['orders:read'], 'https://unknown': ['x'] } },
      RESOURCES,
      (scope) => (scope === 'custom' ? 'Do the custom thing' : undefined),
    );
    assert.deepEqual(lines, [
      { text: 'Confirm your identity' },
      { text: 'See your email address' },
      { text: 'Do the custom thing' },
      { text: 'Read your orders', resource: 'Order service' },
      { text: 'Place orders for you', resource: 'Order service' },
      { text: 'Read your invoices', resource: 'https://billing' },
      { text: 'x', resource: 'https://unknown' },
    ]);
  });

  it('still says something when only claims are missing', () => {
    assert.deepEqual(consentLines({ missingOIDCClaims: ['email'] }, RESOURCES, () => undefined), [{ text: 'See some of your profile information' }]);
  });
});
