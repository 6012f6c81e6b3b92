// oidc-provider's storage Adapter over our IdentityStore. One adapter instance per model name
// (Session, Interaction, AuthorizationCode, RefreshToken, Grant, ...), all backed by the single
// `store.oidc` table, except two models that need more than a row:
// - `Client` reads the client documents the identity layer keeps in `store.clients` and turns
//   them into oidc-provider metadata (secrets decrypted here, never stored in clear).
// - `AccessToken.revokeByGrantId` also revokes the grant's JWT access tokens: oidc-provider
//   calls it (awaited, inside the request) whenever it revokes a grant — refresh token reuse,
//   RFC 7009 revocation of a grant-bound token, logout — but JWT access tokens are never stored,
//   so only our issued-token records can name them for the gateways.
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { ClientRecord, IdentityStore, JsonObject } from '../store/identity-store.ts';

export interface AdapterDependencies {
  readonly store: IdentityStore;
  /** Maps a stored client to oidc-provider client metadata (src/identity/clients.ts). */
  readonly clientMetadata: (record: ClientRecord) => Record<string, unknown>;
  /** Revokes the JWT access tokens issued under a grant (src/identity/issued-tokens.ts). */
  readonly revokeGrantAccessTokens: (grantId: string) => Promise<void>;
}

/** The adapter factory for oidc-provider's `adapter` option. */
export function createAdapterFactory(deps: AdapterDependencies): AdapterFactory {
  return (model: string) => (model === 'Client' ? clientAdapter(deps) : modelAdapter(model, deps));
}

function modelAdapter(model: string, deps: AdapterDependencies): Adapter {
  const { oidc } = deps.store;
  return {
    async upsert(id, payload, expiresIn) {
      await oidc.upsert(model, id, toJson(payload), expiresIn);
    },
    async find(id) {
      return (await oidc.find(model, id)) as AdapterPayload | undefined;
    },
    async findByUid(uid) {
      return (await oidc.findByUid(model, uid)) as AdapterPayload | undefined;
    },
    async findByUserCode(userCode) {
      return (await oidc.findByUserCode(model, userCode)) as AdapterPayload | undefined;
    },
    async consume(id) {
      await oidc.consume(model, id);
    },
    async destroy(id) {
      await oidc.destroy(model, id);
    },
    async revokeByGrantId(grantId) {
      await oidc.revokeByGrantId(model, grantId);
      if (model === 'AccessToken') await deps.revokeGrantAccessTokens(grantId);
    },
  };
}

/** Clients are managed by the identity layer (config, CLI, admin API), never by oidc-provider. */
function clientAdapter(deps: AdapterDependencies): Adapter {
  const readOnly = async () => {
    throw new Error('clients are managed through the Gatehouse admin API, not oidc-provider');
  };
  return {
    async find(id) {
      const record = await deps.store.clients.find(id);
      return record ? (deps.clientMetadata(record) as AdapterPayload) : undefined;
    },
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    upsert: readOnly,
    consume: readOnly,
    destroy: readOnly,
    revokeByGrantId: async () => undefined,
  };
}

/** oidc-provider payloads are plain JSON already; drop `undefined` members the store cannot keep. */
function toJson(payload: AdapterPayload): JsonObject {
  return JSON.parse(JSON.stringify(payload)) as JsonObject;
}
