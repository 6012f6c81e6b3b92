// Users. The username is stored as given and matched through username_key (its lower-case
// form, computed here so SQLite and PostgreSQL fold case identically).
import type { UserRecord, UserStore } from '../identity-store.ts';
import { textJsonColumn } from '../rows/json-column.ts';
import { userFromRow, type UserRow } from '../rows/user-row.ts';
import { usernameKey } from '../store-options.ts';
import { applyUserPatch } from '../user-patch.ts';
import { insertOrConflict, type SqliteDatabase } from './sqlite-database.ts';

const toUser = (row: UserRow): UserRecord => userFromRow(row, textJsonColumn);

export function sqliteUserStore(db: SqliteDatabase): UserStore {
  const byId = (id: string): UserRecord | undefined => {
    const row = db.get<UserRow>('SELECT * FROM users WHERE id = ?', id);
    return row ? toUser(row) : undefined;
  };
  return {
    async create(user, now) {
      insertOrConflict(
        db, 'user', `user "${user.username}" (or id ${user.id})`,
        `INSERT INTO users (id, username, username_key, password_hash, name, email, roles, user_groups, disabled, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        user.id, user.username, usernameKey(user.username), user.passwordHash, user.name, user.email,
        JSON.stringify(user.roles), JSON.stringify(user.groups), user.disabled ? 1 : 0, now, now,
      );
      return byId(user.id)!;
    },
    async findById(id) {
      return byId(id);
    },
    async findByUsername(username) {
      const row = db.get<UserRow>('SELECT * FROM users WHERE username_key = ?', usernameKey(username));
      return row ? toUser(row) : undefined;
    },
    async list() {
      return db.all<UserRow>('SELECT * FROM users ORDER BY username_key').map(toUser);
    },
    async update(id, patch, now) {
      // Read-modify-write is atomic here: DatabaseSync runs it synchronously on one connection,
      // inside one write transaction.
      return db.immediate(() => {
        const current = byId(id);
        if (!current) return undefined;
        const next = applyUserPatch(current, patch, now);
        db.run(
          `UPDATE users SET password_hash = ?, name = ?, email = ?, roles = ?, user_groups = ?, disabled = ?, updated_at = ?
           WHERE id = ?`,
          next.passwordHash, next.name, next.email, JSON.stringify(next.roles), JSON.stringify(next.groups),
          next.disabled ? 1 : 0, next.updatedAt, id,
        );
        return byId(id);
      });
    },
  };
}
