import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { runCli } from './run-cli.ts';

const QUICKSTART = fileURLToPath(new URL('../../examples/quickstart/', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'gatehouse-check-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

function writeConfig(name: string, yaml: string): string {
  const path = join(workDir, name);
  writeFileSync(path, yaml);
  return path;
}

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
spec:
  listeners:
  - name: http
    port: 8080
    protocol: HTTP
`;

describe('gatehouse check', () => {
  it('prints what the quickstart serves and exits 0', async () => {
    const result = await runCli(['check', '--config', QUICKSTART]);
    assert.equal(result.code, 0, result.stderr);
    for (const expected of ['demo-gateway/http', '/users', '/orders', '/coffee', 'cafe.example.com', 'http://127.0.0.1:9000', 'Cafe App', 'require-jwt']) {
      assert.ok(result.stdout.includes(expected), `output mentions ${expected}`);
    }
    assert.equal(result.stderr, '');
  });

  it('accepts a single file', async () => {
    const path = writeConfig('gateway-only.yaml', GATEWAY);
    const result = await runCli(['check', '--config', path]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /edge\/http/);
  });

  const badConfigs: { name: string; yaml: string; problems: RegExp[] }[] = [
    {
      name: 'an unknown field',
      yaml: `${GATEWAY}    colour: blue\n`,
      problems: [/^FILE: document 0 \(Gateway\/edge\): spec\.listeners\[0\]\.colour: .*unknown/m],
    },
    {
      name: 'an unknown kind in the second document',
      yaml: `${GATEWAY}---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n`,
      problems: [/^FILE: document 1 \(Widget\/w\): kind: unknown kind "Widget"/m],
    },
    {
      name: 'a route to a Backend that does not exist',
      yaml: `${GATEWAY}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: api
spec:
  parentRefs:
  - name: edge
  rules:
  - backendRefs:
    - group: gatehouse.dev
      kind: Backend
      name: missing
`,
      problems: [/^FILE: document 1 \(HTTPRoute\/api\): spec\.rules\[0\]\.backendRefs\[0\].*missing/m],
    },
    {
      name: 'several problems at once',
      yaml: `apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata:
  name: b
spec:
  endpoints: []
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: ra
spec:
  jwtRules:
  - issuer: https://issuer.example
    jwksUri: not-a-url
`,
      problems: [/^FILE: document 0 \(Backend\/b\): spec\.endpoints: /m, /^FILE: document 1 \(RequestAuthentication\/ra\): spec\.jwtRules\[0\]\.jwksUri: /m],
    },
    {
      name: 'YAML that does not parse',
      yaml: 'kind: [unclosed\n',
      problems: [/^FILE: document 0: /m],
    },
  ];
  for (const [index, testCase] of badConfigs.entries()) {
    it(`exits 1 and names file, document, resource and field: ${testCase.name}`, async () => {
      const path = writeConfig(`bad-${index}.yaml`, testCase.yaml);
      const result = await runCli(['check', '--config', path]);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^gatehouse: invalid configuration \(\d+ problems?\):\n/);
      for (const problem of testCase.problems) assert.match(result.stderr, new RegExp(problem.source.replace('FILE', path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')), 'm'));
    });
  }

  it('exits 1 when the path does not exist', async () => {
    const path = join(workDir, 'nowhere.yaml');
    const result = await runCli(['check', '--config', path]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot read the config/);
  });
});
