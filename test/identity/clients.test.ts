// OAuth clients in the store: config sync (config wins, dropped config clients leave), the rules
// a client must follow, and the metadata oidc-provider receives (secret decrypted only there).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { addClient, listClients, readClientDocument, syncConfiguredClients, toProviderMetadata, validateClientSpec, type ClientSpec } from '../../src/identity/clients.ts';
import { openTempStore, T0, type TempStore } from './temp-store.ts';

const kek = randomBytes(32);
const web: ClientSpec = {
  clientId: 'web',
  clientSecret: 'web-secret-0123456789',
  name: 'Web app',
  public: false,
  trusted: true,
  redirectUris: ['https://app.example.com/cb'],
  postLogoutRedirectUris: ['https://app.example.com/'],
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid', 'profile', 'orders:read'],
  resources: ['https://orders.example.com'],
};
const m2m: ClientSpec = { ...web, clientId: 'm2m', trusted: false, redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'] };

let temp: TempStore;
before(async () => {
  temp = await openTempStore();
});
after(() => temp.cleanup());

describe('clients', () => {
  it('syncConfiguredClients: config wins for its ids and removes config clients no longer listed, keeping admin ones', async () => {
    await syncConfiguredClients(temp.store, [web, m2m], kek, T0);
    await addClient(temp.store, { ...m2m, clientId: 'added', clientSecret: undefined }, kek, T0);
    await syncConfiguredClients(temp.store, [{ ...web, name: 'Renamed' }], kek, T0 + 1);
    const clients = await listClients(temp.store);
    assert.deepEqual(clients.map((client) => [client.clientId, client.origin]).sort(), [['added', 'admin'], ['web', 'config']]);
    assert.equal(clients.find((client) => client.clientId === 'web')?.name, 'Renamed');
    assert.ok(!JSON.stringify(clients).includes('web-secret-0123456789'), 'secrets are sealed in the store');
  });

  it('toProviderMetadata: RFC 7591 names, the secret opened, Gatehouse extras', async () => {
    const record = await temp.store.clients.find('web');
    assert.ok(record);
    assert.deepEqual(toProviderMetadata(readClientDocument(record), kek), {
      client_id: 'web',
      client_secret: 'web-secret-0123456789',
      client_name: 'Renamed',
      redirect_uris: ['https://app.example.com/cb'],
      post_logout_redirect_uris: ['https://app.example.com/'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'openid profile orders:read',
      gatehouse_trusted: true,
      gatehouse_resources: ['https://orders.example.com'],
    });
    const spa = await addClient(temp.store, { ...web, clientId: 'spa', clientSecret: undefined, public: true }, kek, T0);
    assert.equal(spa.clientSecret, undefined);
    const metadata = toProviderMetadata(spa.document, kek);
    assert.equal(metadata.token_endpoint_auth_method, 'none');
    assert.equal('client_secret' in metadata, false);
  });

  const rules: Array<[string, Partial<ClientSpec>, string]> = [
    ['a public client with a secret', { public: true }, 'clientSecret: a public client has no secret'],
    ['a public client_credentials client', { public: true, clientSecret: undefined, grantTypes: ['client_credentials'], redirectUris: [] }, 'grantTypes: client_credentials needs a confidential client (RFC 6749 §4.4)'],
    ['a code client without redirect URIs', { redirectUris: [] }, 'redirectUris: authorization_code needs at least one redirect URI'],
    ['refresh without code', { grantTypes: ['refresh_token', 'client_credentials'], redirectUris: [] }, 'grantTypes: refresh_token comes with authorization_code'],
    ['an unknown grant', { grantTypes: ['password' as never] , redirectUris: [] }, 'grantTypes: unknown grant type "password" (authorization_code, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:token-exchange)'],
    ['a relative redirect URI', { redirectUris: ['/cb'] }, 'redirectUris: "/cb" is not an absolute http(s) URL'],
    ['a short secret', { clientSecret: 'short' }, 'clientSecret: a client secret needs at least 12 characters'],
    ['an 11-character secret', { clientSecret: 'eleven-char' }, 'clientSecret: a client secret needs at least 12 characters'],
    ['a bad client id', { clientId: 'has space' }, 'clientId: must be 1-128 letters, digits, ".", "_", ":" or "-"'],
    ['no scopes (oidc-provider refuses scope "")', { scopes: [] }, 'scopes: a client needs at least one scope (e.g. openid to sign users in, or a resource scope)'],
  ];
  for (const [name, change, expected] of rules) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(validateClientSpec({ ...web, ...change }).map(({ field, message }) => `${field}: ${message}`), [expected]);
    });
  }

  it('accepts a 12-character secret and the demo secret demo-m2m-secret (15)', () => {
    assert.deepEqual(validateClientSpec({ ...web, clientSecret: 'twelve-chars' }), []);
    assert.deepEqual(validateClientSpec({ ...web, clientSecret: 'demo-m2m-secret' }), []);
  });
});
