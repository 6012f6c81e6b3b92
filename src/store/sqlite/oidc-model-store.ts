// oidc-provider's models in one table (see OidcModelStore). The lookup fields oidc-provider
// queries by (uid, userCode, grantId) are copied out of the payload into indexed columns.
import type { JsonObject, OidcModelStore } from '../identity-store.ts';
import { expiryFrom, oidcLookupFields } from '../store-options.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

const LIVE = '(expires_at IS NULL OR expires_at > ?)';

export function sqliteOidcModelStore(db: SqliteDatabase, clock: () => number): OidcModelStore {
  const payloadWhere = (where: string, ...params: string[]): JsonObject | undefined => {
    const row = db.get<{ payload: string }>(`SELECT payload FROM oidc_models WHERE ${where} AND ${LIVE}`, ...params, clock());
    return row ? (JSON.parse(row.payload) as JsonObject) : undefined;
  };
  return {
    async upsert(model, id, payload, expiresInSeconds) {
      const { grantId, uid, userCode } = oidcLookupFields(payload);
      db.run(
        `INSERT INTO oidc_models (model, id, payload, grant_id, uid, user_code, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
           uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at`,
        model, id, JSON.stringify(payload), grantId, uid, userCode, expiryFrom(clock(), expiresInSeconds),
      );
    },
    async find(model, id) {
      return payloadWhere('model = ? AND id = ?', model, id);
    },
    async findByUid(model, uid) {
      return payloadWhere('model = ? AND uid = ?', model, uid);
    },
    async findByUserCode(model, userCode) {
      return payloadWhere('model = ? AND user_code = ?', model, userCode);
    },
    async consume(model, id) {
      db.run(`UPDATE oidc_models SET payload = json_set(payload, '$.consumed', ?) WHERE model = ? AND id = ?`, clock(), model, id);
    },
    async destroy(model, id) {
      db.run('DELETE FROM oidc_models WHERE model = ? AND id = ?', model, id);
    },
    async revokeByGrantId(model, grantId) {
      db.run('DELETE FROM oidc_models WHERE model = ? AND grant_id = ?', model, grantId);
    },
  };
}
