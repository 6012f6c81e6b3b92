// Login-throttle counters; a row past expires_at is gone for get() even before the sweeper runs.
import type pg from 'pg';
import type { ThrottleStore } from '../identity-store.ts';

interface ThrottleRow {
  failures: number;
  first_failure_at: number;
  locked_until: number | null;
}

export function postgresThrottleStore(pool: pg.Pool, clock: () => number): ThrottleStore {
  return {
    async get(key) {
      const { rows } = await pool.query<ThrottleRow>('SELECT * FROM throttle WHERE key = $1 AND expires_at > $2', [key, clock()]);
      const row = rows[0];
      return row ? { failures: row.failures, firstFailureAt: row.first_failure_at, lockedUntil: row.locked_until ?? undefined } : undefined;
    },
    async put(key, record, expiresAt) {
      await pool.query(
        `INSERT INTO throttle (key, failures, first_failure_at, locked_until, expires_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, first_failure_at = excluded.first_failure_at,
           locked_until = excluded.locked_until, expires_at = excluded.expires_at`,
        [key, record.failures, record.firstFailureAt, record.lockedUntil ?? null, expiresAt],
      );
    },
    async delete(key) {
      await pool.query('DELETE FROM throttle WHERE key = $1', [key]);
    },
  };
}
