// DNS SANs on a leaf: fully qualified or short host names in preferred name syntax
// (RFC 1034 §3.5 / RFC 1123 §2.1), lowercase. Wildcards are not issued: a workload names itself.
import { PkiError } from './pki-error.ts';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function validateDnsName(name: string): string {
  const lower = name.toLowerCase();
  const labels = lower.split('.');
  if (lower.length === 0 || lower.length > 253 || !labels.every((label) => LABEL.test(label))) {
    throw new PkiError('ERR_DNS_NAME_INVALID', `"${name}" is not a valid DNS name (letters, digits and "-" in dot-separated labels; no wildcards)`);
  }
  return lower;
}
