// An HTTPS listener (certificate from a kubernetes.io/tls Secret) next to an HTTP one, and the
// route filters the pipeline applies itself: RequestRedirect and RequestHeaderModifier.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rawGet, startHarness, type Harness } from './gateway-harness.ts';
import { backendDocument, tlsSecretDocument } from '../support/gateway-documents.ts';

function selfSignedCertificate(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
      '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'),
    ], { stdio: 'ignore' });
    return { cert: readFileSync(join(dir, 'tls.crt'), 'utf8'), key: readFileSync(join(dir, 'tls.key'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function httpsGet(port: number, path: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, servername: 'localhost', ca, headers: { host: 'localhost' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gateway HTTPS listener and route filters', () => {
  const tls = selfSignedCertificate();
  let h: Harness;
  before(async () => {
    h = await startHarness({
      configYaml: ({ echo }) => `${tlsSecretDocument('edge-cert', tls.cert, tls.key)}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  listeners:
  - {name: http, port: 8080, protocol: HTTP}
  - name: https
    port: 8443
    protocol: HTTPS
    tls: {certificateRefs: [{name: edge-cert}]}
---
${backendDocument('echo', echo)}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api}
spec:
  parentRefs: [{name: edge, sectionName: https}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set: [{name: x-env, value: prod}]
        remove: [x-debug]
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: echo}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: to-https}
spec:
  parentRefs: [{name: edge, sectionName: http}]
  rules:
  - filters:
    - type: RequestRedirect
      requestRedirect: {scheme: https, statusCode: 301}
`,
    });
  });
  after(() => h.close());

  test('HTTPS listener serves with the Secret certificate; header modifier applied; proto https', async () => {
    const response = await httpsGet(h.gateway.listeners['edge/https'].port, '/api/x', tls.cert);
    assert.equal(response.status, 200);
    const seen = JSON.parse(response.body) as { headers: Record<string, string> };
    assert.equal(seen.headers['x-env'], 'prod');
    assert.equal(seen.headers['x-forwarded-proto'], 'https');
  });

  test('RequestRedirect is answered by the gateway without reaching a backend', async () => {
    const before = h.echo.received.length;
    const response = await rawGet(`http://127.0.0.1:${h.gateway.listeners['edge/http'].port}`, '/api/x?y=1', {
      host: 'Shop.Example.com:8080',
    });
    assert.equal(response.status, 301);
    assert.equal(response.headers.location, 'https://shop.example.com/api/x?y=1');
    assert.equal(h.echo.received.length, before);
  });
});
