// `gatehouse ca list`: the issued-certificate index as a table, newest first.
import type { CaStore, IssuedRecord } from '../pki/ca-store.ts';
import { formatTable } from './text-table.ts';

function status(record: IssuedRecord, now: Date): string {
  if (record.revokedAt !== undefined) return 'revoked';
  return new Date(record.notAfter) <= now ? 'expired' : 'valid';
}

export async function listIssuedCertificates(store: CaStore, now = new Date()): Promise<string> {
  const records = (await store.listIssued()).sort((a, b) => b.notBefore.localeCompare(a.notBefore));
  return formatTable(
    ['SERIAL', 'STATUS', 'NOT AFTER', 'SPIFFE ID', 'DNS'],
    records.map((record) => [record.serial, status(record, now), record.notAfter, record.spiffeId, record.dnsNames.join(',')]),
    'no certificates issued',
  );
}
