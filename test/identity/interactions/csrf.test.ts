import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createInteractionCsrf, CsrfConfigError, isCrossSiteRequest } from '../../../src/identity/interactions/csrf.ts';

describe('interaction CSRF token', () => {
  const csrf = createInteractionCsrf(['key-one']);

  it('verifies a token for its own uid only', () => {
    const token = csrf.tokenFor('uid-a');
    assert.equal(csrf.verify('uid-a', token), true);
    assert.equal(csrf.verify('uid-b', token), false);
    for (const bad of [undefined, '', 'x', `${token}x`, token.slice(1), 'A'.repeat(200)]) assert.equal(csrf.verify('uid-a', bad), false, String(bad));
  });

  it('keeps verifying tokens of an older key after rotation, and refuses other keys', () => {
    const old = createInteractionCsrf(['old-key']).tokenFor('uid-a');
    assert.equal(createInteractionCsrf(['new-key', 'old-key']).verify('uid-a', old), true);
    assert.equal(createInteractionCsrf(['new-key']).verify('uid-a', old), false);
  });

  it('needs a key', () => {
    assert.throws(() => createInteractionCsrf([]), CsrfConfigError);
    assert.throws(() => createInteractionCsrf(['']), CsrfConfigError);
  });

  it('treats cross-site and same-site fetch metadata as foreign', () => {
    const table: Array<[string | undefined, boolean]> = [['cross-site', true], ['same-site', true], ['same-origin', false], ['none', false], [undefined, false]];
    for (const [site, foreign] of table) assert.equal(isCrossSiteRequest(site === undefined ? {} : { 'sec-fetch-site': site }), foreign, String(site));
  });
});
