// Writes queued in one turn of the event loop are written in the next one, each caller resolving once
// its own row is committed; a row that fails rejects its own caller alone; a database closed
// before the flush rejects every queued caller. Real SQLite file in a temp directory.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SqliteDatabase } from '../../../src/store/sqlite/sqlite-database.ts';
import { createWriteBatch } from '../../../src/store/sqlite/write-batch.ts';

let dir: string;
let db: SqliteDatabase;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-write-batch-'));
  db = new SqliteDatabase(join(dir, 'batch.db'));
  db.exec('CREATE TABLE items (id TEXT PRIMARY KEY, value INTEGER NOT NULL CHECK (value >= 0))');
});
after(async () => {
  if (db.isOpen) db.close();
  await rm(dir, { recursive: true, force: true });
});

const count = () => db.get<{ n: number }>('SELECT count(*) AS n FROM items')!.n;

describe('createWriteBatch', () => {
  it('writes in the turn after the callers queued, and resolves each caller once committed', async () => {
    const insert = createWriteBatch<{ id: string; value: number }>(db, (item) => db.run('INSERT INTO items (id, value) VALUES (?, ?)', item.id, item.value));
    const before = count();
    const writes = Array.from({ length: 50 }, (_, index) => insert({ id: `a${index}`, value: index }));
    assert.equal(count(), before, 'nothing is written in the turn that queued the writes');
    await Promise.all(writes);
    assert.equal(count(), before + 50);
  });

  it('rejects only the caller whose row fails; the rest of the batch commits', async () => {
    const insert = createWriteBatch<{ id: string; value: number }>(db, (item) => db.run('INSERT INTO items (id, value) VALUES (?, ?)', item.id, item.value));
    const results = await Promise.allSettled([insert({ id: 'b1', value: 1 }), insert({ id: 'b2', value: -1 }), insert({ id: 'a0', value: 3 }), insert({ id: 'b4', value: 4 })]);
    assert.deepEqual(results.map((result) => result.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    assert.deepEqual(db.all<{ id: string }>("SELECT id FROM items WHERE id LIKE 'b%' ORDER BY id").map((row) => row.id), ['b1', 'b4']);
    assert.equal(db.get<{ value: number }>("SELECT value FROM items WHERE id = 'a0'")!.value, 0, 'the failed row changed nothing');
  });

  it('rejects every queued caller when the database is closed before the flush', async () => {
    const insert = createWriteBatch<{ id: string; value: number }>(db, (item) => db.run('INSERT INTO items (id, value) VALUES (?, ?)', item.id, item.value));
    const writes = [insert({ id: 'c1', value: 1 }), insert({ id: 'c2', value: 2 })];
    db.close();
    const results = await Promise.allSettled(writes);
    assert.deepEqual(results.map((result) => result.status), ['rejected', 'rejected']);
  });
});
