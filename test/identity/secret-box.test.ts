import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { openSecret, sealSecret, SecretBoxError } from '../../src/identity/secret-box.ts';

const kek = randomBytes(32);

describe('secret box (AES-256-GCM under the KEK)', () => {
  it('round-trips, in the versioned v1 format, with a fresh IV each time', () => {
    const sealed = sealSecret(kek, 'client-secret-ü');
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    assert.ok(!sealed.includes('client-secret'));
    assert.equal(openSecret(kek, sealed), 'client-secret-ü');
    assert.notEqual(sealSecret(kek, 'same'), sealSecret(kek, 'same'));
  });

  const refusals: Array<{ name: string; sealed: () => string; key?: Buffer }> = [
    { name: 'another KEK', sealed: () => sealSecret(kek, 'x'), key: randomBytes(32) },
    { name: 'a changed ciphertext', sealed: () => flipFirstByteOf(sealSecret(kek, 'secret'), 2) },
    { name: 'a changed tag', sealed: () => flipFirstByteOf(sealSecret(kek, 'secret'), 3) },
    { name: 'an unknown version', sealed: () => sealSecret(kek, 'x').replace(/^v1/, 'v2') },
    { name: 'garbage', sealed: () => 'not sealed' },
  ];
  for (const { name, sealed, key } of refusals) {
    it(`refuses ${name} with code secret_unreadable`, () => {
      assert.throws(() => openSecret(key ?? kek, sealed()), (error: unknown) => error instanceof SecretBoxError && error.code === 'secret_unreadable');
    });
  }

  it('refuses a KEK that is not 32 bytes', () => {
    assert.throws(() => sealSecret(randomBytes(16), 'x'), SecretBoxError);
  });
});

/** Flips one bit in the first byte of part `index` of the sealed string. */
function flipFirstByteOf(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index], 'base64url');
  bytes[0] ^= 1;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}
