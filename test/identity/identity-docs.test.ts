// docs/identity.md's example IdentityService is real: it loads, and a service started from it
// (on a free loopback port and a temp store) issues the documented client-credentials token.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadIdentityConfig } from '../../src/identity/identity-config.ts';
import { startIdentityService } from '../../src/identity/start-identity.ts';
import { basic, decodeJwt, postForm, reservePort } from './oidc-fixture.ts';

const ENV = {
  GATEHOUSE_IDENTITY_KEK: 'a passphrase of sixteen characters or more',
  DEMO_WEB_SECRET: 'demo-web-secret-0123456789',
  DEMO_M2M_SECRET: 'demo-m2m-secret-0123456789',
  GATEWAY_CLIENT_SECRET: 'gateway-secret-0123456789',
  GATEHOUSE_ADMIN_TOKEN: 'admin-token-0123456789',
};

let dir: string;
let file: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-identity-docs-'));
  const page = await readFile(new URL('../../docs/identity.md', import.meta.url), 'utf8');
  const example = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]).find((yaml) => yaml.includes('kind: IdentityService'));
  assert.ok(example, 'the page has an IdentityService example');
  file = join(dir, 'identity.yaml');
  await writeFile(file, example);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('docs/identity.md example', () => {
  it('loads with the documented values', async () => {
    const config = await loadIdentityConfig(file, ENV);
    assert.equal(config.issuer, 'http://127.0.0.1:9000');
    assert.deepEqual(config.storage, { driver: 'sqlite', path: join(dir, 'data', 'identity.db') });
    assert.equal(config.tokens.accessTokenSeconds, 600);
    assert.equal(config.tokens.refreshTokenSeconds, 14 * 86_400);
    assert.equal(config.keys.algorithm, 'RS256');
    assert.deepEqual(config.clients.map((client) => client.clientId), ['demo-web', 'demo-spa', 'demo-m2m', 'gateway']);
    assert.equal(config.resources[0].accessTokenSeconds, 300);
  });

  it('serves the documented client-credentials request', async () => {
    const loaded = await loadIdentityConfig(file, ENV);
    const port = await reservePort();
    const config = { ...loaded, issuer: `http://127.0.0.1:${port}`, listen: { host: '127.0.0.1', port }, revocation: undefined };
    const service = await startIdentityService(config);
    try {
      const { status, body } = await postForm(
        `${service.url}/token`,
        { grant_type: 'client_credentials', resource: 'https://orders.example.com', scope: 'orders:read' },
        basic('demo-m2m', ENV.DEMO_M2M_SECRET),
      );
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.expires_in, 300);
      const { header, payload } = decodeJwt(String(body.access_token));
      assert.equal(header.alg, 'RS256');
      assert.equal(header.typ, 'at+jwt');
      assert.equal(payload.aud, 'https://orders.example.com');
    } finally {
      await service.close();
    }
  });
});
