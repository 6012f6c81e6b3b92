// docs/identity-storage.md says what it does: its YAML examples load as IdentityService
// configs with the storage they describe, and the SQLite backup recipes it gives produce a copy
// of a running store (recent commits included) that opens as a store.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { loadIdentityConfig } from '../../src/identity/identity-config.ts';
import { openStore } from '../../src/store/open-store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const execFileAsync = promisify(execFile);
const DOC = join(import.meta.dirname, '../../docs/identity-storage.md');
const ENV = {
  GATEHOUSE_IDENTITY_KEK: 'correct horse battery staple, test only',
  GATEHOUSE_IDENTITY_DATABASE_URL: 'postgres://gatehouse:secret@db.internal:5432/identity',
};

function fenced(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]);
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-storage-doc-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('docs/identity-storage.md', () => {
  it('has a SQLite and a PostgreSQL example, each loading with the storage it shows', async () => {
    const examples = fenced(await readFile(DOC, 'utf8'), 'yaml');
    assert.equal(examples.length, 2);
    const storages = [];
    for (const [index, yaml] of examples.entries()) {
      const file = join(dir, `identity-${index}.yaml`);
      await writeFile(file, yaml);
      storages.push((await loadIdentityConfig(file, ENV)).storage);
    }
    assert.deepEqual(storages, [
      { driver: 'sqlite', path: join(dir, 'data', 'identity.db') },
      { driver: 'postgres', url: ENV.GATEHOUSE_IDENTITY_DATABASE_URL, schema: 'gatehouse_identity', maxConnections: 10 },
    ]);
  });

  it('the SQLite default opens under the config directory, creating data/', async () => {
    const file = join(dir, 'default.yaml');
    const yaml = fenced(await readFile(DOC, 'utf8'), 'yaml')[0].replace(/\n {2}storage:\n.*\n/, '\n');
    assert.doesNotMatch(yaml, /storage/);
    await writeFile(file, yaml);
    const { storage } = await loadIdentityConfig(file, ENV);
    assert.deepEqual(storage, { driver: 'sqlite', path: join(dir, 'data', 'identity.db') });
    const store = await openStore(storage);
    await store.close();
  });

  it('both SQLite backup recipes copy a running store, recent commits included', async () => {
    const live = join(dir, 'backup', 'data', 'identity.db');
    const store = await openSqliteStore(live);
    try {
      await store.documents.put('ca', 'state', { serial: 7 });
      // The commit is still in identity.db-wal (no checkpoint yet): copying identity.db alone would miss it.
      assert.ok((await stat(`${live}-wal`)).size > 0);
      await execFileAsync('sqlite3', [live, ".backup 'identity-backup.db'"], { cwd: join(dir, 'backup') });
      const vacuumed = join(dir, 'backup', 'identity-vacuum.db');
      const db = new DatabaseSync(live);
      db.prepare('VACUUM INTO ?').run(vacuumed);
      db.close();
      for (const copy of [join(dir, 'backup', 'identity-backup.db'), vacuumed]) {
        const restored = await openSqliteStore(copy);
        assert.deepEqual(await restored.documents.get('ca', 'state'), { serial: 7 }, copy);
        await restored.close();
      }
    } finally {
      await store.close();
    }
  });
});
