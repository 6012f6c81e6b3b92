// Users. The username is stored as given and matched through username_key (its lower-case
// form, computed in JS so SQLite and PostgreSQL fold case identically).
import type pg from 'pg';
import type { UserRecord, UserStore } from '../identity-store.ts';
import { parsedJsonColumn } from '../rows/json-column.ts';
import { userFromRow, type UserRow } from '../rows/user-row.ts';
import { usernameKey } from '../store-options.ts';
import { applyUserPatch } from '../user-patch.ts';
import { inTransaction, insertOrConflict, type Queryable } from './postgres-database.ts';

const toUser = (row: UserRow): UserRecord => userFromRow(row, parsedJsonColumn);

async function userWhere(db: Queryable, where: string, value: string, lock = ''): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT * FROM users WHERE ${where} = $1 ${lock}`, [value]);
  return rows[0] ? toUser(rows[0]) : undefined;
}

export function postgresUserStore(pool: pg.Pool): UserStore {
  return {
    async create(user, now) {
      await insertOrConflict(
        pool, 'user', `user "${user.username}" (or id ${user.id})`,
        `INSERT INTO users (id, username, username_key, password_hash, name, email, roles, user_groups, disabled, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [user.id, user.username, usernameKey(user.username), user.passwordHash, user.name ?? null, user.email ?? null,
          JSON.stringify(user.roles), JSON.stringify(user.groups), user.disabled, now, now],
      );
      return (await userWhere(pool, 'id', user.id))!;
    },
    findById: (id) => userWhere(pool, 'id', id),
    findByUsername: (username) => userWhere(pool, 'username_key', usernameKey(username)),
    async list() {
      return (await pool.query<UserRow>('SELECT * FROM users ORDER BY username_key COLLATE "C"')).rows.map(toUser);
    },
    update(id, patch, now) {
      // FOR UPDATE: a concurrent update of the same user waits instead of being overwritten.
      return inTransaction(pool, async (client) => {
        const current = await userWhere(client, 'id', id, 'FOR UPDATE');
        if (!current) return undefined;
        const next = applyUserPatch(current, patch, now);
        await client.query(
          `UPDATE users SET password_hash = $1, name = $2, email = $3, roles = $4, user_groups = $5, disabled = $6, updated_at = $7
           WHERE id = $8`,
          [next.passwordHash, next.name ?? null, next.email ?? null, JSON.stringify(next.roles), JSON.stringify(next.groups),
            next.disabled, next.updatedAt, id],
        );
        return userWhere(client, 'id', id);
      });
    },
  };
}
