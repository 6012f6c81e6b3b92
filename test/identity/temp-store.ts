// A real SQLite identity store in a fresh temp directory, with a clock the test moves by hand
// (the store decides expiry by it), removed again by cleanup().
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IdentityStore } from '../../src/store/identity-store.ts';
import { openStore } from '../../src/store/open-store.ts';

export const T0 = 1_800_000_000;

export interface TempStore {
  store: IdentityStore;
  path: string;
  clock: { now: number };
  /** Another store on the same database file (a second instance). */
  openAnother(): Promise<IdentityStore>;
  cleanup(): Promise<void>;
}

export async function openTempStore(): Promise<TempStore> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-identity-'));
  const path = join(dir, 'identity.db');
  const clock = { now: T0 };
  const opened: IdentityStore[] = [];
  const open = async () => {
    const store = await openStore({ driver: 'sqlite', path }, { clock: () => clock.now });
    opened.push(store);
    return store;
  };
  const store = await open();
  return {
    store,
    path,
    clock,
    openAnother: open,
    async cleanup() {
      for (const each of opened.splice(0)) await each.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
