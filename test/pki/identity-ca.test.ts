// The CA endpoints mounted on the real identity service (IdentityService `ca:` block): a workload
// gets its certificate with a client-credentials token this service issued for the CA audience,
// through the SDK; a client not listed in ca.clients, or a token for another audience, is refused.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { clientCredentials, workloadIdentityFromCa, type WorkloadIdentity } from '../../packages/sdk/src/index.ts';
import { loadIdentityConfig } from '../../src/identity/identity-config.ts';
import { startIdentityService, type IdentityService } from '../../src/identity/start-identity.ts';
import { runCaCli } from './run-ca-cli.ts';

const ISSUER = 'http://127.0.0.1:9000';
const CA_AUDIENCE = `${ISSUER}/ca`;
const SECRET = 'bootstrap-secret-for-tests';
let work: string;
let service: IdentityService;
const identities: WorkloadIdentity[] = [];

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'gatehouse-identity-ca-'));
  const configFile = join(work, 'identity.yaml');
  await writeFile(
    configFile,
    `apiVersion: gatehouse.dev/v1alpha1
kind: IdentityService
metadata: {name: identity}
spec:
  issuer: ${ISSUER}
  keyEncryptionKey: {value: "identity CA test key-encryption key"}
  storage: {sqlite: {path: ./identity.db}}
  keys: {algorithm: ES256}
  resources:
  - identifier: ${CA_AUDIENCE}
    scopes: {"ca:sign": "Obtain workload certificates"}
  - identifier: https://users.internal
    scopes: {"users:read": "Read users"}
  clients:
  - clientId: orders-bootstrap
    clientSecret: {value: ${SECRET}}
    grantTypes: [client_credentials]
    scopes: ["ca:sign", "users:read"]
    resources: [${CA_AUDIENCE}, https://users.internal]
  - clientId: stranger
    clientSecret: {value: ${SECRET}}
    grantTypes: [client_credentials]
    scopes: ["ca:sign"]
    resources: [${CA_AUDIENCE}]
  ca:
    clients:
    - clientId: orders-bootstrap
      spiffeIds: ["spiffe://cluster.local/ns/shop/*"]
      dnsNames: [orders.shop.svc]
`,
  );
  const init = await runCaCli(['init', '--config', configFile, '--trust-domain', 'cluster.local']);
  assert.equal(init.code, 0, init.stderr);
  const config = await loadIdentityConfig(configFile);
  service = await startIdentityService({ ...config, listen: { host: '127.0.0.1', port: 0 } });
});
after(async () => {
  for (const identity of identities) identity.close();
  await service?.close();
  await rm(work, { recursive: true, force: true });
});

function tokens(clientId: string, audience: string) {
  const client = clientCredentials({ tokenUrl: `${service.url}/token`, clientId, clientSecret: SECRET, audienceParameter: 'resource' });
  return () => client.token({ audience });
}

function workload(accessToken: () => Promise<string>, spiffeId: string, dnsNames: string[] = []) {
  const identity = workloadIdentityFromCa({ caUrl: service.url, accessToken, spiffeId, dnsNames });
  identities.push(identity);
  return identity;
}

test('a client listed in ca.clients gets a certificate for an allowed SPIFFE ID with its client-credentials token', async () => {
  const identity = workload(tokens('orders-bootstrap', CA_AUDIENCE), 'spiffe://cluster.local/ns/shop/sa/orders', ['orders.shop.svc']);
  await identity.ready;
  assert.equal(identity.current().spiffeId, 'spiffe://cluster.local/ns/shop/sa/orders');
  assert.match(identity.current().bundlePem, /BEGIN CERTIFICATE/);
  assert.ok(identity.current().crlPems.length >= 2, 'root and intermediate CRLs');
  await identity.renew();
  assert.equal(identity.current().version, 2);
});

test('refused: a SPIFFE ID outside the client rule, a client without CA rights, a token for another audience', async () => {
  const cases: [string, WorkloadIdentity, string][] = [
    ['outside the rule', workload(tokens('orders-bootstrap', CA_AUDIENCE), 'spiffe://cluster.local/ns/bank/sa/vault'), 'ERR_CA_CALLER_NOT_ALLOWED'],
    ['DNS name not allowed', workload(tokens('orders-bootstrap', CA_AUDIENCE), 'spiffe://cluster.local/ns/shop/sa/orders', ['bank.svc']), 'ERR_CA_CALLER_NOT_ALLOWED'],
    ['client without CA rights', workload(tokens('stranger', CA_AUDIENCE), 'spiffe://cluster.local/ns/shop/sa/orders'), 'ERR_CA_CALLER_NOT_ALLOWED'],
    ['token for another audience', workload(tokens('orders-bootstrap', 'https://users.internal'), 'spiffe://cluster.local/ns/shop/sa/orders'), 'ERR_CA_TOKEN_INVALID'],
  ];
  for (const [label, identity, caError] of cases) {
    await assert.rejects(identity.ready, { code: 'ERR_GATEHOUSE_CA_REFUSED', caError }, label);
  }
});
