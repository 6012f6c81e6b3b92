// `npm run schema`: writes schema/<Kind>.schema.json for every Gatehouse kind from the zod
// schemas. test/config/json-schemas.test.ts fails when the committed files drift from this.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatehouseJsonSchemas } from '../src/config/json-schemas.ts';

const directory = join(import.meta.dirname, '..', 'schema');
mkdirSync(directory, { recursive: true });
for (const [file, content] of gatehouseJsonSchemas()) {
  writeFileSync(join(directory, file), content);
  console.log(`wrote schema/${file}`);
}
