// Every YAML example in docs/authorization.md is a configuration `gatehouse check` accepts:
// each block is loaded next to a small base config (a Gateway, the routes the examples target,
// a JWT provider) and must add its documents without a problem.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { edgeRoutingDocuments, requestAuthenticationDocument, yamlDocuments } from '../support/gateway-documents.ts';

const BASE = yamlDocuments([
  ...edgeRoutingDocuments({
    backends: { svc: 'http://127.0.0.1:9' },
    routes: ['api', 'orders', 'dddaong-jwt-test'].map((name) => ({ name, pathPrefix: `/${name}`, backend: 'svc' })),
  }),
  requestAuthenticationDocument('base-jwt', { issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks.json' }),
]);

const doc = readFileSync(new URL('../../docs/authorization.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]);
const workDir = mkdtempSync(join(tmpdir(), 'gatehouse-authz-doc-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

describe('docs/authorization.md examples', () => {
  test('the page has its examples', () => assert.ok(blocks.length >= 6, `${blocks.length} YAML blocks`));

  blocks.forEach((block, index) => {
    const kinds = parseAllDocuments(block).map((document) => (document.toJS() as { kind: string; metadata: { name: string } }));
    test(`block ${index + 1}: ${kinds.map((k) => `${k.kind}/${k.metadata.name}`).join(', ')}`, () => {
      const dir = join(workDir, `block-${index}`);
      mkdirSync(dir);
      writeFileSync(join(dir, '00-base.yaml'), BASE);
      writeFileSync(join(dir, '10-example.yaml'), block);
      let model;
      try {
        model = loadConfig(dir);
      } catch (error) {
        if (error instanceof ConfigError) assert.fail(error.problems.map((p) => `${p.kind}/${p.name} ${p.path}: ${p.message}`).join('\n'));
        throw error;
      }
      for (const { kind, metadata } of kinds) {
        const found =
          model.policies.some((p) => p.kind === kind && p.name === metadata.name) ||
          model.extAuthzProviders.some((p) => kind === 'ExtAuthzProvider' && p.name === metadata.name) ||
          model.authentications.some((a) => kind === 'RequestAuthentication' && a.name === metadata.name) ||
          (kind === 'GatewayOptions' && model.options.source?.name === metadata.name);
        assert.ok(found, `${kind}/${metadata.name} is in the model`);
      }
    });
  });
});
