// Which certificate a TLS client receives, per server name, from a real HTTPS server using the
// SNI callback the gateway installs on sockets shared by several HTTPS listeners.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { after, before, test } from 'node:test';
import { SniCertificates, type ListenerCertificate } from '../../src/gateway/sni-certificates.ts';

function certificate(commonName: string, hostname?: string): ListenerCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-sni-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', `/CN=${commonName}`, '-keyout', join(dir, 'k'), '-out', join(dir, 'c'),
    ], { stdio: 'ignore' });
    return { hostname, certificatePem: readFileSync(join(dir, 'c'), 'utf8'), privateKeyPem: readFileSync(join(dir, 'k'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fallback = certificate('default');
const sni = new SniCertificates([
  fallback,
  certificate('exact-api', 'api.example.com'),
  certificate('wildcard', '*.example.com'),
  certificate('deeper-wildcard', '*.eu.example.com'),
]);
const server = createServer({ cert: fallback.certificatePem, key: fallback.privateKeyPem, SNICallback: sni.callback });
let port = 0;
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function presentedCommonName(servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      const name = socket.getPeerCertificate().subject.CN;
      socket.end();
      resolve(String(Array.isArray(name) ? name[0] : name));
    });
    socket.on('error', reject);
  });
}

const cases: [serverName: string, certificate: string][] = [
  ['api.example.com', 'exact-api'],
  ['API.Example.com', 'exact-api'],
  ['shop.example.com', 'wildcard'],
  ['shop.eu.example.com', 'deeper-wildcard'],
  ['a.b.example.com', 'default'], // a wildcard covers one label only (RFC 6125 §6.4.3)
  ['example.com', 'default'],
  ['other.test', 'default'],
];
for (const [serverName, expected] of cases) {
  test(`SNI ${serverName} → certificate ${expected}`, async () => {
    assert.equal(await presentedCommonName(serverName), expected);
  });
}

test('update() swaps certificates for new handshakes', async () => {
  sni.update([certificate('renewed-api', 'api.example.com')]);
  assert.equal(await presentedCommonName('api.example.com'), 'renewed-api');
  assert.equal(await presentedCommonName('shop.example.com'), 'default');
});
