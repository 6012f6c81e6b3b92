// The PostgreSQL store against the real server on 127.0.0.1:5432: the shared behaviour suite on
// a fresh schema per test (all named after this run, dropped afterwards), plus what only a
// shared server has — instances starting together, reopening, and schema names.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/store/open-store.ts';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { StoreError } from '../../src/store/store-error.ts';
import { identityStoreSuite } from './identity-store-suite.ts';

const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const RUN = `gh_store_${randomBytes(5).toString('hex')}`;
let counter = 0;
let admin: pg.Client;

before(async () => {
  admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
});
after(async () => {
  // Whatever a failed test left behind, by this run's prefix.
  const { rows } = await admin.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${RUN}%`]);
  for (const { nspname } of rows) await admin.query(`DROP SCHEMA ${pg.escapeIdentifier(nspname)} CASCADE`);
  await admin.end();
});

function freshSchema(): string {
  return `${RUN}_${(counter += 1)}`;
}

async function dropSchema(schema: string): Promise<void> {
  await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
}

async function migrationsIn(schema: string): Promise<Array<{ version: number; applied_at: number }>> {
  const { rows } = await admin.query(`SELECT version, applied_at::float8 AS applied_at FROM ${pg.escapeIdentifier(schema)}.schema_migrations ORDER BY version`);
  return rows;
}

identityStoreSuite('postgres', async () => {
  const schema = freshSchema();
  return {
    open: (options) => openPostgresStore({ url: POSTGRES_URL, schema, maxConnections: 4, ...options }),
    cleanup: () => dropSchema(schema),
  };
});

describe('PostgreSQL store schema', () => {
  it('creates the schema and its tables there, not in public', async () => {
    const schema = freshSchema();
    const store = await openStore({ driver: 'postgres', url: POSTGRES_URL, schema });
    try {
      const { rows } = await admin.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema],
      );
      assert.deepEqual(rows.map((row) => row.table_name), [
        'api_tokens', 'clients', 'documents', 'issued_tokens', 'oidc_models', 'revocations', 'schema_migrations', 'signing_keys', 'throttle', 'users',
      ]);
      const { rows: timestamps } = await admin.query<{ data_type: string }>(
        `SELECT data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'users' AND column_name = 'created_at'`, [schema],
      );
      assert.equal(timestamps[0].data_type, 'bigint');
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });

  it('instances starting together on a new schema migrate it exactly once', async () => {
    const schema = freshSchema();
    const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore({ url: POSTGRES_URL, schema, maxConnections: 2 })));
    try {
      assert.deepEqual((await migrationsIn(schema)).map((row) => row.version), POSTGRES_MIGRATIONS.map((migration) => migration.version));
      await stores[0].documents.put('ca', 'state', { serial: 1 });
      assert.deepEqual(await stores[3].documents.get('ca', 'state'), { serial: 1 });
    } finally {
      for (const store of stores) await store.close();
      await dropSchema(schema);
    }
  });

  it('keeps data across a reopen and does not re-run migrations', async () => {
    const schema = freshSchema();
    try {
      const first = await openPostgresStore({ url: POSTGRES_URL, schema, clock: () => 1000 });
      await first.clients.put('demo', { name: 'Demo' }, 1000);
      await first.close();
      const applied = await migrationsIn(schema);
      const second = await openPostgresStore({ url: POSTGRES_URL, schema, clock: () => 2000 });
      try {
        assert.equal((await second.clients.find('demo'))?.createdAt, 1000);
        assert.deepEqual(await migrationsIn(schema), applied);
      } finally {
        await second.close();
      }
    } finally {
      await dropSchema(schema);
    }
  });

  it('refuses a schema migrated by a newer Gatehouse', async () => {
    const schema = freshSchema();
    try {
      await (await openPostgresStore({ url: POSTGRES_URL, schema })).close();
      await admin.query(`INSERT INTO ${pg.escapeIdentifier(schema)}.schema_migrations VALUES (999, 'from the future', 0)`);
      await assert.rejects(openPostgresStore({ url: POSTGRES_URL, schema }), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'ERR_STORE_SCHEMA_TOO_NEW');
        return true;
      });
    } finally {
      await dropSchema(schema);
    }
  });

  it('opens as a user that owns its schema but may not create schemas', async () => {
    const schema = freshSchema();
    const role = `${schema}_owner`;
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    try {
      await admin.query(`CREATE SCHEMA ${schema} AUTHORIZATION ${role}`);
      const { rows } = await admin.query<{ allowed: boolean }>(`SELECT has_database_privilege($1, current_database(), 'CREATE') AS allowed`, [role]);
      assert.equal(rows[0].allowed, false, 'the role really lacks CREATE on the database');
      const store = await openPostgresStore({ url: `postgres://${role}@127.0.0.1:5432/test`, schema });
      try {
        await store.documents.put('ca', 'state', { ok: true });
        assert.equal((await migrationsIn(schema)).length, POSTGRES_MIGRATIONS.length);
      } finally {
        await store.close();
      }
    } finally {
      await dropSchema(schema);
      await admin.query(`DROP ROLE ${role}`);
    }
  });

  it('refuses a schema name that is not a plain identifier, before connecting', async () => {
    for (const schema of ['', '1abc', 'a-b', 'x"; DROP SCHEMA public; --', 'a'.repeat(64)]) {
      await assert.rejects(openPostgresStore({ url: POSTGRES_URL, schema }), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'ERR_STORE_SCHEMA_NAME');
        return true;
      });
    }
  });

  it('keeps an options parameter already in the URL', async () => {
    const schema = freshSchema();
    const store = await openPostgresStore({ url: `${POSTGRES_URL}?options=${encodeURIComponent('-c application_name=gatehouse-store-test')}`, schema });
    try {
      const { rows } = await admin.query<{ count: string }>(
        `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'gatehouse-store-test'`,
      );
      assert.ok(Number(rows[0].count) >= 1, 'the URL option reached the server');
      await store.users.list(); // and the search_path still points at our schema
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });

  it('fails to open, without hanging or leaking a pool, when the server hangs up', async () => {
    const server = createServer((socket) => socket.destroy());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      await assert.rejects(openPostgresStore({ url: `postgres://postgres@127.0.0.1:${port}/test`, schema: freshSchema() }));
    } finally {
      server.close();
    }
  });
});
