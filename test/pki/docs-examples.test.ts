// The YAML examples of docs/pki.md load as they are written: the IdentityService with a `ca:`
// block, and the Gateway whose HTTPS listener takes its certificate from the CA.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.ts';
import { loadIdentityConfig } from '../../src/identity/identity-config.ts';

async function yamlBlocks(): Promise<string[]> {
  const text = await readFile(new URL('../../docs/pki.md', import.meta.url), 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]);
}

test('docs/pki.md: the IdentityService ca: example and the CA-issued listener example load', async () => {
  const blocks = await yamlBlocks();
  const identityYaml = blocks.find((block) => block.includes('kind: IdentityService'));
  const gatewayYaml = blocks.find((block) => block.includes('gatehouse.dev/certificate-ca-dir'));
  assert.ok(identityYaml && gatewayYaml);
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-pki-docs-'));
  try {
    await writeFile(join(dir, 'identity.yaml'), identityYaml);
    const config = await loadIdentityConfig(join(dir, 'identity.yaml'), {
      GATEHOUSE_IDENTITY_KEK: 'a key-encryption key for the docs test',
      ORDERS_BOOTSTRAP_SECRET: 'a client secret for the docs test',
    });
    assert.deepEqual(config.ca, {
      audience: 'http://127.0.0.1:9000/ca',
      maxTtlSeconds: 86_400,
      clients: [{ clientId: 'orders-bootstrap', spiffeIds: ['spiffe://cluster.local/ns/shop/*'], dnsNames: ['orders.shop.svc'] }],
    });
    const gatewayDir = join(dir, 'gateway');
    await mkdir(gatewayDir);
    await writeFile(join(gatewayDir, 'gateway.yaml'), gatewayYaml);
    const [listener] = loadConfig(gatewayDir).listeners;
    assert.equal(listener.caCertificate?.dir, join(gatewayDir, 'ca'));
    assert.deepEqual(listener.caCertificate?.dnsNames, ['gateway.example.internal', 'localhost']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
