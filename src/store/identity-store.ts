// The identity service's storage: one interface, two real implementations (SQLite via
// node:sqlite for one machine, PostgreSQL via pg for several instances). Everything the identity
// service keeps goes through it: oidc-provider's models, users, clients, API tokens, signing
// keys, login throttling, issued access tokens (for revocation), revocations, and small
// documents (the store-backed CA). The store is dumb: it never hashes, encrypts or decides;
// secrets reach it already hashed or encrypted.
//
// Times are epoch seconds (integers). JSON columns round-trip plain objects exactly.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A unique key (username, client id, token hash, kid) already exists. */
export class StoreConflictError extends Error {
  readonly entity: string;
  constructor(entity: string, message: string) {
    super(message);
    this.name = 'StoreConflictError';
    this.entity = entity;
  }
}

// ── oidc-provider models (Adapter backing) ──────────────────────────────────────────────────
/**
 * One table for every oidc-provider model (Session, Interaction, AuthorizationCode, RefreshToken,
 * Grant, ClientCredentials, AccessToken when opaque, ...). Mirrors oidc-provider's Adapter:
 * `find*` return undefined for missing *or expired* rows; `consume` marks a row consumed
 * (payload.consumed = now) so a second use is detected by oidc-provider.
 */
export interface OidcModelStore {
  upsert(model: string, id: string, payload: JsonObject, expiresInSeconds: number | undefined): Promise<void>;
  find(model: string, id: string): Promise<JsonObject | undefined>;
  findByUid(model: string, uid: string): Promise<JsonObject | undefined>;
  findByUserCode(model: string, userCode: string): Promise<JsonObject | undefined>;
  consume(model: string, id: string): Promise<void>;
  destroy(model: string, id: string): Promise<void>;
  /** Deletes every row of `model` whose payload.grantId is `grantId`. */
  revokeByGrantId(model: string, grantId: string): Promise<void>;
}

// ── users ───────────────────────────────────────────────────────────────────────────────────
export interface UserRecord {
  readonly id: string;
  readonly username: string;
  /** PHC-style argon2id string, made by src/identity/passwords.ts. */
  readonly passwordHash: string;
  readonly name: string | undefined;
  readonly email: string | undefined;
  readonly roles: readonly string[];
  readonly groups: readonly string[];
  readonly disabled: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}
export type NewUser = Omit<UserRecord, 'createdAt' | 'updatedAt'>;
export type UserPatch = Partial<Pick<UserRecord, 'passwordHash' | 'name' | 'email' | 'roles' | 'groups' | 'disabled'>>;

export interface UserStore {
  /** Throws StoreConflictError('user', …) when the username is taken. */
  create(user: NewUser, now: number): Promise<UserRecord>;
  findById(id: string): Promise<UserRecord | undefined>;
  /** Usernames compare case-insensitively (stored as given, matched lower-cased). */
  findByUsername(username: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  update(id: string, patch: UserPatch, now: number): Promise<UserRecord | undefined>;
}

// ── OAuth clients ───────────────────────────────────────────────────────────────────────────
export interface ClientRecord {
  readonly clientId: string;
  /** The identity layer's client document (src/identity/clients.ts defines it); secrets inside are encrypted. */
  readonly document: JsonObject;
  readonly createdAt: number;
  readonly updatedAt: number;
}
export interface ClientStore {
  /** Insert or replace. */
  put(clientId: string, document: JsonObject, now: number): Promise<ClientRecord>;
  find(clientId: string): Promise<ClientRecord | undefined>;
  list(): Promise<ClientRecord[]>;
  /** True when a row was removed. */
  remove(clientId: string): Promise<boolean>;
}

// ── API tokens (personal access tokens) ─────────────────────────────────────────────────────
export interface ApiTokenRecord {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  /** SHA-256 hex of the whole token string; the token itself is never stored. */
  readonly tokenHash: string;
  /** What lists show, e.g. "gat_3kF9…" (prefix + first characters). */
  readonly displayPrefix: string;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number | undefined;
  readonly lastUsedAt: number | undefined;
  readonly revokedAt: number | undefined;
}
export interface ApiTokenStore {
  /** Throws StoreConflictError('api_token', …) on a duplicate id or hash, or a duplicate name for the same user. */
  create(record: Omit<ApiTokenRecord, 'lastUsedAt' | 'revokedAt'>): Promise<ApiTokenRecord>;
  findById(id: string): Promise<ApiTokenRecord | undefined>;
  findByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  /** All tokens, or one user's, newest first. */
  list(userId?: string): Promise<ApiTokenRecord[]>;
  touch(id: string, lastUsedAt: number): Promise<void>;
  /** Sets revokedAt once; false when the id is unknown or already revoked. */
  revoke(id: string, revokedAt: number): Promise<boolean>;
}

// ── signing keys ────────────────────────────────────────────────────────────────────────────
export type SigningKeyState = 'next' | 'active' | 'retired';
export interface SigningKeyRecord {
  readonly kid: string;
  readonly alg: string;
  readonly publicJwk: JsonObject;
  /** The private JWK, encrypted by src/identity/keys (the store never sees it in clear). */
  readonly encryptedPrivateJwk: string;
  readonly state: SigningKeyState;
  readonly createdAt: number;
  readonly activatedAt: number | undefined;
  readonly retiredAt: number | undefined;
  /** When a retired key may leave the JWKS (every token it signed has expired by then). */
  readonly removeAfter: number | undefined;
}
export interface SigningKeyStore {
  list(): Promise<SigningKeyRecord[]>;
  /**
   * Replaces the whole key set atomically with what `change` returns, serialized across
   * processes and instances (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory transaction lock),
   * so two instances rotating at once cannot both promote a key. `change` sees the current set.
   */
  mutate(change: (current: readonly SigningKeyRecord[]) => readonly SigningKeyRecord[] | Promise<readonly SigningKeyRecord[]>): Promise<SigningKeyRecord[]>;
}

// ── login throttling (lockout / backoff) ────────────────────────────────────────────────────
export interface ThrottleRecord {
  readonly failures: number;
  readonly firstFailureAt: number;
  readonly lockedUntil: number | undefined;
}
export interface ThrottleStore {
  get(key: string): Promise<ThrottleRecord | undefined>;
  /** Stored until `expiresAt`, then gone (swept, and never returned by get). */
  put(key: string, record: ThrottleRecord, expiresAt: number): Promise<void>;
  delete(key: string): Promise<void>;
}

// ── issued JWT access tokens and revocations ────────────────────────────────────────────────
/** A JWT access token the service issued (oidc-provider does not store structured tokens). */
export interface IssuedTokenRecord {
  readonly jti: string;
  readonly grantId: string | undefined;
  readonly clientId: string;
  readonly accountId: string | undefined;
  readonly expiresAt: number;
}
export interface IssuedTokenStore {
  record(token: IssuedTokenRecord): Promise<void>;
  find(jti: string): Promise<IssuedTokenRecord | undefined>;
  byGrant(grantId: string): Promise<IssuedTokenRecord[]>;
  byClient(clientId: string): Promise<IssuedTokenRecord[]>;
  byAccount(accountId: string): Promise<IssuedTokenRecord[]>;
}

/**
 * What gateways must refuse: `jti` (one JWT), `token-hash` (an opaque/API token, SHA-256 hex),
 * `client` (every token of a client issued at or before revokedAt), `subject` (likewise for a user).
 */
export type RevocationKind = 'jti' | 'token-hash' | 'client' | 'subject';
export interface RevocationRecord {
  readonly kind: RevocationKind;
  readonly value: string;
  readonly revokedAt: number;
  /** After this no token it covers can still be valid; the row is swept. */
  readonly expiresAt: number;
}
export interface RevocationStore {
  /** Idempotent on (kind, value): a second add keeps the later expiresAt. */
  add(revocation: RevocationRecord): Promise<void>;
  active(now: number): Promise<RevocationRecord[]>;
}

// ── small documents (store-backed CA state and the like) ────────────────────────────────────
export interface DocumentStore {
  get(namespace: string, key: string): Promise<JsonObject | undefined>;
  put(namespace: string, key: string, value: JsonObject): Promise<void>;
  list(namespace: string): Promise<Array<{ key: string; value: JsonObject }>>;
  delete(namespace: string, key: string): Promise<boolean>;
}

// ── the whole store ─────────────────────────────────────────────────────────────────────────
export interface IdentityStore {
  /** 'sqlite' or 'postgres', for logs and /readyz. */
  readonly driver: 'sqlite' | 'postgres';
  readonly oidc: OidcModelStore;
  readonly users: UserStore;
  readonly clients: ClientStore;
  readonly apiTokens: ApiTokenStore;
  readonly signingKeys: SigningKeyStore;
  readonly throttle: ThrottleStore;
  readonly issuedTokens: IssuedTokenStore;
  readonly revocations: RevocationStore;
  readonly documents: DocumentStore;
  /** Deletes rows past their expiry (oidc models, throttle, issued tokens, revocations); returns how many. */
  sweepExpired(now: number): Promise<number>;
  /** Answers when the database answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type StoreConfig =
  | { readonly driver: 'sqlite'; readonly path: string }
  | { readonly driver: 'postgres'; readonly url: string; readonly schema?: string; readonly maxConnections?: number };
