// GatewayIdentity and Backend spec.internalToken → model, and the configurations refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadProblems, loadYaml, writeTempConfig } from '../support/temp-config.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const backend = (name: string, internalToken: string) => `apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata: {name: ${name}}
spec:
  endpoints: [{url: "http://127.0.0.1:9100"}]
  internalToken: ${internalToken}
`;
const identity = (spec: string, name = 'gateway') => `apiVersion: gatehouse.dev/v1alpha1
kind: GatewayIdentity
metadata: {name: ${name}}
spec: ${spec}
`;

test('defaults: audience = Backend name, header x-gatehouse-token, mode alongside, lifetime 60 s', (t) => {
  const model = loadYaml(t, [identity('{issuer: "https://gw.example.com"}'), backend('orders', '{}')].join('---\n'));
  assert.deepEqual(model.gatewayIdentity, { issuer: 'https://gw.example.com', signingKeyFile: undefined, tokenLifetimeSeconds: 60 });
  assert.deepEqual(model.backends[0].internalToken, { audience: 'orders', header: 'x-gatehouse-token', mode: 'alongside' });
});

test('explicit settings; the key file is resolved next to the config', (t) => {
  const directory = writeTempConfig(t, {
    'config.yaml': [identity('{issuer: "https://gw.example.com", signingKeyFile: keys/gw.json, tokenLifetime: 30s}'), backend('orders', '{audience: orders-api, header: X-Internal-Token, mode: replace}')].join('---\n'),
  });
  mkdirSync(join(directory, 'keys'));
  writeFileSync(join(directory, 'keys', 'gw.json'), '{}');
  const model = loadConfig(directory);
  assert.deepEqual(model.gatewayIdentity, { issuer: 'https://gw.example.com', signingKeyFile: join(directory, 'keys', 'gw.json'), tokenLifetimeSeconds: 30 });
  assert.deepEqual(model.backends[0].internalToken, { audience: 'orders-api', header: 'x-internal-token', mode: 'replace' });
});

const refused: { name: string; yaml: string; expected: RegExp }[] = [
  { name: 'internalToken without a GatewayIdentity', yaml: backend('orders', '{}'), expected: /^Backend\/orders spec\.internalToken: needs a gatehouse\.dev\/v1alpha1 GatewayIdentity/ },
  { name: 'two GatewayIdentity documents', yaml: [identity('{issuer: "https://a.example.com"}', 'a'), identity('{issuer: "https://b.example.com"}', 'b')].join('---\n'), expected: /^GatewayIdentity\/b metadata\.name: only one GatewayIdentity is allowed/ },
  { name: 'a missing key file', yaml: identity('{issuer: "https://a.example.com", signingKeyFile: nope.json}'), expected: /spec\.signingKeyFile: file not found/ },
  { name: 'a lifetime above 10 minutes', yaml: identity('{issuer: "https://a.example.com", tokenLifetime: 1h}'), expected: /spec\.tokenLifetime: must be between 1s and 600s/ },
  { name: 'an unknown mode', yaml: [identity('{issuer: "https://a.example.com"}'), backend('orders', '{mode: instead}')].join('---\n'), expected: /spec\.internalToken\.mode/ },
  { name: 'an issuer that is not a URL', yaml: identity('{issuer: gateway}'), expected: /spec\.issuer/ },
];
for (const { name, yaml, expected } of refused) {
  test(`refused: ${name}`, (t) => {
    const found = loadProblems(t, yaml);
    assert.ok(found.some((problem) => expected.test(problem)), found.join('\n'));
  });
}
