// Options both drivers share, and the small row rules they must apply alike (expiry column,
// oidc-provider lookup fields, username key). The clock decides what "expired" means for reads
// (find, get, active): the store compares against the caller's idea of now, not the database
// server's, so every instance and every test agrees on one time source.

export interface StoreOptions {
  /** Current time in epoch seconds; defaults to the system clock. */
  readonly clock?: () => number;
}

export function systemClock(): number {
  return Math.floor(Date.now() / 1000);
}

/** The expiry column value for a row kept `expiresInSeconds` from now (undefined: forever). */
export function expiryFrom(now: number, expiresInSeconds: number | undefined): number | null {
  // Columns hold whole seconds (BIGINT in PostgreSQL); round a fractional lifetime up.
  return expiresInSeconds === undefined ? null : now + Math.ceil(expiresInSeconds);
}

/** The indexed lookup fields oidc-provider puts in model payloads. */
export function oidcLookupFields(payload: { [key: string]: unknown }): { grantId: string | null; uid: string | null; userCode: string | null } {
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return { grantId: text(payload.grantId), uid: text(payload.uid), userCode: text(payload.userCode) };
}

export function usernameKey(username: string): string {
  return username.toLowerCase();
}
