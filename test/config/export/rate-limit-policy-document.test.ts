// `gatehouse import` turns an NGINX rateLimit Policy into a RateLimitPolicy with the same budget
// and key on the HTTPRoute that replaces the VirtualServer; check reads it back the same.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { importDocuments } from '../../../src/config/export/import-documents.ts';
import { Problems } from '../../../src/config/problems.ts';
import { readDocuments } from '../../../src/config/read-documents.ts';
import { BACKEND, GATEWAY, loadYaml, writeTempConfig } from '../support/temp-config.ts';

const NGINX = `${GATEWAY}---
${BACKEND}---
apiVersion: k8s.nginx.org/v1
kind: Policy
metadata: {name: per-user}
spec:
  rateLimit: {rate: 10r/s, burst: 5, noDelay: true, key: "\${jwt_claim_sub}", zoneSize: 10M}
---
apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: cafe}
spec:
  host: cafe.example.com
  policies: [{name: per-user}]
  upstreams: [{name: coffee, service: api, port: 80}]
  routes: [{path: /coffee, action: {pass: coffee}}]
`;

test('an NGINX rateLimit Policy imports as a RateLimitPolicy with the same meaning', (t) => {
  const directory = writeTempConfig(t, { 'nginx.yaml': NGINX });
  const problems = new Problems();
  const imported = importDocuments(readDocuments(join(directory, 'nginx.yaml'), problems), problems);
  assert.match(imported.notes.join('\n'), /refused requests get 429 from the RateLimitPolicy instead of rejectCode 503/);
  const model = loadYaml(t, imported.yaml);
  assert.equal(model.rateLimits.length, 1);
  const [limit] = model.rateLimits;
  assert.equal(limit.source.kind, 'RateLimitPolicy');
  assert.deepEqual(limit.budgets, [{ requests: 10, windowSeconds: 1, burst: 5 }]);
  assert.deepEqual(limit.key, [{ kind: 'claim', path: 'sub' }]);
  assert.deepEqual(limit.targets, [{ kind: 'HTTPRoute', name: 'cafe' }]);
});
