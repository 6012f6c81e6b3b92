// The `gatehouse ca` contract scripts rely on, exercised as a subprocess.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CA_SUBCOMMAND_HELP } from '../../src/cli/ca-help.ts';
import { openssl } from './ca-fixture.ts';
import { runCaCli } from './run-ca-cli.ts';

let work: string;
let dir: string;
// The default: no passphrase in the environment, so `init` generates DIR/passphrase.
const NO_ENV = { GATEHOUSE_CA_PASSPHRASE: undefined };

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'gatehouse-ca-cli-'));
  dir = join(work, 'ca');
  const init = await runCaCli(['init', '--dir', dir, '--trust-domain', 'example.org'], NO_ENV);
  assert.equal(init.code, 0, init.stderr);
});
after(() => rm(work, { recursive: true, force: true }));

const opensslVerify = (chainFile: string, ...extra: string[]) =>
  openssl(['verify', ...extra, '-CAfile', join(dir, 'bundle.pem'), '-untrusted', chainFile, chainFile]);

test('init writes bundle.pem and, without GATEHOUSE_CA_PASSPHRASE, a 0600 passphrase file with a warning', async () => {
  assert.match(await readFile(join(dir, 'bundle.pem'), 'utf8'), /^-----BEGIN CERTIFICATE-----/);
  assert.equal((await stat(join(dir, 'passphrase'))).mode & 0o777, 0o600);
  const again = await runCaCli(['init', '--dir', dir, '--trust-domain', 'example.org'], NO_ENV);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already holds a CA.*\(ERR_CA_EXISTS\)/);

  const envDir = join(work, 'env-ca');
  const withEnv = await runCaCli(['init', '--dir', envDir, '--trust-domain', 'example.org'], { GATEHOUSE_CA_PASSPHRASE: 'from the environment' });
  assert.equal(withEnv.code, 0);
  assert.doesNotMatch(withEnv.stderr, /warning/);
  await assert.rejects(stat(join(envDir, 'passphrase')), { code: 'ENOENT' });
  const locked = await runCaCli(['issue', '--dir', envDir, '--spiffe-id', 'spiffe://example.org/ns/a/sa/b', '--out', join(work, 'locked')], NO_ENV);
  assert.equal(locked.code, 1);
  assert.match(locked.stderr, /ERR_CA_PASSPHRASE_MISSING/);
  const wrong = await runCaCli(['issue', '--dir', envDir, '--spiffe-id', 'spiffe://example.org/ns/a/sa/b', '--out', join(work, 'locked')], { GATEHOUSE_CA_PASSPHRASE: 'wrong' });
  assert.match(wrong.stderr, /ERR_CA_KEY_LOCKED/);
});

test('issue prints only the serial and writes PREFIX.key.pem (0600) and PREFIX.crt.pem (leaf, intermediate)', async () => {
  const prefix = join(work, 'orders');
  const issued = await runCaCli(
    ['issue', '--dir', dir, '--spiffe-id', 'spiffe://example.org/ns/shop/sa/orders', '--dns', 'orders.shop.svc', '--dns', 'orders', '--ttl', '1h', '--out', prefix],
    NO_ENV,
  );
  assert.equal(issued.code, 0, issued.stderr);
  assert.match(issued.stdout, /^[0-9a-f]{32}\n$/);
  const serial = issued.stdout.trim();
  assert.equal((await stat(`${prefix}.key.pem`)).mode & 0o777, 0o600);
  const chain = await readFile(`${prefix}.crt.pem`, 'utf8');
  assert.equal(chain.match(/BEGIN CERTIFICATE/g)?.length, 2);
  assert.equal(chain.slice(chain.lastIndexOf('-----BEGIN')), await readFile(join(dir, 'intermediate.crt.pem'), 'utf8'));

  const verified = await opensslVerify(`${prefix}.crt.pem`);
  assert.ok(verified.ok, verified.output);
  const text = (await openssl(['x509', '-in', `${prefix}.crt.pem`, '-noout', '-text', '-dates', '-serial'])).output;
  assert.match(text, /URI:spiffe:\/\/example\.org\/ns\/shop\/sa\/orders, DNS:orders\.shop\.svc, DNS:orders/);
  assert.match(text, new RegExp(`serial=${serial.toUpperCase()}`));
  const notAfter = new Date(/notAfter=(.+)/.exec(text)?.[1] ?? '');
  assert.ok(Math.abs(notAfter.getTime() - (Date.now() + 3600_000)) < 120_000, `notAfter ${notAfter.toISOString()} is about an hour away`);

  const listing = await runCaCli(['list', '--dir', dir], NO_ENV);
  assert.match(listing.stdout, new RegExp(`${serial}\\s+valid\\s+\\S+\\s+spiffe://example.org/ns/shop/sa/orders\\s+orders.shop.svc,orders`));
});

test('issue --csr certifies the workload key and writes no key file', async () => {
  const prefix = join(work, 'csr-workload');
  await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(work, 'own.key.pem'), '-out', join(work, 'own.csr'), '-subj', '/CN=own']);
  const issued = await runCaCli(['issue', '--dir', dir, '--spiffe-id', 'spiffe://example.org/ns/shop/sa/csr', '--csr', join(work, 'own.csr'), '--out', prefix], NO_ENV);
  assert.equal(issued.code, 0, issued.stderr);
  await assert.rejects(stat(`${prefix}.key.pem`), { code: 'ENOENT' });
  assert.ok((await opensslVerify(`${prefix}.crt.pem`)).ok);
});

test('revoke puts the serial on the CRL that "ca crl" prints; openssl then refuses the leaf', async () => {
  const prefix = join(work, 'doomed');
  const serial = (await runCaCli(['issue', '--dir', dir, '--spiffe-id', 'spiffe://example.org/ns/shop/sa/doomed', '--out', prefix], NO_ENV)).stdout.trim();
  const revoked = await runCaCli(['revoke', '--dir', dir, serial], NO_ENV);
  assert.equal(revoked.code, 0, revoked.stderr);
  const crl = await runCaCli(['crl', '--dir', dir], NO_ENV);
  assert.equal(crl.code, 0);
  assert.match(crl.stdout, /^-----BEGIN X509 CRL-----/);
  const crlFile = join(work, 'current.crl.pem');
  await writeFile(crlFile, crl.stdout);
  const refused = await opensslVerify(`${prefix}.crt.pem`, '-crl_check', '-CRLfile', crlFile);
  assert.equal(refused.ok, false);
  assert.match(refused.output, /certificate revoked/);
  const unknown = await runCaCli(['revoke', '--dir', dir, 'abcdef'], NO_ENV);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /ERR_SERIAL_UNKNOWN/);
});

test('rotate switches the signer and leaves earlier leaves valid', async () => {
  const before = join(work, 'before-rotation');
  await runCaCli(['issue', '--dir', dir, '--spiffe-id', 'spiffe://example.org/ns/shop/sa/before', '--out', before], NO_ENV);
  const rotated = await runCaCli(['rotate', '--dir', dir, '--root'], NO_ENV);
  assert.equal(rotated.code, 0, rotated.stderr);
  assert.match(rotated.stdout, /signing intermediate: [0-9a-f]{32}/);
  const afterRotation = join(work, 'after-rotation');
  await runCaCli(['issue', '--dir', dir, '--spiffe-id', 'spiffe://example.org/ns/shop/sa/after', '--out', afterRotation], NO_ENV);
  for (const prefix of [before, afterRotation]) {
    const verified = await opensslVerify(`${prefix}.crt.pem`);
    assert.ok(verified.ok, `${prefix}: ${verified.output}`);
  }
});

test('--help everywhere; usage errors exit 2; refused requests exit 1 with a stable code', async () => {
  const top = await runCaCli(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /^Usage: gatehouse ca <subcommand>/);
  for (const name of Object.keys(CA_SUBCOMMAND_HELP)) {
    const help = await runCaCli([name, '--help']);
    assert.equal(help.code, 0, name);
    assert.match(help.stdout, new RegExp(`^Usage: gatehouse ca ${name}`), name);
  }
  const cases: [string[], number, RegExp][] = [
    [['issue', '--spiffe-id', 'spiffe://example.org/ns/a/sa/b', '--out', 'x'], 2, /missing required option --dir/],
    [['issue', '--dir', dir, '--out', 'x'], 2, /missing required option --spiffe-id/],
    [['issue', '--dir', dir, '--spiffe-id', 'spiffe://example.org/ns/a/sa/b', '--out', 'x', '--ttl', 'soon'], 2, /--ttl must be a duration/],
    [['issue', '--dir', dir, '--spiffe-id', 'spiffe://example.org/ns/a/sa/b', '--out', 'x', '--dns'], 2, /--dns needs a value/],
    [['issue', '--dir', dir, '--spiffe-id', 'spiffe://other.org/ns/a/sa/b', '--out', 'x'], 1, /ERR_SPIFFE_TRUST_DOMAIN_MISMATCH/],
    [['issue', '--dir', dir, '--spiffe-id', 'spiffe://example.org/ns/a/', '--out', 'x'], 1, /trailing "\/".*ERR_SPIFFE_ID_INVALID/],
    [['issue', '--dir', dir, '--spiffe-id', 'spiffe://example.org/ns/a/sa/b', '--out', 'x', '--csr', join(work, 'missing.csr')], 1, /ERR_CSR_UNREADABLE/],
    [['revoke', '--dir', dir], 2, /missing argument: SERIAL/],
    [['crl', '--dir', join(work, 'nowhere')], 1, /holds no CA.*ERR_CA_NOT_INITIALIZED/],
    [['frobnicate'], 2, /unknown subcommand "frobnicate"/],
  ];
  for (const [args, code, stderr] of cases) {
    const result = await runCaCli(args, NO_ENV);
    assert.equal(result.code, code, args.join(' '));
    assert.match(result.stderr, stderr, args.join(' '));
  }
});
