// `gatehouse import`: NGINX VirtualServer + Policy + Secret in, Gateway API + Istio out — and
// `gatehouse check` on the output lists the same routes and JWT providers as on the input.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { runCli } from './run-cli.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/config/', import.meta.url));
const QUICKSTART_CAFE = fileURLToPath(new URL('../../examples/quickstart/', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'gatehouse-import-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

/** A `check` section (e.g. "Routes") with the ids that name the source resource taken out. */
function section(output: string, title: string): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${title} (`));
  const end = lines.findIndex((line, index) => index > start && /^\S/.test(line));
  return lines
    .slice(start + 1, end)
    .filter((line) => !/^ {2}\S/.test(line) || title === 'Routes')
    .map((line) => (title === 'Routes' ? line.replace(/^ {2}\S+/, '') : line));
}

async function importAndCheck(inputs: string[], checkInput: string): Promise<{ before: string; after: string; imported: string; stderr: string }> {
  const imported = await runCli(['import', ...inputs]);
  assert.equal(imported.code, 0, imported.stderr);
  const outputPath = join(workDir, `imported-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(outputPath, imported.stdout);
  const before = await runCli(['check', '--config', checkInput]);
  const afterImport = await runCli(['check', '--config', outputPath]);
  assert.equal(before.code, 0, before.stderr);
  assert.equal(afterImport.code, 0, afterImport.stderr);
  return { before: before.stdout, after: afterImport.stdout, imported: imported.stdout, stderr: imported.stderr };
}

describe('gatehouse import', () => {
  it('seed 001: the same routes and providers, in Gateway API + Istio documents', async () => {
    const result = await importAndCheck([join(FIXTURES, 'seed-001-nginx.yaml')], join(FIXTURES, 'seed-001-nginx.yaml'));
    for (const title of ['Routes', 'Backends', 'JWT providers']) {
      assert.deepEqual(section(result.after, title), section(result.before, title), title);
    }
    const kinds = parseAllDocuments(result.imported).map((document) => {
      const content = document.toJS() as { apiVersion: string; kind: string };
      return `${content.apiVersion}/${content.kind}`;
    });
    assert.ok(!kinds.some((kind) => kind.startsWith('k8s.nginx.org/')), 'no NGINX resource left');
    assert.ok(kinds.includes('gateway.networking.k8s.io/v1/HTTPRoute'));
    assert.ok(kinds.includes('security.istio.io/v1/RequestAuthentication'));
    assert.ok(kinds.includes('security.istio.io/v1/AuthorizationPolicy'), "NGINX's token-required becomes a principal requirement");
    assert.ok(kinds.includes('gatehouse.dev/v1alpha1/Backend'), 'Backends kept');
    assert.match(result.after, /Authentications \(2\)[\s\S]*token optional \(policy decides\)/);
  });

  it('the quickstart (NGINX cafe with jwksURI, next to Istio and Gateway API documents)', async () => {
    const result = await importAndCheck([QUICKSTART_CAFE], QUICKSTART_CAFE);
    for (const title of ['Listeners', 'Routes', 'Backends', 'JWT providers']) {
      assert.deepEqual(section(result.after, title), section(result.before, title), title);
    }
    assert.match(result.imported, /jwksUri: http:\/\/127\.0\.0\.1:9000\/jwks$/m);
  });

  it('an invalid input is reported like check reports it (exit 1)', async () => {
    const path = join(workDir, 'broken.yaml');
    writeFileSync(path, 'apiVersion: k8s.nginx.org/v1\nkind: VirtualServer\nmetadata: {name: x}\nspec: {host: a.test, policies: [{name: missing}], upstreams: [], routes: []}\n');
    const result = await runCli(['import', path]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /VirtualServer\/x/);
  });

  it('needs at least one FILE', async () => {
    const result = await runCli(['import']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing argument: FILE/);
  });
});
