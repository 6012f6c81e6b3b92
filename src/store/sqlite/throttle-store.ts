// Login-throttle counters; a row past expires_at is gone for get() even before the sweeper runs.
import type { ThrottleStore } from '../identity-store.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

interface ThrottleRow {
  failures: number;
  first_failure_at: number;
  locked_until: number | null;
}

export function sqliteThrottleStore(db: SqliteDatabase, clock: () => number): ThrottleStore {
  return {
    async get(key) {
      const row = db.get<ThrottleRow>('SELECT * FROM throttle WHERE key = ? AND expires_at > ?', key, clock());
      return row ? { failures: row.failures, firstFailureAt: row.first_failure_at, lockedUntil: row.locked_until ?? undefined } : undefined;
    },
    async put(key, record, expiresAt) {
      db.run(
        `INSERT INTO throttle (key, failures, first_failure_at, locked_until, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, first_failure_at = excluded.first_failure_at,
           locked_until = excluded.locked_until, expires_at = excluded.expires_at`,
        key, record.failures, record.firstFailureAt, record.lockedUntil, expiresAt,
      );
    },
    async delete(key) {
      db.run('DELETE FROM throttle WHERE key = ?', key);
    },
  };
}
