// The demo's zero-trust pair on real sockets with the real identity service: the order service
// calls the user service over mTLS with a demo-m2m client-credentials token; the user service
// refuses callers without a client certificate, without a token for it, or with an identity it
// does not allow.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mtlsFetch, workloadIdentityFromFiles, type WorkloadIdentity } from '../../packages/sdk/src/index.ts';
import { startMeshDemo, type MeshDemo } from '../../src/demo/mesh.ts';
import { loadIdentityConfig } from '../../src/identity/identity-config.ts';
import { startIdentityService, type IdentityService } from '../../src/identity/start-identity.ts';
import { initCertificateAuthority } from '../../src/pki/create-ca.ts';
import { DirectoryCaStore } from '../../src/pki/directory-store.ts';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';

const USERS_AUDIENCE = 'https://users.demo.local';
const PASSPHRASE = 'mesh demo test passphrase';
let work: string;
let caDir: string;
let identity: IdentityService;
let mesh: MeshDemo;
const opened: WorkloadIdentity[] = [];

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'gatehouse-mesh-'));
  caDir = join(work, 'ca');
  await mkdir(caDir, { mode: 0o700 });
  await writeFile(join(caDir, 'passphrase'), PASSPHRASE, { mode: 0o600 });
  await initCertificateAuthority(new DirectoryCaStore(caDir), { trustDomain: 'demo.local', passphrase: PASSPHRASE });
  const configFile = join(work, 'identity.yaml');
  await writeFile(
    configFile,
    `apiVersion: gatehouse.dev/v1alpha1
kind: IdentityService
metadata: { name: mesh-test }
spec:
  issuer: http://127.0.0.1:9000
  keyEncryptionKey: { value: "mesh test key-encryption key, 32+ chars" }
  storage: { sqlite: { path: ./identity.db } }
  keys: { algorithm: ES256 }
  resources:
    - identifier: ${USERS_AUDIENCE}
      scopes: { "users:read": "Read users" }
    - identifier: https://other.demo.local
      scopes: { "other:read": "Read other" }
  clients:
    - clientId: demo-m2m
      clientSecret: { value: demo-m2m-secret-for-tests }
      grantTypes: [client_credentials]
      scopes: ["users:read", "other:read"]
      resources: [${USERS_AUDIENCE}, https://other.demo.local]
`,
  );
  const config = await loadIdentityConfig(configFile);
  identity = await startIdentityService({ ...config, listen: { host: '127.0.0.1', port: 0 } });
  mesh = await startMeshDemo({
    identityUrl: identity.url,
    client: { id: 'demo-m2m', secret: 'demo-m2m-secret-for-tests' },
    usersAudience: USERS_AUDIENCE,
    certificates: { dir: caDir },
    trustDomain: 'demo.local',
  });
});
after(async () => {
  for (const workload of opened) workload.close();
  await mesh?.close();
  await identity?.close();
  await rm(work, { recursive: true, force: true });
});

async function workload(name: string): Promise<WorkloadIdentity> {
  const issued = await issueCertificate(new DirectoryCaStore(caDir), PASSPHRASE, { spiffeId: `spiffe://demo.local/ns/demo/sa/${name}` });
  await writeFile(join(work, `${name}.crt.pem`), issued.chainPem);
  await writeFile(join(work, `${name}.key.pem`), issued.privateKeyPem as string);
  const loaded = workloadIdentityFromFiles({ certificateFile: join(work, `${name}.crt.pem`), keyFile: join(work, `${name}.key.pem`), bundleFile: join(caDir, 'bundle.pem') });
  opened.push(loaded);
  await loaded.ready;
  return loaded;
}

async function tokenFor(resource: string): Promise<string> {
  const response = await fetch(`${identity.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('demo-m2m:demo-m2m-secret-for-tests').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

test('the order service calls the user service over mTLS with a client-credentials token', async () => {
  const response = await fetch(`${mesh.urls.orders}/orders`);
  const body = (await response.json()) as { userService: { status: number; body: { peer: string; via: string; caller: string } } };
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(body.userService.status, 200);
  assert.deepEqual(
    { peer: body.userService.body.peer, via: body.userService.body.via, caller: body.userService.body.caller },
    { peer: mesh.spiffeIds.orders, via: 'client-credentials token', caller: 'demo-m2m' },
  );
});

test('a direct call without a client certificate fails the handshake', async () => {
  const ca = await readFile(join(caDir, 'bundle.pem'), 'utf8');
  const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const req = request(`${mesh.urls.users}/users`, { ca, checkServerIdentity: () => undefined }, (res) => {
      res.resume();
      resolve(undefined);
    });
    req.on('error', resolve);
    req.end();
  });
  assert.ok(error, 'the user service answered a caller without a certificate');
});

test('with a client certificate but no valid token for the user service: 401; an identity it does not allow: 403', async () => {
  const orders = await workload('orders');
  const stranger = await workload('stranger');
  const call = async (client: WorkloadIdentity, authorization?: string) => {
    const fetcher = mtlsFetch({ identity: client, serverSpiffeId: mesh.spiffeIds.users });
    try {
      const response = await fetcher(`${mesh.urls.users}/users`, { headers: authorization ? { authorization } : {} });
      await response.body?.cancel();
      return response.status;
    } finally {
      fetcher.close();
    }
  };
  assert.equal(await call(orders), 401, 'no token');
  assert.equal(await call(orders, `Bearer ${await tokenFor('https://other.demo.local')}`), 401, 'token for another service');
  assert.equal(await call(orders, `Bearer ${await tokenFor(USERS_AUDIENCE)}`), 200, 'the right token');
  assert.equal(await call(stranger, `Bearer ${await tokenFor(USERS_AUDIENCE)}`), 403, 'a SPIFFE ID the user service does not allow');
});
