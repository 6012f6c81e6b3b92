// `gatehouse ca list`: the issued-certificate index as a table, newest first.
import type { CaStore, IssuedRecord } from '../pki/ca-store.ts';

function status(record: IssuedRecord, now: Date): string {
  if (record.revokedAt !== undefined) return 'revoked';
  return new Date(record.notAfter) <= now ? 'expired' : 'valid';
}

export async function listIssuedCertificates(store: CaStore, now = new Date()): Promise<string> {
  const records = (await store.listIssued()).sort((a, b) => b.notBefore.localeCompare(a.notBefore));
  if (records.length === 0) return 'no certificates issued\n';
  const rows = [
    ['SERIAL', 'STATUS', 'NOT AFTER', 'SPIFFE ID', 'DNS'],
    ...records.map((record) => [record.serial, status(record, now), record.notAfter, record.spiffeId, record.dnsNames.join(',')]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n') + '\n';
}
