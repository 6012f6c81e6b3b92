// oidc-provider's models in one table (see OidcModelStore); uid, userCode and grantId are
// copied out of the payload into indexed columns.
import type pg from 'pg';
import type { JsonObject, OidcModelStore } from '../identity-store.ts';
import { expiryFrom, oidcLookupFields } from '../store-options.ts';

export function postgresOidcModelStore(pool: pg.Pool, clock: () => number): OidcModelStore {
  const payloadWhere = async (where: string, params: string[]): Promise<JsonObject | undefined> => {
    const live = `(expires_at IS NULL OR expires_at > $${params.length + 1})`;
    const { rows } = await pool.query<{ payload: JsonObject }>(`SELECT payload FROM oidc_models WHERE ${where} AND ${live}`, [...params, clock()]);
    return rows[0]?.payload;
  };
  return {
    async upsert(model, id, payload, expiresInSeconds) {
      const { grantId, uid, userCode } = oidcLookupFields(payload);
      await pool.query(
        `INSERT INTO oidc_models (model, id, payload, grant_id, uid, user_code, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
           uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at`,
        [model, id, JSON.stringify(payload), grantId, uid, userCode, expiryFrom(clock(), expiresInSeconds)],
      );
    },
    find: (model, id) => payloadWhere('model = $1 AND id = $2', [model, id]),
    findByUid: (model, uid) => payloadWhere('model = $1 AND uid = $2', [model, uid]),
    findByUserCode: (model, userCode) => payloadWhere('model = $1 AND user_code = $2', [model, userCode]),
    async consume(model, id) {
      await pool.query(
        `UPDATE oidc_models SET payload = jsonb_set(payload, '{consumed}', to_jsonb($1::bigint)) WHERE model = $2 AND id = $3`,
        [clock(), model, id],
      );
    },
    async destroy(model, id) {
      await pool.query('DELETE FROM oidc_models WHERE model = $1 AND id = $2', [model, id]);
    },
    async revokeByGrantId(model, grantId) {
      await pool.query('DELETE FROM oidc_models WHERE model = $1 AND grant_id = $2', [model, grantId]);
    },
  };
}
