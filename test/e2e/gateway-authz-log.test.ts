// The access log names the policy and rule that decided (`authz`), and at debug level a denied
// request also gets an `authorization denied` line saying why — never with the token in it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gatewayYaml, startHarness, waitForLogLine, type Harness } from './gateway-harness.ts';

const POLICY = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: require-role}
spec:
  rules:
  - from: [{source: {requestPrincipals: ["*"]}}]
    when: [{key: "request.auth.claims[role]", values: [user]}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: audit-exports}
spec:
  action: AUDIT
  rules:
  - to: [{operation: {paths: ["/api/export*"]}}]
`;

describe('authorization decisions in the logs', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      gatewayOptions: { logLevel: 'debug' },
      configYaml: ({ echo, jwksUri }) =>
        gatewayYaml({ upstreams: { echo }, routes: [{ name: 'api', pathPrefix: '/api', backend: 'echo' }], jwksUri }) + `---\n${POLICY}`,
    });
  });
  after(async () => h?.close());

  test('allowed and denied requests carry authz {policy, rule}; a denial is explained at debug', async () => {
    const allowed = await fetch(`${h.baseUrl}/api/ok`, { headers: { authorization: `Bearer ${await h.token({ role: 'user' })}`, 'x-request-id': 'allowed-1' } });
    assert.equal(allowed.status, 200);
    await allowed.arrayBuffer();
    const token = await h.token({ role: 'guest' });
    const denied = await fetch(`${h.baseUrl}/api/no`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'denied-1' } });
    assert.equal(denied.status, 403);
    await denied.arrayBuffer();

    const allowedLine = await waitForLogLine(h, (line) => line.requestId === 'allowed-1' && line.msg === 'request');
    assert.deepEqual(allowedLine?.authz, { policy: 'require-role', rule: 0 });
    const explained = await waitForLogLine(h, (line) => line.requestId === 'denied-1' && line.msg === 'authorization denied');
    assert.ok(explained, 'debug line for the denial');
    assert.deepEqual(explained.authz, { action: 'ALLOW', reason: 'no rule of the ALLOW policies (require-role) matched', audited: [] });
    const deniedLine = await waitForLogLine(h, (line) => line.requestId === 'denied-1' && line.msg === 'request');
    assert.equal(deniedLine?.status, 403);
    assert.equal(deniedLine?.authz, undefined, 'no single policy decided a default deny');

    // AUDIT: the request goes on, and the access line records which AUDIT policies matched.
    const audited = await fetch(`${h.baseUrl}/api/export/all`, { headers: { authorization: `Bearer ${await h.token({ role: 'user' })}`, 'x-request-id': 'audited-1' } });
    assert.equal(audited.status, 200);
    await audited.arrayBuffer();
    const auditedLine = await waitForLogLine(h, (line) => line.requestId === 'audited-1' && line.msg === 'request');
    assert.deepEqual(auditedLine?.audit, ['audit-exports']);
    assert.equal(allowedLine?.audit, undefined);
    const text = JSON.stringify(await h.logLines());
    assert.ok(!text.includes(token), 'the token never reaches the log');
  });
});
