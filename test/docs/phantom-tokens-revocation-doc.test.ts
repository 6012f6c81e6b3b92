// The YAML in docs/phantom-tokens.md and docs/revocation.md is real: every gateway block loads
// with `gatehouse check`'s loader next to a small base config, and every identity-service
// fragment (`clients:`, `revocation:`) passes the IdentityService schema for that field.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load-config.ts';
import { identityServiceSpecSchema } from '../../src/config/schemas/identity-service.ts';
import { edgeRoutingDocuments, yamlDocuments } from '../support/gateway-documents.ts';

const BASE = yamlDocuments(
  edgeRoutingDocuments({ backends: { svc: 'http://127.0.0.1:9' }, routes: [{ name: 'orders', pathPrefix: '/orders', backend: 'svc' }] }),
);

function yamlBlocks(page: string): string[] {
  const text = readFileSync(join(import.meta.dirname, '..', '..', 'docs', page), 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]);
}

for (const page of ['phantom-tokens.md', 'revocation.md']) {
  test(`docs/${page}: every YAML block is accepted`, (t) => {
    const blocks = yamlBlocks(page);
    assert.ok(blocks.length >= 2, 'the page shows its configuration');
    process.env.GATEWAY_CLIENT_SECRET = 'doc-example-secret';
    const directory = mkdtempSync(join(tmpdir(), 'gatehouse-doc-'));
    t.after(() => {
      delete process.env.GATEWAY_CLIENT_SECRET;
      rmSync(directory, { recursive: true, force: true });
    });
    for (const block of blocks) {
      if (block.includes('apiVersion:')) {
        writeFileSync(join(directory, 'config.yaml'), `${BASE}---\n${block}`);
        assert.doesNotThrow(() => loadConfig(join(directory, 'config.yaml')), block);
        continue;
      }
      const fragment = parse(block) as Record<string, unknown>;
      for (const [field, value] of Object.entries(fragment)) {
        const schema = identityServiceSpecSchema.shape[field as keyof typeof identityServiceSpecSchema.shape];
        assert.ok(schema, `IdentityService has a field ${field}`);
        const result = schema.safeParse(value);
        assert.ok(result.success, `${field}: ${JSON.stringify(result.error?.issues)}`);
      }
    }
  });
}
