// What every `gatehouse identity <group> …` command works on: the IdentityService config, the
// store it names (opened directly, the service need not run) and the revocation publisher, so a
// revocation made from the CLI reaches gateways exactly as one made through the admin API.
import { ConfigError } from '../config/config-error.ts';
import { IdentityError } from '../identity/identity-error.ts';
import { loadIdentityConfig, maxAccessTokenSeconds, type IdentityConfig } from '../identity/identity-config.ts';
import type { IdentityStore, RevocationRecord } from '../store/identity-store.ts';
import { openStore } from '../store/open-store.ts';
import { createRevocationPublisher } from '../store/redis/revocation-publisher.ts';
import { CommandFailure } from './cli-errors.ts';
import { writeConfigProblems } from './config-problems.ts';

export interface IdentityContext {
  config: IdentityConfig;
  store: IdentityStore;
  revoke(record: RevocationRecord): Promise<void>;
  maxAccessTokenSeconds: number;
  now(): number;
}

/** The identity config at `configPath`, or undefined once its problems are printed like `gatehouse check`. */
export async function loadIdentityConfigOrReport(configPath: string): Promise<IdentityConfig | undefined> {
  try {
    return await loadIdentityConfig(configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    writeConfigProblems(error);
    return undefined;
  }
}

/** Runs `work` with the store open; config problems print like `gatehouse check` (exit 1). */
export async function withIdentityStore(configPath: string, work: (context: IdentityContext) => Promise<number>): Promise<number> {
  const config = await loadIdentityConfigOrReport(configPath);
  if (config === undefined) return 1;
  const store = await openStore(config.storage);
  const publisher = createRevocationPublisher({ store: store.revocations, redisUrl: config.revocation?.redisUrl, keyPrefix: config.revocation?.keyPrefix ?? 'gatehouse:' });
  try {
    return await work({
      config,
      store,
      revoke: (record) => publisher.revoke(record),
      maxAccessTokenSeconds: maxAccessTokenSeconds(config),
      now: () => Math.floor(Date.now() / 1000),
    });
  } catch (error) {
    // IdentityError codes become the CLI's stable ERR_* codes (exit 1).
    if (error instanceof IdentityError) throw new CommandFailure(`ERR_${error.code.toUpperCase()}`, error.message);
    throw error;
  } finally {
    await publisher.close();
    await store.close();
  }
}

/** The password from stdin (never argv: shell history and `ps` would show it); one final newline dropped. */
export async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    if (process.stdin.isTTY && chunk.includes(10)) break;
  }
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password === '') throw new CommandFailure('ERR_PASSWORD_MISSING', 'no password on stdin (pipe it in, e.g. printf %s "$PASSWORD" | gatehouse identity users add …)');
  return password;
}
