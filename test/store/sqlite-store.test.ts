// The SQLite store: the shared behaviour suite on a fresh file per test, plus what only a file
// has — its directory is created, WAL is on, and reopening keeps data without re-migrating.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/store/open-store.ts';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { StoreError } from '../../src/store/store-error.ts';
import { identityStoreSuite } from './identity-store-suite.ts';

const execFileAsync = promisify(execFile);
let root: string;
let counter = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'gatehouse-store-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

identityStoreSuite('sqlite', async () => {
  const path = join(root, `suite-${(counter += 1)}`, 'identity.db');
  return {
    open: (options) => openSqliteStore(path, options),
    cleanup: () => rm(join(path, '..'), { recursive: true, force: true }),
  };
});

function migrationsIn(path: string): Array<{ version: number; applied_at: number }> {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all() as Array<{ version: number; applied_at: number }>;
  } finally {
    db.close();
  }
}

describe('SQLite store file', () => {
  it('creates the file under a missing directory, in WAL mode', async () => {
    const path = join(root, 'missing', 'nested', 'identity.db');
    const store = await openStore({ driver: 'sqlite', path });
    try {
      assert.ok((await stat(path)).isFile());
      const db = new DatabaseSync(path, { readOnly: true });
      assert.equal((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
      db.close();
    } finally {
      await store.close();
    }
  });

  it('keeps data across a reopen and does not re-run migrations', async () => {
    const path = join(root, 'reopen', 'identity.db');
    const first = await openSqliteStore(path, { clock: () => 1000 });
    await first.documents.put('ca', 'state', { serial: 1 });
    await first.close();
    const applied = migrationsIn(path);
    assert.deepEqual(applied.map((row) => row.version), SQLITE_MIGRATIONS.map((migration) => migration.version));

    const second = await openSqliteStore(path, { clock: () => 2000 });
    try {
      assert.deepEqual(await second.documents.get('ca', 'state'), { serial: 1 });
      assert.deepEqual(migrationsIn(path), applied, 'same versions, same applied_at');
    } finally {
      await second.close();
    }
  });

  it('refuses a file migrated by a newer Gatehouse', async () => {
    const path = join(root, 'newer', 'identity.db');
    await (await openSqliteStore(path)).close();
    const db = new DatabaseSync(path);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(999, 'from the future', 0);
    db.close();
    await assert.rejects(openSqliteStore(path), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.equal(error.code, 'ERR_STORE_SCHEMA_TOO_NEW');
      return true;
    });
  });

  it('processes opening one new file at once migrate it exactly once', async () => {
    const path = join(root, 'race', 'identity.db');
    const opener = `import { openSqliteStore } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../src/store/sqlite/sqlite-store.ts')).href)};
      const store = await openSqliteStore(process.argv[1]); await store.users.list(); await store.close();`;
    const runs = [1, 2, 3].map(() => execFileAsync(process.execPath, ['--input-type=module', '-e', opener, path]));
    await Promise.all(runs);
    assert.equal(migrationsIn(path).length, SQLITE_MIGRATIONS.length);
  });
});
