import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../../src/identity/passwords.ts';

describe('argon2id password hashes', () => {
  it('are PHC strings with the OWASP parameters and a 16-byte salt', async () => {
    const hash = await hashPassword('correct horse battery staple');
    const match = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(hash);
    assert.ok(match, hash);
    assert.equal(Buffer.from(match[1], 'base64').length, 16);
    assert.equal(Buffer.from(match[2], 'base64').length, 32);
    assert.notEqual(await hashPassword('correct horse battery staple'), hash, 'a fresh salt every time');
  });

  it('verify the right password and refuse a wrong one', async () => {
    const hash = await hashPassword('alice-password');
    assert.equal(await verifyPassword(hash, 'alice-password'), true);
    assert.equal(await verifyPassword(hash, 'alice-passwore'), false);
    assert.equal(await verifyPassword(hash, ''), false);
  });

  it('verify with the parameters stored in the hash (old hashes keep working after a cost change)', async () => {
    // RFC 9106 test parameters differ from ours; a hash made with m=8192,t=3 must still verify.
    const { argon2Sync } = await import('node:crypto');
    const salt = Buffer.from('0123456789abcdef');
    const tag = argon2Sync('argon2id', { message: 'pw-12345678', nonce: salt, memory: 8192, passes: 3, parallelism: 1, tagLength: 32 });
    const hash = `$argon2id$v=19$m=8192,t=3,p=1$${salt.toString('base64').replace(/=+$/, '')}$${tag.toString('base64').replace(/=+$/, '')}`;
    assert.equal(await verifyPassword(hash, 'pw-12345678'), true);
    assert.equal(await verifyPassword(hash, 'pw-12345679'), false);
  });

  it('refuse unreadable or absurd hashes instead of throwing', async () => {
    for (const hash of ['', 'plain', '$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA', '$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA']) {
      assert.equal(await verifyPassword(hash, 'x'), false, hash);
    }
  });

  it('dummy verification (unknown users) always fails', async () => {
    assert.equal(await verifyAgainstDummy('anything'), false);
    assert.equal(await verifyAgainstDummy(''), false);
  });
});
