// Listener tls.options naming the directory CA as the certificate source → model caCertificate;
// a table of mistakes, each refused at load time with the field named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/config/config-error.ts';
import { loadYaml } from '../support/temp-config.ts';

function gateway(tls: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  listeners:
  - name: https
    port: 8443
    protocol: HTTPS
    tls:
${tls}
`;
}

test('tls.options gatehouse.dev/certificate-ca-dir gives the listener a CA certificate setting', (t) => {
  const model = loadYaml(
    t,
    gateway(`      options:
        gatehouse.dev/certificate-ca-dir: ./ca
        gatehouse.dev/certificate-spiffe-id: spiffe://cluster.local/ns/edge/sa/gateway
        gatehouse.dev/certificate-dns-names: "gateway.internal, localhost"
        gatehouse.dev/certificate-ttl: 12h`),
  );
  const [listener] = model.listeners;
  assert.equal(listener.tls, undefined);
  assert.match(listener.caCertificate?.dir ?? '', /\/ca$/);
  assert.deepEqual(
    { spiffeId: listener.caCertificate?.spiffeId, dnsNames: listener.caCertificate?.dnsNames, ttlSeconds: listener.caCertificate?.ttlSeconds },
    { spiffeId: 'spiffe://cluster.local/ns/edge/sa/gateway', dnsNames: ['gateway.internal', 'localhost'], ttlSeconds: 43_200 },
  );
});

test('mistakes in a CA-issued listener certificate are refused with the field named', (t) => {
  const cases: [string, string, RegExp][] = [
    ['no certificate source', `      options: {}`, /tls\.certificateRefs: name a kubernetes\.io\/tls Secret, or set tls\.options/],
    ['no SPIFFE ID', `      options: {gatehouse.dev/certificate-ca-dir: ./ca}`, /certificate-spiffe-id must name the gateway's spiffe:\/\/ ID/],
    ['bad TTL', `      options: {gatehouse.dev/certificate-ca-dir: ./ca, gatehouse.dev/certificate-spiffe-id: "spiffe://td/ns/a/sa/b", gatehouse.dev/certificate-ttl: soon}`, /certificate-ttl"\]: must be a duration/],
    ['SPIFFE ID without the CA', `      options: {gatehouse.dev/certificate-spiffe-id: "spiffe://td/ns/a/sa/b"}`, /certificate-spiffe-id needs gatehouse\.dev\/certificate-ca-dir/],
    ['a Secret and the CA', `      certificateRefs: [{name: edge-cert}]\n      options: {gatehouse.dev/certificate-ca-dir: ./ca, gatehouse.dev/certificate-spiffe-id: "spiffe://td/ns/a/sa/b"}`, /name certificateRefs or gatehouse\.dev\/certificate-ca-dir, not both/],
  ];
  for (const [label, tls, message] of cases) {
    assert.throws(() => loadYaml(t, gateway(tls)), (error: unknown) => error instanceof ConfigError && message.test(error.message), label);
  }
});
