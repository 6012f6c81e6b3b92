import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientSecretBasic } from '../../src/authn/client-secret-basic.ts';

test('client_secret_basic form-encodes id and secret before Base64 (RFC 6749 Appendix B)', () => {
  const header = clientSecretBasic('gateway client', 'p:ss/wörd');
  assert.match(header, /^Basic [A-Za-z0-9+/]+=*$/);
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  assert.equal(decoded, 'gateway+client:p%3Ass%2Fw%C3%B6rd');
  // The only ':' left is the separator, so a colon in the secret cannot shift the split.
  assert.equal(decoded.split(':').length, 2);
});
