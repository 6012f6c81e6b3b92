// The published JSON Schemas in schema/ are exactly what `npm run schema` generates from the zod
// schemas, so they never drift from what the loader accepts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gatehouseJsonSchemas } from '../../src/config/json-schemas.ts';

const SCHEMA_DIRECTORY = join(import.meta.dirname, '..', '..', 'schema');

test('schema/*.schema.json equal the generated schemas (run `npm run schema` after a schema change)', () => {
  const generated = gatehouseJsonSchemas();
  const committed = readdirSync(SCHEMA_DIRECTORY).filter((name) => name.endsWith('.schema.json')).sort();
  assert.deepEqual(committed, [...generated.keys()].sort());
  for (const [file, content] of generated) {
    assert.equal(readFileSync(join(SCHEMA_DIRECTORY, file), 'utf8'), content, `schema/${file} is stale`);
  }
});

test('the Backend and JWTIssuer schemas describe their fields and reject unknown ones', () => {
  const backend = JSON.parse(gatehouseJsonSchemas().get('Backend.schema.json') ?? '{}');
  assert.equal(backend.properties.kind.const, 'Backend');
  assert.equal(backend.properties.spec.additionalProperties, false);
  assert.deepEqual(backend.properties.spec.required, ['endpoints']);
  const issuer = JSON.parse(gatehouseJsonSchemas().get('JWTIssuer.schema.json') ?? '{}');
  assert.ok(!issuer.properties.spec.properties.algorithms.items.enum.includes('none'));
  assert.match(issuer.properties.spec.properties.clockSkew.description, /default 60s/);
});
