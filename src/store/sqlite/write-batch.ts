// Single-row writes that concurrent requests make (one issued-token record per access token)
// commit together: each is queued and the queue runs in one BEGIN IMMEDIATE … COMMIT on the next
// turn of the event loop. An autocommitted insert into issued_tokens costs ~34 µs of CPU, one
// inside a shared transaction ~15 µs (docs/performance.md, "Identity throughput"). Every caller
// still waits until its own row is committed, and a row that fails fails only its own caller.
import type { SqliteDatabase } from './sqlite-database.ts';

interface Pending<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Returns `enqueue(item)`, which resolves once `write(item)` has been committed. */
export function createWriteBatch<T>(db: SqliteDatabase, write: (item: T) => void): (item: T) => Promise<void> {
  let queue: Pending<T>[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    const failed = new Set<Pending<T>>();
    try {
      db.immediate(() => {
        for (const pending of batch) {
          try {
            write(pending.item);
          } catch (error) {
            // SQLite undoes the failed statement alone; the rest of the transaction stands.
            failed.add(pending);
            pending.reject(error);
          }
        }
      });
    } catch (error) {
      for (const pending of batch) if (!failed.has(pending)) pending.reject(error);
      return;
    }
    for (const pending of batch) if (!failed.has(pending)) pending.resolve();
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ item, resolve, reject });
    });
}
