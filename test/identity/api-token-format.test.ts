import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiTokenDisplayPrefix, apiTokenHash, generateApiToken, isWellFormedApiToken } from '../../src/identity/api-token-format.ts';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('API token format', () => {
  it('is gat_ + 30 random base62 + 6 base62 checksum characters, different every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, generateApiToken));
    assert.equal(tokens.size, 50);
    for (const token of tokens) {
      assert.match(token, /^gat_[0-9A-Za-z]{36}$/);
      assert.equal(isWellFormedApiToken(token), true, token);
    }
  });

  it('a one-character change anywhere fails the checksum', () => {
    const token = generateApiToken();
    for (let index = 4; index < token.length; index++) {
      const current = token[index];
      const replacement = ALPHABET[(ALPHABET.indexOf(current) + 1) % ALPHABET.length];
      const changed = token.slice(0, index) + replacement + token.slice(index + 1);
      assert.equal(isWellFormedApiToken(changed), false, `position ${index}`);
    }
  });

  it('refuses wrong prefix, length and alphabet', () => {
    const token = generateApiToken();
    for (const bad of [token.replace('gat_', 'ghp_'), token.slice(0, -1), `${token}0`, `${token.slice(0, 10)}-${token.slice(11)}`, '', 'gat_']) {
      assert.equal(isWellFormedApiToken(bad), false, bad);
    }
  });

  it('hash is SHA-256 hex of the whole token; the display prefix is 8 characters', () => {
    const token = generateApiToken();
    assert.match(apiTokenHash(token), /^[0-9a-f]{64}$/);
    assert.equal(apiTokenDisplayPrefix(token), token.slice(0, 8));
  });
});
