// The demo's identity service: examples/identity/demo.yaml loads as written (its demo secrets
// pass validation), and the demo users are seeded once — a second start on the same store adds
// nothing and the documented credentials work.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { DEMO_IDENTITY_CONFIG, startDemoIdentity } from '../../src/demo/demo-identity.ts';
import { loadIdentityConfig } from '../../src/identity/identity-config.ts';

let dir = '';
let configPath = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-demo-identity-'));
  configPath = join(dir, 'demo.yaml');
  const original = await readFile(DEMO_IDENTITY_CONFIG, 'utf8');
  // Same file, but the store in the temp dir instead of the repository's data/demo/.
  const relocated = original.replace('path: ../../data/demo/identity.db', 'path: ./identity.db');
  assert.notEqual(relocated, original);
  await writeFile(configPath, relocated);
});
after(() => rm(dir, { recursive: true, force: true }));

it('examples/identity/demo.yaml loads: issuer, the two APIs, and the clients with their demo secrets', async () => {
  const config = await loadIdentityConfig(DEMO_IDENTITY_CONFIG);
  assert.equal(config.issuer, 'http://127.0.0.1:9000');
  assert.deepEqual(config.listen, { host: '127.0.0.1', port: 9000 });
  assert.deepEqual(config.resources.map((resource) => resource.identifier), ['https://users.demo.gatehouse.dev', 'https://orders.demo.gatehouse.dev']);
  const m2m = config.clients.find((client) => client.clientId === 'demo-m2m');
  assert.equal(m2m?.clientSecret, 'demo-m2m-secret');
  assert.deepEqual(m2m?.grantTypes, ['client_credentials']);
  assert.deepEqual(config.clients.map((client) => client.clientId), ['demo-m2m', 'gateway', 'gateway-web']);
  assert.equal(config.revocation, undefined, 'no Redis needed');
  assert.match(config.storage.driver === 'sqlite' ? config.storage.path : '', /data\/demo\/identity\.db$/);
});

it('seeds alice and bob once; a restart on the same store keeps them and their passwords work', async () => {
  for (let start = 0; start < 2; start += 1) {
    const demo = await startDemoIdentity({ configPath, port: 0 });
    try {
      const users = await demo.service.store.users.list();
      assert.deepEqual(
        users.map((user) => [user.username, user.roles]).sort(),
        [['alice', ['user']], ['bob', ['admin']]],
      );
      for (const [username, password] of [['alice', 'alice-password'], ['bob', 'bob-password']]) {
        const response = await fetch(`${demo.service.url}/api/tokens`, { headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } });
        assert.equal(response.status, 200, `${username} signs in with the documented password`);
        await response.body?.cancel();
      }
    } finally {
      await demo.service.close();
    }
  }
});
