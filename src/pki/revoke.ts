// Revocation: mark the leaf's record revoked and re-sign the CRLs at once, so the next CRL
// fetch (and `gatehouse ca crl`) already lists it.
import type { CaStore, IssuedRecord } from './ca-store.ts';
import { publishCrl } from './crl.ts';
import { PkiError } from './pki-error.ts';

/** Accepts the serial as `ca issue` prints it, or as openssl does (`4A:3F:…`, any case). */
export function normalizeSerial(text: string): string {
  const serial = text.trim().toLowerCase().replace(/^0x/, '').replaceAll(':', '');
  if (!/^[0-9a-f]+$/.test(serial)) throw new PkiError('ERR_SERIAL_INVALID', `"${text}" is not a hexadecimal serial number`);
  return serial;
}

export interface RevocationResult {
  readonly record: IssuedRecord;
  /** False when the certificate was already revoked (revoking again changes nothing). */
  readonly newlyRevoked: boolean;
}

export async function revokeCertificate(store: CaStore, passphrase: string, serialText: string, now = new Date()): Promise<RevocationResult> {
  const serial = normalizeSerial(serialText);
  const record = await store.readIssued(serial);
  if (!record) throw new PkiError('ERR_SERIAL_UNKNOWN', `this CA issued no certificate with serial ${serial}`);
  if (record.revokedAt !== undefined) return { record, newlyRevoked: false };
  const revoked: IssuedRecord = { ...record, revokedAt: now.toISOString() };
  await store.recordIssued(revoked);
  await publishCrl(store, passphrase, now);
  return { record: revoked, newlyRevoked: true };
}
