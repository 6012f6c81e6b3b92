// One SQLite connection (node:sqlite DatabaseSync) set up for a long-running service: WAL so
// readers never block the writer, a busy timeout so a second process (the CLI next to a running
// service) waits for the write lock instead of failing, and cached prepared statements.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { StoreConflictError } from '../identity-store.ts';

/** How long a writer waits for another connection's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

// SQLite extended result codes for a violated UNIQUE / PRIMARY KEY constraint.
const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

export type SqlValue = SQLInputValue | undefined;
export type SqlRow = Record<string, SQLInputValue>;

export class SqliteDatabase {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();

  constructor(path: string) {
    this.path = path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS });
    this.db.exec('PRAGMA journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose
    // the last transactions (https://www.sqlite.org/pragma.html#pragma_synchronous).
    this.db.exec('PRAGMA synchronous = NORMAL');
    this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }

  get isOpen(): boolean {
    return this.db.isOpen;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  get<T = SqlRow>(sql: string, ...params: SqlValue[]): T | undefined {
    return this.statement(sql).get(...bind(params)) as T | undefined;
  }

  all<T = SqlRow>(sql: string, ...params: SqlValue[]): T[] {
    return this.statement(sql).all(...bind(params)) as T[];
  }

  /** Runs a write; returns how many rows it changed. */
  run(sql: string, ...params: SqlValue[]): number {
    return Number(this.statement(sql).run(...bind(params)).changes);
  }

  /**
   * Runs `work` inside BEGIN IMMEDIATE … COMMIT: the write lock is taken up front, so a
   * read-then-write inside cannot be overtaken by another process. `work` must be synchronous.
   */
  immediate<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

function bind(params: SqlValue[]): SQLInputValue[] {
  return params.map((value) => (value === undefined ? null : value));
}

export function isUniqueViolation(error: unknown): boolean {
  const errcode = (error as { errcode?: number }).errcode;
  return errcode === SQLITE_CONSTRAINT_UNIQUE || errcode === SQLITE_CONSTRAINT_PRIMARYKEY;
}

/** Runs a write, turning a unique-key violation into StoreConflictError(entity). */
export function insertOrConflict(db: SqliteDatabase, entity: string, describe: string, sql: string, ...params: SqlValue[]): void {
  try {
    db.run(sql, ...params);
  } catch (error) {
    if (isUniqueViolation(error)) throw new StoreConflictError(entity, `${describe} already exists`);
    throw error;
  }
}
