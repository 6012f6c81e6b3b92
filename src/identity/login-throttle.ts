// Online password guessing is slowed two ways (OWASP Authentication Cheat Sheet, "Account
// lockout"): per account — keyed by the lower-cased username whether or not the user exists, so
// lockouts reveal nothing about which usernames are real — and per client IP, which catches one
// source spraying many usernames. After `maxFailures` failures a key is locked for
// `lockoutSeconds`; every further failure once the lock has passed doubles it, up to
// `maxLockoutSeconds`. Counts are forgotten `windowSeconds` after the last failure or lock.
import type { ThrottleRecord, ThrottleStore } from '../store/identity-store.ts';

export interface LockoutConfig {
  readonly maxFailures: number;
  readonly windowSeconds: number;
  readonly lockoutSeconds: number;
  readonly maxLockoutSeconds: number;
  readonly perIpMaxFailures: number;
}

export type ThrottleVerdict = { locked: false } | { locked: true; retryAfterSeconds: number };

export interface LoginThrottle {
  check(username: string, ip: string, now: number): Promise<ThrottleVerdict>;
  recordFailure(username: string, ip: string, now: number): Promise<void>;
  /** Forgets the account's failures. The IP's count stays: one valid login must not reset a spray. */
  recordSuccess(username: string, ip: string): Promise<void>;
}

export function accountKey(username: string): string {
  return `account:${username.toLowerCase()}`;
}

export function ipKey(ip: string): string {
  return `ip:${ip}`;
}

export function createLoginThrottle(store: ThrottleStore, config: LockoutConfig): LoginThrottle {
  async function lockedFor(key: string, now: number): Promise<number> {
    const record = await store.get(key);
    return record?.lockedUntil !== undefined && record.lockedUntil > now ? record.lockedUntil - now : 0;
  }

  async function fail(key: string, maxFailures: number, now: number): Promise<void> {
    let current = await store.get(key);
    // Below the threshold, failures older than the window start a fresh count.
    if (current && current.failures < maxFailures && now - current.firstFailureAt >= config.windowSeconds) current = undefined;
    const failures = (current?.failures ?? 0) + 1;
    let lockedUntil = current?.lockedUntil;
    if (failures >= maxFailures) {
      const doublings = Math.min(failures - maxFailures, 30);
      lockedUntil = now + Math.min(config.lockoutSeconds * 2 ** doublings, config.maxLockoutSeconds);
    }
    const record: ThrottleRecord = { failures, firstFailureAt: current?.firstFailureAt ?? now, lockedUntil };
    await store.put(key, record, Math.max(now, lockedUntil ?? 0) + config.windowSeconds);
  }

  return {
    async check(username, ip, now) {
      const [account, address] = await Promise.all([lockedFor(accountKey(username), now), lockedFor(ipKey(ip), now)]);
      const retryAfterSeconds = Math.max(account, address);
      return retryAfterSeconds > 0 ? { locked: true, retryAfterSeconds } : { locked: false };
    },
    async recordFailure(username, ip, now) {
      await fail(accountKey(username), config.maxFailures, now);
      await fail(ipKey(ip), config.perIpMaxFailures, now);
    },
    async recordSuccess(username) {
      await store.delete(accountKey(username));
    },
  };
}
