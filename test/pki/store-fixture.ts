// Identity stores for the store-backed CA tests: a SQLite file in a temporary directory and a
// PostgreSQL schema of its own (dropped afterwards), both through the real openStore.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { IdentityStore, StoreConfig } from '../../src/store/identity-store.ts';
import { openStore } from '../../src/store/open-store.ts';

export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  readonly driver: 'sqlite' | 'postgres';
  readonly config: StoreConfig;
  readonly store: IdentityStore;
  close(): Promise<void>;
}

export async function openTestStore(driver: 'sqlite' | 'postgres'): Promise<TestStore> {
  if (driver === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-ca-store-'));
    const config: StoreConfig = { driver: 'sqlite', path: join(dir, 'identity.db') };
    const store = await openStore(config);
    return { driver, config, store, close: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    } };
  }
  const schema = `ca_test_${randomBytes(6).toString('hex')}`;
  const config: StoreConfig = { driver: 'postgres', url: POSTGRES_URL, schema };
  const store = await openStore(config);
  return { driver, config, store, close: async () => {
    await store.close();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  } };
}
