// How a dialect hands back a JSON column, so one row→record mapping serves both stores:
// node-postgres parses JSONB into values already; SQLite keeps JSON as TEXT.
export type JsonColumn = (value: unknown) => unknown;

/** PostgreSQL JSONB: pg has already parsed it. */
export const parsedJsonColumn: JsonColumn = (value) => value;

/** SQLite TEXT holding JSON. */
export const textJsonColumn: JsonColumn = (value) => JSON.parse(value as string);
