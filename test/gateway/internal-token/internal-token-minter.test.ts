// The minter's cache: one signature per (identity, audience) until three quarters of the
// lifetime passed, never outliving the caller's own token; and key files that cannot sign.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeJwt } from 'jose';
import { GatewaySigningKeys, loadSigningKey } from '../../../src/gateway/internal-token/gateway-signing-keys.ts';
import { InternalTokenMinter } from '../../../src/gateway/internal-token/internal-token-minter.ts';
import type { Identity } from '../../../src/model/identity.ts';

const T0 = 1_800_000_000_000;
const gatewayIdentity = { issuer: 'https://gw.test', tokenLifetimeSeconds: 60 };
const identity = (claims: Record<string, unknown> = {}, expiresAt?: number): Identity => ({
  issuer: 'https://issuer.test',
  subject: 'alice',
  principal: 'https://issuer.test/alice',
  audiences: ['api'],
  claims: { sub: 'alice', ...claims },
  providerId: 'p',
  tokenKind: 'jwt',
  expiresAt,
});

test('cached per (identity, audience) until 3/4 of the lifetime, then signed again', () => {
  const minter = new InternalTokenMinter(gatewayIdentity, new GatewaySigningKeys().keyFor(undefined));
  const alice = identity();
  const first = minter.tokenFor(alice, 'orders', T0);
  assert.equal(minter.tokenFor(alice, 'orders', T0 + 44_000), first);
  assert.notEqual(minter.tokenFor(alice, 'users', T0), first);
  assert.notEqual(minter.tokenFor(identity(), 'orders', T0), first, 'another identity object, another token');
  const renewed = minter.tokenFor(alice, 'orders', T0 + 45_000);
  assert.notEqual(renewed, first);
  assert.equal(decodeJwt(renewed).iat, T0 / 1000 + 45);
});

test("exp never exceeds the caller's token; scp becomes scope", () => {
  const minter = new InternalTokenMinter(gatewayIdentity, new GatewaySigningKeys().keyFor(undefined));
  const payload = decodeJwt(minter.tokenFor(identity({ scp: ['a', 'b'] }, T0 / 1000 + 20), 'orders', T0));
  assert.equal(payload.exp, T0 / 1000 + 20);
  assert.equal(payload.scope, 'a b');
});

test('the generated key stays across generations; a new key file keeps the previous key published', () => {
  const directory = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
  try {
    const keys = new GatewaySigningKeys();
    const generated = keys.keyFor(undefined);
    assert.equal(keys.keyFor(undefined), generated);
    const file = join(directory, 'key.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'file-key' }] }));
    keys.keyFor(file);
    assert.deepEqual(keys.jwks().keys.map((key) => key.kid), ['file-key', generated.kid]);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('key files that cannot sign ES256 are refused without echoing their content', () => {
  const directory = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
  try {
    const cases: Record<string, string> = {
      'public.json': JSON.stringify(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' })),
      'p384.json': JSON.stringify(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' })),
      'garbage.json': 'd: not json',
    };
    for (const [name, content] of Object.entries(cases)) {
      writeFileSync(join(directory, name), content);
      assert.throws(() => loadSigningKey(join(directory, name)), (error: Error) => {
        assert.match(error.message, /signingKeyFile/);
        assert.ok(!error.message.includes(content.slice(0, 20)), `${name}: message must not contain key material`);
        return true;
      });
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
