import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jwtVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { runCli } from './run-cli.ts';

const workDir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

interface GeneratedKey {
  privatePath: string;
  jwksPath: string;
  kid: string;
}

async function generateKey(alg: string, outDir: string, kid?: string): Promise<GeneratedKey> {
  const result = await runCli(['keys', 'generate', '--alg', alg, '--out', outDir, ...(kid ? ['--kid', kid] : [])]);
  assert.equal(result.code, 0, result.stderr);
  const line = (label: string) => result.stdout.split('\n').find((l) => l.startsWith(label))!.slice(label.length).trim();
  return { privatePath: line('private key:'), jwksPath: line('public JWKS:'), kid: line('kid:') };
}

describe('gatehouse keys generate → token mint → token decode', () => {
  for (const alg of ['RS256', 'ES256', 'EdDSA']) {
    it(`${alg}: writes a 0600 private JWK and a public JWKS the minted token verifies against`, async () => {
      const outDir = join(workDir, alg);
      const key = await generateKey(alg, outDir);
      assert.equal(key.privatePath, join(outDir, `${key.kid}.private.jwk.json`));
      assert.equal(key.jwksPath, join(outDir, 'jwks.json'));
      assert.equal(statSync(key.privatePath).mode & 0o777, 0o600);

      const jwks = JSON.parse(readFileSync(key.jwksPath, 'utf8')) as JSONWebKeySet;
      assert.equal(jwks.keys.length, 1);
      assert.deepEqual({ kid: jwks.keys[0].kid, alg: jwks.keys[0].alg, use: jwks.keys[0].use }, { kid: key.kid, alg, use: 'sig' });
      assert.equal(jwks.keys[0].d, undefined, 'the public set must not contain the private part');

      const claims = { iss: 'https://issuer.test', sub: 'alice', aud: 'demo-api', role: 'admin' };
      const mint = await runCli(['token', 'mint', '--key', key.privatePath, '--claims', JSON.stringify(claims), '--expires-in', '2h']);
      assert.equal(mint.code, 0, mint.stderr);
      const token = mint.stdout.trim();

      const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: 'https://issuer.test', audience: 'demo-api' });
      assert.equal(protectedHeader.alg, alg);
      assert.equal(protectedHeader.kid, key.kid);
      assert.equal(payload.role, 'admin');
      assert.equal(payload.exp! - payload.iat!, 7200);

      const decoded = await runCli(['token', 'decode', token]);
      assert.equal(decoded.code, 0, decoded.stderr);
      const output = JSON.parse(decoded.stdout);
      assert.equal(output.header.alg, alg);
      assert.equal(output.payload.sub, 'alice');
      assert.equal(output.dates.exp, new Date(payload.exp! * 1000).toISOString());
      assert.equal(output.dates.iat, new Date(payload.iat! * 1000).toISOString());
      assert.equal(output.expired, false);
      assert.equal(output.signature, 'not verified');
    });
  }

  it('a second key in the same directory joins the published set (rotation overlap)', async () => {
    const outDir = join(workDir, 'rotation');
    await generateKey('RS256', outDir, 'old');
    await generateKey('ES256', outDir, 'new');
    const jwks = JSON.parse(readFileSync(join(outDir, 'jwks.json'), 'utf8')) as JSONWebKeySet;
    assert.deepEqual(jwks.keys.map((k) => k.kid), ['old', 'new']);
  });

  it('refuses to overwrite an existing private key', async () => {
    const outDir = join(workDir, 'no-overwrite');
    await generateKey('ES256', outDir, 'same');
    const again = await runCli(['keys', 'generate', '--alg', 'ES256', '--out', outDir, '--kid', 'same']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists \(ERR_KEY_WRITE_FAILED\)/);
  });

  it('keeps iat and exp when the claims give them', async () => {
    const key = await generateKey('ES256', join(workDir, 'fixed-times'));
    const mint = await runCli(['token', 'mint', '--key', key.privatePath, '--claims', '{"sub":"x","iat":1000,"exp":2000}']);
    const decoded = JSON.parse((await runCli(['token', 'decode', mint.stdout.trim()])).stdout);
    assert.deepEqual([decoded.payload.iat, decoded.payload.exp], [1000, 2000]);
    assert.equal(decoded.dates.exp, '1970-01-01T00:33:20.000Z');
    assert.equal(decoded.expired, true);
  });

  it('decode reads the token from stdin with "-"', async () => {
    const key = await generateKey('EdDSA', join(workDir, 'stdin'));
    const token = (await runCli(['token', 'mint', '--key', key.privatePath, '--claims', '{"sub":"bob"}'])).stdout.trim();
    const decoded = await runCli(['token', 'decode', '-'], { input: `${token}\n` });
    assert.equal(JSON.parse(decoded.stdout).payload.sub, 'bob');
  });
});

describe('gatehouse token mint refuses', () => {
  let rsaKey: GeneratedKey;
  let publicOnlyPath: string;
  before(async () => {
    rsaKey = await generateKey('RS256', join(workDir, 'refusals'));
    const jwks = JSON.parse(readFileSync(rsaKey.jwksPath, 'utf8')) as JSONWebKeySet;
    publicOnlyPath = join(workDir, 'refusals', 'public.jwk.json');
    writeFileSync(publicOnlyPath, JSON.stringify(jwks.keys[0]));
  });

  const cases: { name: string; args: () => string[]; exit: number; stderr: RegExp }[] = [
    { name: 'alg none', args: () => ['--key', rsaKey.privatePath, '--alg', 'none'], exit: 1, stderr: /unsigned token .*ERR_ALG_NONE_REFUSED/ },
    { name: 'alg NONE in any case', args: () => ['--key', rsaKey.privatePath, '--alg', 'NONE'], exit: 1, stderr: /ERR_ALG_NONE_REFUSED/ },
    { name: 'a public-only key', args: () => ['--key', publicOnlyPath], exit: 1, stderr: /public key only.*ERR_KEY_NOT_PRIVATE/ },
    { name: 'an algorithm the key cannot make (RSA key, HS256)', args: () => ['--key', rsaKey.privatePath, '--alg', 'HS256'], exit: 1, stderr: /HS256 cannot be used with this RSA key.*ERR_ALG_KEY_MISMATCH/ },
    { name: 'an RSA key asked for ES256', args: () => ['--key', rsaKey.privatePath, '--alg', 'ES256'], exit: 1, stderr: /ERR_ALG_KEY_MISMATCH/ },
    { name: 'a missing key file', args: () => ['--key', join(workDir, 'nope.json')], exit: 1, stderr: /cannot read a JWK.*ERR_KEY_UNREADABLE/ },
    { name: 'claims that are not JSON', args: () => ['--key', rsaKey.privatePath, '--claims', '{sub:'], exit: 2, stderr: /--claims is not valid JSON/ },
    { name: 'claims that are an array', args: () => ['--key', rsaKey.privatePath, '--claims', '[1]'], exit: 2, stderr: /--claims must be a JSON object/ },
    { name: 'a zero --expires-in', args: () => ['--key', rsaKey.privatePath, '--expires-in', '0s'], exit: 2, stderr: /--expires-in must be a duration/ },
    { name: 'a malformed --expires-in', args: () => ['--key', rsaKey.privatePath, '--expires-in', 'soon'], exit: 2, stderr: /--expires-in must be a duration like/ },
  ];
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const args = testCase.args();
      const withClaims = args.includes('--claims') ? args : [...args, '--claims', '{"sub":"alice"}'];
      const result = await runCli(['token', 'mint', ...withClaims]);
      assert.equal(result.code, testCase.exit, result.stderr);
      assert.match(result.stderr, testCase.stderr);
      assert.equal(result.stdout, '', 'no token is printed');
    });
  }
});

describe('gatehouse token decode', () => {
  it('exits 1 on something that is not a JWT', async () => {
    const result = await runCli(['token', 'decode', 'not-a-token']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not a decodable JWT.*ERR_TOKEN_MALFORMED/);
  });

  it('exits 2 without a token', async () => {
    const result = await runCli(['token', 'decode']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing argument: TOKEN/);
    assert.match(result.stderr, /gatehouse token decode --help/);
  });
});
