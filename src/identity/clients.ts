// OAuth clients: the document the store keeps (secret sealed with the KEK), the rules a client
// must satisfy, syncing the clients named in the config, and the metadata oidc-provider loads.
import { randomBytes } from 'node:crypto';
import type { ClientRecord, IdentityStore, JsonObject, RevocationRecord } from '../store/identity-store.ts';
import { IdentityError } from './identity-error.ts';
import { openSecret, sealSecret } from './secret-box.ts';

export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
const CLIENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
/** Low enough for the documented demo secret `demo-m2m-secret` (15); generate real ones (openssl rand -base64 32). */
const MIN_CLIENT_SECRET_LENGTH = 12;

function isAbsoluteHttpUrl(text: string): boolean {
  return URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
}

export interface ClientSpec {
  clientId: string;
  clientSecret?: string;
  name: string;
  /** token_endpoint_auth_method none; PKCE S256 required. */
  public: boolean;
  /** First-party: consent skipped. */
  trusted: boolean;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: GrantType[];
  scopes: string[];
  resources: string[];
}

/** What the store keeps per client (ClientRecord.document). */
export interface ClientDocument extends Omit<ClientSpec, 'clientSecret'> {
  /** sealSecret(kek, secret); absent for public clients. */
  sealedSecret?: string;
  /** 'config': kept in step with the config file; 'admin': added through the API or CLI. */
  origin: 'config' | 'admin';
}

export type ClientStore = Pick<IdentityStore, 'clients'>;

/** Problems with a spec, each with the field it concerns (empty when valid). */
export function validateClientSpec(spec: ClientSpec): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  const grants = new Set(spec.grantTypes);
  if (!CLIENT_ID_PATTERN.test(spec.clientId)) problems.push({ field: 'clientId', message: 'must be 1-128 letters, digits, ".", "_", ":" or "-"' });
  if (grants.size === 0) problems.push({ field: 'grantTypes', message: 'a client needs at least one grant type' });
  for (const grant of grants) {
    if (!(GRANT_TYPES as readonly string[]).includes(grant)) problems.push({ field: 'grantTypes', message: `unknown grant type "${grant}" (${GRANT_TYPES.join(', ')})` });
  }
  for (const field of ['redirectUris', 'postLogoutRedirectUris', 'resources'] as const) {
    for (const uri of spec[field]) if (!isAbsoluteHttpUrl(uri)) problems.push({ field, message: `"${uri}" is not an absolute http(s) URL` });
  }
  if (spec.public && spec.clientSecret !== undefined) problems.push({ field: 'clientSecret', message: 'a public client has no secret' });
  if (spec.public && grants.has('client_credentials')) {
    problems.push({ field: 'grantTypes', message: 'client_credentials needs a confidential client (RFC 6749 §4.4)' });
  }
  if (grants.has('authorization_code') && spec.redirectUris.length === 0) {
    problems.push({ field: 'redirectUris', message: 'authorization_code needs at least one redirect URI' });
  }
  if (grants.has('refresh_token') && !grants.has('authorization_code')) {
    problems.push({ field: 'grantTypes', message: 'refresh_token comes with authorization_code' });
  }
  if (!grants.has('authorization_code') && spec.redirectUris.length > 0) {
    problems.push({ field: 'redirectUris', message: 'redirect URIs only make sense with authorization_code' });
  }
  // oidc-provider refuses `scope: ""`, and an absent scope would allow every scope: name them.
  if (spec.scopes.length === 0) problems.push({ field: 'scopes', message: 'a client needs at least one scope (e.g. openid to sign users in, or a resource scope)' });
  if (spec.clientSecret !== undefined && spec.clientSecret.length < MIN_CLIENT_SECRET_LENGTH) {
    problems.push({ field: 'clientSecret', message: `a client secret needs at least ${MIN_CLIENT_SECRET_LENGTH} characters` });
  }
  return problems;
}

function toDocument(spec: ClientSpec, kek: Buffer, origin: ClientDocument['origin']): ClientDocument {
  const { clientSecret, ...rest } = spec;
  return { ...rest, origin, ...(clientSecret === undefined ? {} : { sealedSecret: sealSecret(kek, clientSecret) }) };
}

export function readClientDocument(record: ClientRecord): ClientDocument {
  return record.document as unknown as ClientDocument;
}

/** Config wins for the ids it names; config clients dropped from the file are removed. */
export async function syncConfiguredClients(store: ClientStore, specs: readonly ClientSpec[], kek: Buffer, now: number): Promise<void> {
  const configured = new Set(specs.map((spec) => spec.clientId));
  for (const spec of specs) {
    await store.clients.put(spec.clientId, toDocument(spec, kek, 'config') as unknown as JsonObject, now);
  }
  for (const record of await store.clients.list()) {
    if (readClientDocument(record).origin === 'config' && !configured.has(record.clientId)) await store.clients.remove(record.clientId);
  }
}

/**
 * Adds a client; a confidential client without a given secret gets a generated one, returned
 * here once (only its sealed form is stored).
 */
export async function addClient(
  store: ClientStore,
  spec: ClientSpec,
  kek: Buffer,
  now: number,
): Promise<{ document: ClientDocument; clientSecret: string | undefined }> {
  const clientSecret = spec.public ? undefined : (spec.clientSecret ?? randomBytes(32).toString('base64url'));
  const complete = { ...spec, clientSecret };
  const [problem] = validateClientSpec(complete);
  if (problem) throw new IdentityError('invalid_client', `${problem.field}: ${problem.message}`);
  if (await store.clients.find(spec.clientId)) throw new IdentityError('client_exists', `a client "${spec.clientId}" exists already`);
  const document = toDocument(complete, kek, 'admin');
  await store.clients.put(spec.clientId, document as unknown as JsonObject, now);
  return { document, clientSecret };
}

export async function listClients(store: ClientStore): Promise<ClientDocument[]> {
  return (await store.clients.list()).map(readClientDocument);
}

/** A client as APIs and the CLI show it: never the (sealed) secret. */
export function publicClient(document: ClientDocument) {
  const { sealedSecret, ...visible } = document;
  return { ...visible, confidential: sealedSecret !== undefined };
}

/** Removing a client also revokes every token already issued to it (a 'client' revocation). */
export async function removeClient(
  store: ClientStore,
  clientId: string,
  options: { now: number; onRevoke?: (record: RevocationRecord) => Promise<void>; maxAccessTokenSeconds?: number },
): Promise<boolean> {
  const removed = await store.clients.remove(clientId);
  if (removed && options.onRevoke) {
    const { now } = options;
    await options.onRevoke({ kind: 'client', value: clientId, revokedAt: now, expiresAt: now + (options.maxAccessTokenSeconds ?? 3600) });
  }
  return removed;
}

/** oidc-provider client metadata (RFC 7591 names) plus Gatehouse's extra metadata. */
export function toProviderMetadata(document: ClientDocument, kek: Buffer): Record<string, unknown> {
  return providerMetadata(document, document.sealedSecret === undefined ? undefined : openSecret(kek, document.sealedSecret));
}

/** toProviderMetadata with the secret already opened (src/identity/client-metadata-cache.ts). */
export function providerMetadata(document: ClientDocument, clientSecret: string | undefined): Record<string, unknown> {
  const grants = document.grantTypes;
  return {
    client_id: document.clientId,
    ...(clientSecret === undefined ? {} : { client_secret: clientSecret }),
    client_name: document.name,
    redirect_uris: document.redirectUris,
    post_logout_redirect_uris: document.postLogoutRedirectUris,
    grant_types: grants,
    response_types: grants.includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: document.public ? 'none' : 'client_secret_basic',
    scope: document.scopes.join(' '),
    gatehouse_trusted: document.trusted,
    gatehouse_resources: document.resources,
  };
}
