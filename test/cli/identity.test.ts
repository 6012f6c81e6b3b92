// `gatehouse identity <group> …` as a user runs it: child processes against a SQLite file named
// by an IdentityService config; exit codes, output, and the effect in the store.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiTokenHash } from '../../src/identity/api-token-format.ts';
import { verifyPassword } from '../../src/identity/passwords.ts';
import { openStore } from '../../src/store/open-store.ts';
import { runCli } from './run-cli.ts';

let dir: string;
let config: string;
const env = { GATEHOUSE_TEST_KEK: 'a passphrase that is long enough' };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-identity-'));
  config = join(dir, 'identity.yaml');
  await writeFile(config, `apiVersion: gatehouse.dev/v1alpha1
kind: IdentityService
metadata: { name: identity }
spec:
  issuer: http://127.0.0.1:9000
  storage: { sqlite: { path: ./state/identity.db } }
  keyEncryptionKey: { env: GATEHOUSE_TEST_KEK }
  keys: { algorithm: ES256 }
  resources:
    - identifier: https://orders.example.com
      scopes: { "orders:read": Read your orders }
  clients:
    - clientId: demo-m2m
      clientSecret: { value: demo-m2m-secret-0123 }
      grantTypes: [client_credentials]
      scopes: [orders:read]
`);
});
after(() => rm(dir, { recursive: true, force: true }));

const identity = (args: string[], input?: string) => runCli(['identity', ...args, '--config', config], { input, env });

async function withStore<T>(work: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore({ driver: 'sqlite', path: join(dir, 'state', 'identity.db') });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

describe('gatehouse identity users', () => {
  it('add reads the password from stdin and stores only its argon2id hash', async () => {
    const result = await identity(['users', 'add', 'alice', '--role', 'user', '--role', 'viewer', '--group', 'staff', '--email', 'alice@example.com'], 'alice-password\n');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^created user alice \([0-9a-f-]{36}\)\n$/);
    const alice = await withStore((store) => store.users.findByUsername('alice'));
    assert.deepEqual([alice?.roles, alice?.groups, alice?.email], [['user', 'viewer'], ['staff'], 'alice@example.com']);
    assert.equal(await verifyPassword(alice?.passwordHash ?? '', 'alice-password'), true, 'the final newline is not part of the password');
  });

  it('add --password-stdin works the same; a taken username exits 1 with ERR_USER_EXISTS', async () => {
    assert.equal((await identity(['users', 'add', 'bob', '--password-stdin', '--role', 'admin'], 'bob-password')).code, 0);
    const again = await identity(['users', 'add', 'BOB'], 'bob-password');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /the username "BOB" is taken \(ERR_USER_EXISTS\)/);
  });

  it('refuses a missing or weak password (exit 1) and a password on the command line (exit 2)', async () => {
    const missing = await identity(['users', 'add', 'carol']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /\(ERR_PASSWORD_MISSING\)/);
    const weak = await identity(['users', 'add', 'carol'], 'short');
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /at least 8 characters \(ERR_WEAK_PASSWORD\)/);
    const argv = await identity(['users', 'add', 'carol', '--password', 'carol-password']);
    assert.equal(argv.code, 2);
    assert.match(argv.stderr, /Unknown option '--password'/);
  });

  it('list, disable, enable and set-password', async () => {
    assert.equal((await identity(['users', 'disable', 'alice'])).stdout, 'disabled user alice\n');
    const list = await identity(['users', 'list']);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /^USERNAME +STATUS +ROLES +GROUPS +EMAIL +CREATED\n/);
    assert.match(list.stdout, /\nalice +disabled +user,viewer +staff +alice@example\.com +\d{4}-/);
    assert.match(list.stdout, /\nbob +active +admin +- +- +\d{4}-/);
    assert.equal((await identity(['users', 'enable', 'alice'])).code, 0);
    assert.equal((await identity(['users', 'set-password', 'alice'], 'alice-new-password\n')).stdout, 'password of alice replaced\n');
    const alice = await withStore((store) => store.users.findByUsername('alice'));
    assert.equal(alice?.disabled, false);
    assert.equal(await verifyPassword(alice?.passwordHash ?? '', 'alice-new-password'), true);
    const unknown = await identity(['users', 'disable', 'nobody']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no user "nobody" \(ERR_USER_NOT_FOUND\)/);
  });
});

describe('gatehouse identity clients', () => {
  it('add prints a generated secret once on stdout; list shows no secret; remove deletes', async () => {
    const added = await identity(['clients', 'add', 'reports', '--grant-type', 'client_credentials', '--scope', 'orders:read', '--resource', 'https://orders.example.com']);
    assert.equal(added.code, 0, added.stderr);
    const secret = added.stdout.trim();
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    const spa = await identity(['clients', 'add', 'spa', '--public', '--grant-type', 'authorization_code', '--redirect-uri', 'http://127.0.0.1:3000/cb', '--scope', 'openid']);
    assert.deepEqual([spa.code, spa.stdout], [0, '']);
    const list = await identity(['clients', 'list']);
    assert.match(list.stdout, /\nreports +confidential +no +client_credentials +https:\/\/orders\.example\.com +admin\n/);
    assert.match(list.stdout, /\nspa +public +no +authorization_code +- +admin\n/);
    assert.ok(!list.stdout.includes(secret));
    assert.equal((await identity(['clients', 'remove', 'reports'])).code, 0);
    assert.ok(!(await identity(['clients', 'list'])).stdout.includes('reports'));
  });

  it('refuses invalid clients, duplicates, unknown ones and clients owned by the config file', async () => {
    const invalid = await identity(['clients', 'add', 'bad', '--public', '--grant-type', 'client_credentials']);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /client_credentials needs a confidential client.*\(ERR_INVALID_CLIENT\)/);
    const scopeless = await identity(['clients', 'add', 'scopeless', '--public', '--grant-type', 'authorization_code', '--redirect-uri', 'http://127.0.0.1/cb']);
    assert.equal(scopeless.code, 1);
    assert.match(scopeless.stderr, /scopes: a client needs at least one scope .*\(ERR_INVALID_CLIENT\)/);
    assert.match((await identity(['clients', 'add', 'spa', '--public', '--grant-type', 'authorization_code', '--redirect-uri', 'http://127.0.0.1/cb', '--scope', 'openid'])).stderr, /\(ERR_CLIENT_EXISTS\)/);
    assert.match((await identity(['clients', 'remove', 'nope'])).stderr, /\(ERR_CLIENT_NOT_FOUND\)/);
    const configured = await identity(['clients', 'remove', 'demo-m2m']);
    assert.equal(configured.code, 1);
    assert.match(configured.stderr, /defined in .*identity\.yaml; remove it there \(ERR_CLIENT_IN_CONFIG\)/);
  });
});

describe('gatehouse identity tokens', () => {
  it('create prints the token once; list shows a prefix; revoke revokes', async () => {
    const created = await identity(['tokens', 'create', '--user', 'alice', '--name', 'ci', '--scope', 'orders:read', '--expires-in', '30d']);
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^gat_[0-9A-Za-z]{36}$/);
    const record = await withStore((store) => store.apiTokens.findByHash(apiTokenHash(token)));
    assert.ok(record);
    const list = await identity(['tokens', 'list', '--user', 'alice']);
    assert.match(list.stdout, new RegExp(`\\n${record.id} +alice +ci +${token.slice(0, 8)}… +orders:read +active +\\d{4}-`));
    assert.ok(!list.stdout.includes(token));
    assert.equal((await identity(['tokens', 'revoke', record.id])).stdout, `revoked token ${record.id}\n`);
    assert.match((await identity(['tokens', 'list'])).stdout, / revoked /);
    assert.match((await identity(['tokens', 'revoke', record.id])).stderr, /\(ERR_TOKEN_NOT_FOUND\)/);
    assert.equal((await withStore((store) => store.revocations.active(Math.floor(Date.now() / 1000)))).some((entry) => entry.kind === 'token-hash' && entry.value === apiTokenHash(token)), true);
  });

  it('usage errors exit 2', async () => {
    assert.equal((await identity(['tokens', 'create', '--name', 'x'])).code, 2);
    assert.equal((await identity(['tokens', 'create', '--user', 'alice', '--name', 'x', '--expires-in', 'soon'])).code, 2);
    assert.equal((await identity(['tokens', 'bogus'])).code, 2);
  });
});

describe('gatehouse identity keys', () => {
  it('list before any key, rotate creates the set, a second rotate retires the first key', async () => {
    assert.match((await identity(['keys', 'list'])).stdout, /^no signing keys yet/);
    const first = await identity(['keys', 'rotate']);
    assert.equal(first.code, 0, first.stderr);
    const active = /active key is now (\S+)/.exec(first.stdout)?.[1];
    assert.ok(active);
    await identity(['keys', 'rotate']);
    const list = (await identity(['keys', 'list'])).stdout;
    assert.match(list, /^KID +ALG +STATE +CREATED +ACTIVATED +REMOVE AFTER\n\S+ +ES256 +active .*\n\S+ +ES256 +next .*\n\S+ +ES256 +retired /);
    assert.match(list, new RegExp(`\\n${active} +ES256 +retired `));
  });
});

describe('gatehouse identity (errors and help)', () => {
  it('an invalid config exits 1 naming file, document and field', async () => {
    const result = await runCli(['identity', 'users', 'list', '--config', config], { env: { GATEHOUSE_TEST_KEK: undefined } });
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `gatehouse: invalid configuration (1 problem):\n${config}: document 0 (IdentityService/identity): spec.keyEncryptionKey: environment variable GATEHOUSE_TEST_KEK is not set\n`);
  });

  it('--help prints usage (exit 0); missing --config and unknown groups are usage errors (exit 2)', async () => {
    const help = await runCli(['identity', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: gatehouse identity --config FILE/);
    assert.match((await runCli(['identity', 'users', '--help'])).stdout, /^Usage: gatehouse identity users/);
    const missing = await runCli(['identity', 'users', 'list']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing required option --config\nRun "gatehouse identity users list --help"/);
    assert.equal((await runCli(['identity', 'users', 'nope', '--config', config])).code, 2);
    assert.match((await runCli(['--help'])).stdout, /^ {2}identity /m);
  });
});
