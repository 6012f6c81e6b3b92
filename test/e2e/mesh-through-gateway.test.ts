// The demo's zero-trust path through a real gateway: the gateway reaches the mTLS-only user
// service with its CA-issued client certificate and an internal token for it, which the user
// service verifies; the order service (behind the gateway too) calls the user service directly
// over mTLS with a client-credentials token. A call that bypasses the gateway has neither.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mtlsFetch, workloadIdentityFromFiles } from '../../packages/sdk/src/index.ts';
import { startMeshDemo, type MeshDemo } from '../../src/demo/mesh.ts';
import { loadIdentityConfig } from '../../src/identity/identity-config.ts';
import { startIdentityService, type IdentityService } from '../../src/identity/start-identity.ts';
import { initCertificateAuthority } from '../../src/pki/create-ca.ts';
import { DirectoryCaStore } from '../../src/pki/directory-store.ts';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { startHarness, type Harness } from './gateway-harness.ts';
import { backendDocument, edgeGatewayDocument } from '../support/gateway-documents.ts';

const PASSPHRASE = 'mesh through gateway test passphrase';
const USERS_AUDIENCE = 'https://users.demo.local';
const GATEWAY_ISSUER = 'https://gateway.demo.local';
let work: string;
let caDir: string;
let identity: IdentityService;
let harness: Harness;
let mesh: MeshDemo;

function gatewayConfig(usersUrl: string, ordersUrl: string): string {
  return `apiVersion: gatehouse.dev/v1alpha1
kind: GatewayIdentity
metadata: {name: gateway}
spec:
  issuer: "${GATEWAY_ISSUER}"
---
${edgeGatewayDocument()}
---
apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata: {name: users}
spec:
  endpoints: [{url: "${usersUrl}"}]
  internalToken: {audience: users}
  tls:
    caBundle: {file: "${join(caDir, 'bundle.pem')}"}
    expectedSpiffeId: spiffe://demo.local/ns/demo/sa/users
    clientCertificate:
      ca: {dir: "${caDir}", spiffeId: spiffe://demo.local/ns/demo/sa/gateway}
---
${backendDocument('orders', ordersUrl)}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: demo}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /users}}]
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: users}]
  - matches: [{path: {type: PathPrefix, value: /orders}}]
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: orders}]
`;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'gatehouse-mesh-gateway-'));
  caDir = join(work, 'ca');
  await mkdir(caDir, { mode: 0o700 });
  await writeFile(join(caDir, 'passphrase'), PASSPHRASE, { mode: 0o600 });
  await initCertificateAuthority(new DirectoryCaStore(caDir), { trustDomain: 'demo.local', passphrase: PASSPHRASE });
  await writeFile(
    join(work, 'identity.yaml'),
    `apiVersion: gatehouse.dev/v1alpha1
kind: IdentityService
metadata: {name: mesh}
spec:
  issuer: http://127.0.0.1:9000
  keyEncryptionKey: {value: "mesh through gateway key-encryption key"}
  storage: {sqlite: {path: ./identity.db}}
  keys: {algorithm: ES256}
  resources:
  - identifier: ${USERS_AUDIENCE}
    scopes: {"users:read": "Read users"}
  clients:
  - clientId: demo-m2m
    clientSecret: {value: demo-m2m-secret-for-tests}
    grantTypes: [client_credentials]
    scopes: ["users:read"]
    resources: [${USERS_AUDIENCE}]
`,
  );
  identity = await startIdentityService({ ...(await loadIdentityConfig(join(work, 'identity.yaml'))), listen: { host: '127.0.0.1', port: 0 } });
  // The gateway first (its JWKS URL is known once it listens), then the services, then the real routes.
  harness = await startHarness({ configYaml: ({ echo }) => gatewayConfig('https://127.0.0.1:1', echo) });
  mesh = await startMeshDemo({
    identityUrl: identity.url,
    client: { id: 'demo-m2m', secret: 'demo-m2m-secret-for-tests' },
    usersAudience: USERS_AUDIENCE,
    certificates: { dir: caDir },
    trustDomain: 'demo.local',
    gateway: { jwksUrl: `${harness.adminUrl}/.well-known/jwks.json`, issuer: GATEWAY_ISSUER, audience: 'users' },
  });
  await harness.writeConfig(gatewayConfig(mesh.urls.users, mesh.urls.orders));
  assert.equal((await harness.gateway.reload()).ok, true);
});
after(async () => {
  await mesh?.close();
  await harness?.close();
  await identity?.close();
  await rm(work, { recursive: true, force: true });
});

test('through the gateway: mTLS with the gateway certificate and its internal token', async () => {
  const response = await fetch(`${harness.baseUrl}/users`);
  const body = (await response.json()) as { peer: string; via: string };
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.deepEqual({ peer: body.peer, via: body.via }, { peer: mesh.spiffeIds.gateway, via: 'gateway internal token' });
});

test('the order service behind the gateway calls the user service with mTLS and a client-credentials token', async () => {
  const response = await fetch(`${harness.baseUrl}/orders`);
  const body = (await response.json()) as { userService: { status: number; body: { peer: string; via: string } } };
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.deepEqual(
    { status: body.userService.status, peer: body.userService.body.peer, via: body.userService.body.via },
    { status: 200, peer: mesh.spiffeIds.orders, via: 'client-credentials token' },
  );
});

test('bypassing the gateway with an allowed certificate but a forged internal token: 401', async () => {
  const issued = await issueCertificate(new DirectoryCaStore(caDir), PASSPHRASE, { spiffeId: mesh.spiffeIds.gateway });
  await writeFile(join(work, 'stolen.crt.pem'), issued.chainPem);
  await writeFile(join(work, 'stolen.key.pem'), issued.privateKeyPem as string);
  const client = workloadIdentityFromFiles({ certificateFile: join(work, 'stolen.crt.pem'), keyFile: join(work, 'stolen.key.pem'), bundleFile: join(caDir, 'bundle.pem') });
  await client.ready;
  const fetcher = mtlsFetch({ identity: client, serverSpiffeId: mesh.spiffeIds.users });
  try {
    const forged = await fetcher(`${mesh.urls.users}/users`, { headers: { 'x-gatehouse-token': 'eyJhbGciOiJub25lIn0.eyJhdWQiOiJ1c2VycyJ9.' } });
    assert.equal(forged.status, 401);
    await forged.body?.cancel();
  } finally {
    fetcher.close();
    client.close();
  }
});
