// The IdentityService example in docs/login.md is a configuration the identity service loads,
// and the consent texts it promises are the ones the configuration carries.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadIdentityConfig } from '../../src/identity/identity-config.ts';

const doc = readFileSync(new URL('../../docs/login.md', import.meta.url), 'utf8');
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]);
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-login-doc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('docs/login.md has one IdentityService example, and it loads', async () => {
  assert.equal(yamlBlocks.length, 1);
  const file = join(dir, 'identity.yaml');
  writeFileSync(file, yamlBlocks[0]);
  const config = await loadIdentityConfig(file, { GATEHOUSE_IDENTITY_KEK: 'a passphrase of sixteen+ characters' });
  assert.deepEqual(config.resources[0].scopes, { 'orders:read': 'Read your orders', 'orders:write': 'Place and change your orders' });
  assert.equal(config.resources[0].name, 'Order service');
  const byId = new Map(config.clients.map((client) => [client.clientId, client]));
  assert.equal(byId.get('pet-shop')?.trusted, false);
  assert.equal(byId.get('pet-shop')?.name, 'Pet Shop');
  assert.equal(byId.get('portal')?.trusted, true);
  assert.equal(config.lockout.maxFailures, 5);
  assert.equal(config.lockout.lockoutSeconds, 60);
  assert.deepEqual(config.trustedProxies, ['127.0.0.1/32']);
});
