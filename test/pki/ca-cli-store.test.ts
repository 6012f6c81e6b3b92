// `gatehouse ca … --config IDENTITY.yaml`: the same commands and output contract as --dir, on
// the identity service's store (SQLite and PostgreSQL), plus one-time join tokens.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { consumeJoinToken } from '../../src/pki/join-tokens.ts';
import { openStore } from '../../src/store/open-store.ts';
import { openssl } from './ca-fixture.ts';
import { runCaCli } from './run-ca-cli.ts';
import { POSTGRES_URL } from './store-fixture.ts';

let work: string;
const schema = `ca_cli_${randomBytes(6).toString('hex')}`;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'gatehouse-ca-config-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

async function identityConfig(name: string, storage: string): Promise<string> {
  const file = join(work, `${name}.yaml`);
  await writeFile(
    file,
    `apiVersion: gatehouse.dev/v1alpha1
kind: IdentityService
metadata: { name: ${name} }
spec:
  issuer: http://127.0.0.1:9000
  keyEncryptionKey: { value: "${randomBytes(32).toString('base64')}" }
  storage:
${storage}
`,
  );
  return file;
}

const storages = {
  sqlite: '    sqlite: { path: ./sqlite/identity.db }',
  postgres: `    postgres: { url: { value: "${POSTGRES_URL}" }, schema: ${schema} }`,
};

for (const [driver, storage] of Object.entries(storages)) {
  test(`ca init/issue/revoke/crl/bundle/list on the ${driver} identity store`, async () => {
    const config = await identityConfig(driver, storage);
    const init = await runCaCli(['init', '--config', config, '--trust-domain', 'example.org']);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /trust bundle: http:\/\/127\.0\.0\.1:9000\/ca\/v1\/bundle/);
    const again = await runCaCli(['init', '--config', config, '--trust-domain', 'example.org']);
    assert.match(again.stderr, /already holds a CA.*\(ERR_CA_EXISTS\)/);

    const bundle = await runCaCli(['bundle', '--config', config]);
    assert.match(bundle.stdout, /^-----BEGIN CERTIFICATE-----/);
    const bundleFile = join(work, `${driver}-bundle.pem`);
    await writeFile(bundleFile, bundle.stdout);

    const prefix = join(work, `${driver}-orders`);
    const issued = await runCaCli(['issue', '--config', config, '--spiffe-id', 'spiffe://example.org/ns/shop/sa/orders', '--dns', 'orders', '--out', prefix]);
    assert.equal(issued.code, 0, issued.stderr);
    assert.match(issued.stdout, /^[0-9a-f]{32}\n$/);
    const chainFile = `${prefix}.crt.pem`;
    assert.match(await readFile(`${prefix}.key.pem`, 'utf8'), /BEGIN PRIVATE KEY/);
    const verified = await openssl(['verify', '-CAfile', bundleFile, '-untrusted', chainFile, chainFile]);
    assert.ok(verified.ok, verified.output);

    const serial = issued.stdout.trim();
    assert.equal((await runCaCli(['revoke', '--config', config, serial])).stdout, `revoked ${serial}\n`);
    const crl = await runCaCli(['crl', '--config', config]);
    const crlFile = join(work, `${driver}-crl.pem`);
    await writeFile(crlFile, crl.stdout);
    const refused = await openssl(['verify', '-crl_check', '-CRLfile', crlFile, '-CAfile', bundleFile, '-untrusted', chainFile, chainFile]);
    assert.match(refused.output, /certificate revoked/);
    assert.match((await runCaCli(['list', '--config', config])).stdout, new RegExp(`${serial}\\s+revoked`));
    assert.match((await runCaCli(['rotate', '--config', config])).stdout, /signing intermediate: [0-9a-f]{32}/);
  });
}

test('join-token prints a single-use token for one SPIFFE ID; --dir has no join tokens', async () => {
  const config = await identityConfig('tokens', '    sqlite: { path: ./tokens/identity.db }');
  assert.equal((await runCaCli(['init', '--config', config, '--trust-domain', 'example.org'])).code, 0);
  const created = await runCaCli(['join-token', '--config', config, '--spiffe-id', 'spiffe://example.org/ns/shop/sa/users', '--dns', 'users', '--ttl', '10m']);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^gjt_[A-Za-z0-9_-]{43}\n$/);
  assert.match(created.stderr, /single use/);
  const store = await openStore({ driver: 'sqlite', path: join(work, 'tokens', 'identity.db') });
  try {
    assert.deepEqual(await consumeJoinToken(store.documents, created.stdout.trim()), { spiffeId: 'spiffe://example.org/ns/shop/sa/users', dnsNames: ['users'] });
    await assert.rejects(consumeJoinToken(store.documents, created.stdout.trim()), { code: 'ERR_JOIN_TOKEN_INVALID' });
  } finally {
    await store.close();
  }
  const foreign = await runCaCli(['join-token', '--config', config, '--spiffe-id', 'spiffe://other.org/ns/a/sa/b']);
  assert.match(foreign.stderr, /ERR_SPIFFE_TRUST_DOMAIN_MISMATCH/);
  const withDir = await runCaCli(['join-token', '--dir', work, '--spiffe-id', 'spiffe://example.org/ns/a/sa/b']);
  assert.equal(withDir.code, 2);
  const both = await runCaCli(['list', '--dir', work, '--config', config]);
  assert.match(both.stderr, /name --dir or --config, not both/);
});
