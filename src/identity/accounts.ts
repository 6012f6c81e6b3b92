// Users: sign-in through the login throttle, OIDC claims per scope, oidc-provider's findAccount,
// and the administration the admin API and CLI share. Passwords are hashed here (passwords.ts);
// the store only ever sees hashes.
import { randomUUID } from 'node:crypto';
import { StoreConflictError, type IdentityStore, type RevocationRecord, type UserRecord } from '../store/identity-store.ts';
import { IdentityError } from './identity-error.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.ts';

const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const MIN_PASSWORD_LENGTH = 8;
/** argon2 hashes any length; bounding it keeps a login request from costing more than intended. */
const MAX_PASSWORD_LENGTH = 1024;

export type AuthenticationResult =
  | { ok: true; user: UserRecord }
  | { ok: false; reason: 'invalid' | 'locked'; retryAfterSeconds?: number };

export interface NewAccount {
  username: string;
  password: string;
  roles?: readonly string[];
  groups?: readonly string[];
  name?: string;
  email?: string;
}

/** What oidc-provider's `findAccount` resolves to (its Account interface). */
export interface ProviderAccount {
  accountId: string;
  claims(use: string, scope: string): Promise<AccountClaims>;
}

/** OpenID Connect claims of a user; `sub` is always present. */
export type AccountClaims = { sub: string } & Record<string, unknown>;

export interface AccountsDeps {
  store: Pick<IdentityStore, 'users'>;
  throttle: LoginThrottle;
  /** Publishes a revocation (store + Redis); called when a user is disabled. */
  onRevoke?: (record: RevocationRecord) => Promise<void>;
  /** How long a subject revocation must outlive the tokens it covers (the longest access token). */
  maxAccessTokenSeconds?: number;
  clock?: () => number;
}

export type Accounts = ReturnType<typeof createAccounts>;

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new IdentityError('weak_password', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new IdentityError('weak_password', `a password has at most ${MAX_PASSWORD_LENGTH} characters`);
}

/** A user as APIs and the CLI show it: never the password hash. */
export function publicUser(user: UserRecord) {
  const { passwordHash: _hash, ...visible } = user;
  return visible;
}

export function createAccounts(deps: AccountsDeps) {
  const { store, throttle } = deps;
  const clock = deps.clock ?? (() => Math.floor(Date.now() / 1000));

  async function requireUser(username: string): Promise<UserRecord> {
    const user = await store.users.findByUsername(username);
    if (!user) throw new IdentityError('user_not_found', `no user "${username}"`);
    return user;
  }

  function claims(user: UserRecord, scopes: ReadonlySet<string>): AccountClaims {
    // OpenID Connect Core §5.4: claims are released per requested scope.
    const result: AccountClaims = { sub: user.id };
    if (scopes.has('profile')) {
      result.preferred_username = user.username;
      if (user.name !== undefined) result.name = user.name;
    }
    if (scopes.has('email') && user.email !== undefined) result.email = user.email;
    if (scopes.has('roles')) {
      result.roles = [...user.roles];
      result.groups = [...user.groups];
    }
    return result;
  }

  return {
    async authenticate(username: string, password: string, ip: string, now: number): Promise<AuthenticationResult> {
      const verdict = await throttle.check(username, ip, now);
      if (verdict.locked) return { ok: false, reason: 'locked', retryAfterSeconds: verdict.retryAfterSeconds };
      const user = password.length <= MAX_PASSWORD_LENGTH ? await store.users.findByUsername(username) : undefined;
      // Unknown, disabled and wrong-password logins cost the same and answer the same.
      const valid = user ? (await verifyPassword(user.passwordHash, password)) && !user.disabled : await verifyAgainstDummy(password);
      if (!valid || !user) {
        await throttle.recordFailure(username, ip, now);
        return { ok: false, reason: 'invalid' };
      }
      await throttle.recordSuccess(username, ip);
      return { ok: true, user };
    },

    claims,

    /** oidc-provider's findAccount: disabled or deleted users have no account (their grants stop working). */
    async findAccount(_ctx: unknown, sub: string): Promise<ProviderAccount | undefined> {
      const user = await store.users.findById(sub);
      if (!user || user.disabled) return undefined;
      return {
        accountId: user.id,
        claims: async (_use, scope) => claims(user, new Set(scope.split(' ').filter(Boolean))),
      };
    },

    async addUser(account: NewAccount): Promise<UserRecord> {
      if (!USERNAME_PATTERN.test(account.username)) {
        throw new IdentityError('invalid_username', 'a username is 1-64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit');
      }
      checkPassword(account.password);
      const user = {
        id: randomUUID(),
        username: account.username,
        passwordHash: await hashPassword(account.password),
        name: account.name,
        email: account.email,
        roles: [...(account.roles ?? [])],
        groups: [...(account.groups ?? [])],
        disabled: false,
      };
      try {
        return await store.users.create(user, clock());
      } catch (error) {
        if (error instanceof StoreConflictError) throw new IdentityError('user_exists', `the username "${account.username}" is taken`);
        throw error;
      }
    },

    async setPassword(username: string, password: string): Promise<UserRecord> {
      checkPassword(password);
      const user = await requireUser(username);
      const updated = await store.users.update(user.id, { passwordHash: await hashPassword(password) }, clock());
      if (!updated) throw new IdentityError('user_not_found', `no user "${username}"`);
      return updated;
    },

    /** Disabling also revokes every access token already issued to the user (a 'subject' revocation). */
    async setDisabled(username: string, disabled: boolean): Promise<UserRecord> {
      const user = await requireUser(username);
      const now = clock();
      const updated = await store.users.update(user.id, { disabled }, now);
      if (!updated) throw new IdentityError('user_not_found', `no user "${username}"`);
      if (disabled && deps.onRevoke) {
        await deps.onRevoke({ kind: 'subject', value: user.id, revokedAt: now, expiresAt: now + (deps.maxAccessTokenSeconds ?? 3600) });
      }
      return updated;
    },

    findByUsername: (username: string) => store.users.findByUsername(username),

    list: () => store.users.list(),
  };
}
