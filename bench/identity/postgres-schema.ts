// A PostgreSQL schema of its own per benchmark run, dropped afterwards: the service creates the
// tables in it (migrations), nothing else in the database is touched.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchSchema {
  readonly url: string;
  readonly schema: string;
  drop(): Promise<void>;
}

/** Checks the server answers, then names a fresh schema (the service's migrations create it). */
export async function reserveBenchSchema(url: string): Promise<BenchSchema> {
  const schema = `bench_identity_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`PostgreSQL at ${url.replace(/\/\/[^@/]*@/, '//…@')} is not reachable (${(error as Error).message}); pass --stores sqlite to skip it`);
  } finally {
    await client.end().catch(() => {});
  }
  return {
    url,
    schema,
    async drop() {
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      try {
        await dropper.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      } finally {
        await dropper.end();
      }
    },
  };
}
