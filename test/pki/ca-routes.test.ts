// The CA's HTTP endpoints on a real loopback server over the SQLite identity store: join tokens
// are single use, every bad proof is refused with a stable code, renewal needs a live
// certificate of this CA and its key, and bundle/CRL are served as PEM.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { CompactSign, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createCaRoutes } from '../../src/pki/ca-routes.ts';
import { initCertificateAuthority } from '../../src/pki/create-ca.ts';
import { DocumentCaStore } from '../../src/pki/document-ca-store.ts';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { createJoinToken } from '../../src/pki/join-tokens.ts';
import { exportPrivateKeyPem } from '../../src/pki/private-key-pem.ts';
import { revokeCertificate } from '../../src/pki/revoke.ts';
import { caPassphraseFromKek } from '../../src/pki/store-passphrase.ts';
import { generateEcKeyPair, SIGNING_ALGORITHM, x509, type CryptoKeyPair } from '../../src/pki/x509-crypto.ts';
import { createTestCa, type TestCa } from './ca-fixture.ts';
import { openTestStore, type TestStore } from './store-fixture.ts';

const ISSUER = 'http://127.0.0.1:9000';
const AUDIENCE = `${ISSUER}/ca`;
const kek = randomBytes(32);
let testStore: TestStore;
let ca: DocumentCaStore;
let server: Server;
let base: string;
let signingKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let otherKey: typeof signingKey;
let jwks: { keys: JWK[] };
let otherCa: TestCa;

before(async () => {
  testStore = await openTestStore('sqlite');
  ca = new DocumentCaStore(testStore.store.documents);
  await initCertificateAuthority(ca, { trustDomain: 'example.org', passphrase: caPassphraseFromKek(kek) });
  const keys = await generateKeyPair('ES256');
  signingKey = keys.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  jwks = { keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
  const routes = createCaRoutes({
    documents: testStore.store.documents,
    keyEncryptionKey: kek,
    issuer: ISSUER,
    publicJwks: () => jwks,
    settings: {
      audience: AUDIENCE,
      maxTtlSeconds: 86_400,
      clients: [{ clientId: 'orders-bootstrap', spiffeIds: ['spiffe://example.org/ns/shop/*'], dnsNames: ['orders'] }],
    },
  });
  server = createServer((req, res) => {
    void routes(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  otherCa = await createTestCa('example.org');
});
after(async () => {
  server.close();
  await testStore.close();
  await otherCa.close();
});

async function csrFor(keys?: CryptoKeyPair): Promise<{ keys: CryptoKeyPair; csr: string }> {
  const pair = keys ?? (await generateEcKeyPair());
  const request = await x509.Pkcs10CertificateRequestGenerator.create({ keys: pair, signingAlgorithm: SIGNING_ALGORITHM });
  return { keys: pair, csr: request.toString('pem') };
}

async function post(path: string, body: unknown, bearer?: string) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

function accessToken(claims: Record<string, unknown>, key = signingKey, audience = AUDIENCE) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

test('a join token gets one certificate for its SPIFFE ID, and only once', async () => {
  const { token } = await createJoinToken(testStore.store.documents, { spiffeId: 'spiffe://example.org/ns/shop/sa/users', dnsNames: ['users'], trustDomain: 'example.org' });
  const { csr } = await csrFor();
  const first = await post('/ca/v1/sign', { csr }, token);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.spiffeId, 'spiffe://example.org/ns/shop/sa/users');
  const leaf = new x509.X509Certificate(first.body.certificate);
  const names = leaf.getExtension(x509.SubjectAlternativeNameExtension)?.names.items.map((name) => name.value);
  assert.deepEqual(names, ['spiffe://example.org/ns/shop/sa/users', 'users']);
  assert.match(first.body.bundle, /^-----BEGIN CERTIFICATE-----/);
  assert.equal(first.body.certificate.includes('PRIVATE KEY'), false);

  const second = await post('/ca/v1/sign', { csr }, token);
  assert.deepEqual([second.status, second.body.error], [401, 'ERR_JOIN_TOKEN_INVALID']);
});

test('bad proofs and bad requests are refused with stable codes', async () => {
  const { csr } = await csrFor();
  const joinFor = async (spiffeId: string, ttlSeconds?: number, now?: number) =>
    (await createJoinToken(testStore.store.documents, { spiffeId, trustDomain: 'example.org', ttlSeconds }, now)).token;
  const expired = await joinFor('spiffe://example.org/ns/shop/sa/late', 60, Math.floor(Date.now() / 1000) - 120);
  const forUsers = await joinFor('spiffe://example.org/ns/shop/sa/users');
  const cases: [string, unknown, string | undefined, number, string][] = [
    ['no credential', { csr }, undefined, 401, 'ERR_CA_CREDENTIAL_MISSING'],
    ['unknown join token', { csr }, `gjt_${randomBytes(32).toString('base64url')}`, 401, 'ERR_JOIN_TOKEN_INVALID'],
    ['expired join token', { csr }, expired, 401, 'ERR_JOIN_TOKEN_INVALID'],
    ['join token asked for another ID', { csr, spiffeId: 'spiffe://example.org/ns/shop/sa/admin' }, forUsers, 403, 'ERR_CA_CALLER_NOT_ALLOWED'],
    ['not a JWT', { csr, spiffeId: 'spiffe://example.org/ns/shop/sa/orders' }, 'not-a-token', 401, 'ERR_CA_TOKEN_INVALID'],
    ['token signed by another key', { csr, spiffeId: 'spiffe://example.org/ns/shop/sa/orders' }, await accessToken({ client_id: 'orders-bootstrap' }, otherKey), 401, 'ERR_CA_TOKEN_INVALID'],
    ['token for another audience', { csr, spiffeId: 'spiffe://example.org/ns/shop/sa/orders' }, await accessToken({ client_id: 'orders-bootstrap' }, signingKey, 'http://users'), 401, 'ERR_CA_TOKEN_INVALID'],
    ['client without CA rights', { csr, spiffeId: 'spiffe://example.org/ns/shop/sa/orders' }, await accessToken({ client_id: 'demo-m2m' }), 403, 'ERR_CA_CALLER_NOT_ALLOWED'],
    ['client asks outside its IDs', { csr, spiffeId: 'spiffe://example.org/ns/bank/sa/vault' }, await accessToken({ client_id: 'orders-bootstrap' }), 403, 'ERR_CA_CALLER_NOT_ALLOWED'],
    ['client asks a DNS name it may not', { csr, spiffeId: 'spiffe://example.org/ns/shop/sa/orders', dnsNames: ['bank'] }, await accessToken({ client_id: 'orders-bootstrap' }), 403, 'ERR_CA_CALLER_NOT_ALLOWED'],
    ['CSR is not PEM', { csr: 'garbage', spiffeId: 'spiffe://example.org/ns/shop/sa/orders' }, await accessToken({ client_id: 'orders-bootstrap' }), 400, 'ERR_CSR_INVALID'],
    ['body is not JSON', '{', await accessToken({ client_id: 'orders-bootstrap' }), 400, 'ERR_CA_REQUEST_INVALID'],
    // Read to the end and refused: the client gets the 400, not a reset connection.
    ['body over 64 KiB', { csr, pad: 'x'.repeat(70 * 1024) }, await accessToken({ client_id: 'orders-bootstrap' }), 400, 'ERR_CA_REQUEST_INVALID'],
  ];
  for (const [label, body, bearer, status, code] of cases) {
    const answer = await post('/ca/v1/sign', body, bearer);
    assert.deepEqual([answer.status, answer.body.error], [status, code], label);
  }
  // The join token refused for another ID was spent: it cannot be retried for its own ID.
  assert.equal((await post('/ca/v1/sign', { csr }, forUsers)).status, 401);

  const allowed = await post('/ca/v1/sign', { csr, spiffeId: 'spiffe://example.org/ns/shop/sa/orders', dnsNames: ['orders'] }, await accessToken({ client_id: 'orders-bootstrap' }));
  assert.equal(allowed.status, 201, JSON.stringify(allowed.body));
});

test('renewal: a live certificate of this CA and its key (same key, or a new one with a proof); revoked, foreign or unproven requests are refused', async () => {
  const { token } = await createJoinToken(testStore.store.documents, { spiffeId: 'spiffe://example.org/ns/shop/sa/cart', trustDomain: 'example.org' });
  const { keys, csr } = await csrFor();
  const issued = await post('/ca/v1/sign', { csr, ttlSeconds: 3600 }, token);
  assert.equal(issued.status, 201);

  const renewed = await post('/ca/v1/renew', { csr: (await csrFor(keys)).csr, certificate: issued.body.certificate });
  assert.equal(renewed.status, 201, JSON.stringify(renewed.body));
  assert.equal(renewed.body.spiffeId, 'spiffe://example.org/ns/shop/sa/cart');
  assert.notEqual(renewed.body.serial, issued.body.serial);

  const otherKeyCsr = (await csrFor()).csr;
  const mismatch = await post('/ca/v1/renew', { csr: otherKeyCsr, certificate: issued.body.certificate });
  assert.deepEqual([mismatch.status, mismatch.body.error], [403, 'ERR_CA_RENEWAL_KEY_MISMATCH']);

  // A new key with a proof signed by the current key: the key rotates, the identity stays.
  const now = Math.floor(Date.now() / 1000);
  const proofs: [string, string, number][] = [
    ['proof for another CSR', await renewalProof(keys.privateKey, (await csrFor()).csr, now), 403],
    ['proof signed by the new key', await renewalProof((await csrFor()).keys.privateKey, otherKeyCsr, now), 403],
    ['stale proof', await renewalProof(keys.privateKey, otherKeyCsr, now - 3600), 403],
    ['not a JWS', 'garbage', 403],
    ['valid proof', await renewalProof(keys.privateKey, otherKeyCsr, now), 201],
  ];
  for (const [label, proof, status] of proofs) {
    const answer = await post('/ca/v1/renew', { csr: otherKeyCsr, certificate: issued.body.certificate, proof });
    assert.equal(answer.status, status, `${label}: ${JSON.stringify(answer.body)}`);
    if (status === 403) assert.equal(answer.body.error, 'ERR_CA_RENEWAL_PROOF_INVALID', label);
    else assert.equal(answer.body.spiffeId, 'spiffe://example.org/ns/shop/sa/cart');
  }

  const foreign = await otherCa.issue({ name: 'cart' });
  const fromOtherCa = await post('/ca/v1/renew', { csr: otherKeyCsr, certificate: foreign.chainPem });
  assert.equal(fromOtherCa.status, 403);
  assert.equal(fromOtherCa.body.error, 'ERR_CA_CERTIFICATE_UNKNOWN');

  await revokeCertificate(ca, caPassphraseFromKek(kek), renewed.body.serial);
  const revoked = await post('/ca/v1/renew', { csr: (await csrFor(keys)).csr, certificate: renewed.body.certificate });
  assert.deepEqual([revoked.status, revoked.body.error], [403, 'ERR_CA_CERTIFICATE_REFUSED']);
  assert.match(revoked.body.message, /peer_certificate_revoked/);

  assert.equal((await post('/ca/v1/renew', { csr })).status, 401, 'no certificate presented');
});

test('bundle and CRL are PEM; unknown CA paths are 404 JSON; other paths are not handled', async () => {
  const bundle = await fetch(`${base}/ca/v1/bundle`);
  assert.equal(bundle.status, 200);
  assert.match(await bundle.text(), /^-----BEGIN CERTIFICATE-----/);
  const crl = await fetch(`${base}/ca/v1/crl`);
  assert.equal(crl.headers.get('content-type'), 'application/x-pem-file');
  assert.match(await crl.text(), /^-----BEGIN X509 CRL-----/);
  const unknown = await fetch(`${base}/ca/v1/nothing`);
  assert.deepEqual([unknown.status, ((await unknown.json()) as { error: string }).error], [404, 'ERR_CA_NOT_FOUND']);
  assert.equal((await fetch(`${base}/token`)).status, 404);
});

test('renewal over mutual TLS: the client certificate of the connection is the proof', async () => {
  const { token } = await createJoinToken(testStore.store.documents, { spiffeId: 'spiffe://example.org/ns/shop/sa/mtls', trustDomain: 'example.org' });
  const { keys, csr } = await csrFor();
  const issued = await post('/ca/v1/sign', { csr }, token);
  assert.equal(issued.status, 201);
  const routes = createCaRoutes({
    documents: testStore.store.documents,
    keyEncryptionKey: kek,
    issuer: ISSUER,
    publicJwks: () => jwks,
    settings: { audience: AUDIENCE, maxTtlSeconds: 86_400, clients: [] },
  });
  // The CA's own serving certificate, and a server that asks for (but does not itself enforce) client certificates.
  const serving = await issueCertificate(ca, caPassphraseFromKek(kek), { spiffeId: 'spiffe://example.org/ns/identity/sa/ca', dnsNames: ['localhost'] });
  const tlsServer = createHttpsServer({ key: serving.privateKeyPem, cert: serving.chainPem, ca: issued.body.bundle, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    void routes(req, res);
  });
  tlsServer.listen(0, '127.0.0.1');
  await once(tlsServer, 'listening');
  const { port } = tlsServer.address() as AddressInfo;
  const keyPem = await exportPrivateKeyPem(keys.privateKey);
  const { csr: sameKeyCsr } = await csrFor(keys);
  const renewOverTls = (withCertificate: boolean) =>
    new Promise<{ status: number; body: Record<string, string> }>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/ca/v1/renew',
          method: 'POST',
          servername: 'localhost',
          ca: issued.body.bundle,
          headers: { 'content-type': 'application/json' },
          ...(withCertificate && { cert: issued.body.certificate, key: keyPem }),
        },
        async (res) => {
          let text = '';
          for await (const chunk of res) text += chunk;
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, string> });
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ csr: sameKeyCsr }));
    });
  try {
    const renewed = await renewOverTls(true);
    assert.equal(renewed.status, 201, JSON.stringify(renewed.body));
    assert.equal(renewed.body.spiffeId, 'spiffe://example.org/ns/shop/sa/mtls');
    const anonymous = await renewOverTls(false);
    assert.deepEqual([anonymous.status, anonymous.body.error], [401, 'ERR_CA_CREDENTIAL_MISSING']);
  } finally {
    tlsServer.closeAllConnections();
    tlsServer.close();
  }
});

/** Written here with jose directly, independently of the SDK's renewalProof. */
async function renewalProof(currentKey: CryptoKeyPair['privateKey'], csrPem: string, iat: number): Promise<string> {
  const digest = createHash('sha256').update(Buffer.from(new x509.Pkcs10CertificateRequest(csrPem).rawData)).digest('base64url');
  return new CompactSign(new TextEncoder().encode(JSON.stringify({ csr: digest, iat }))).setProtectedHeader({ alg: 'ES256' }).sign(currentKey);
}
