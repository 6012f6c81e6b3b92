// SPIFFE IDs (SPIFFE-ID spec §2): `spiffe://<trust-domain>/<path>`. Workload certificates carry
// one as their URI SAN, so the CA refuses anything a SPIFFE verifier would reject.
import { PkiError } from './pki-error.ts';

export interface SpiffeId {
  readonly uri: string;
  readonly trustDomain: string;
  /** The path with its leading slash, e.g. `/ns/shop/sa/orders`. */
  readonly path: string;
}

// §2.1: lowercase letters, digits, dots, dashes and underscores only.
const TRUST_DOMAIN = /^[a-z0-9._-]+$/;
// §2.2: each path segment uses letters, digits, dots, dashes and underscores.
const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;
// §2.3: a SPIFFE ID is at most 2048 bytes long.
const MAX_SPIFFE_ID_BYTES = 2048;

function invalid(text: string, why: string): PkiError {
  return new PkiError('ERR_SPIFFE_ID_INVALID', `"${text}" is not a valid SPIFFE ID: ${why}`);
}

export function validateTrustDomain(trustDomain: string): string {
  if (trustDomain === '' || trustDomain.length > 255 || !TRUST_DOMAIN.test(trustDomain)) {
    throw new PkiError(
      'ERR_TRUST_DOMAIN_INVALID',
      `"${trustDomain}" is not a valid SPIFFE trust domain (lowercase letters, digits, ".", "-", "_"; at most 255 characters)`,
    );
  }
  return trustDomain;
}

/** Parses a workload SPIFFE ID; the trust domain alone (no path) names no workload and is refused. */
export function parseSpiffeId(text: string): SpiffeId {
  if (Buffer.byteLength(text) > MAX_SPIFFE_ID_BYTES) throw invalid(text.slice(0, 40) + '…', 'longer than 2048 bytes');
  const scheme = 'spiffe://';
  if (!text.toLowerCase().startsWith(scheme)) throw invalid(text, 'the scheme must be "spiffe://"');
  if (!text.startsWith(scheme)) throw invalid(text, 'the scheme must be lowercase "spiffe"');
  const rest = text.slice(scheme.length);
  if (/[?#]/.test(rest)) throw invalid(text, 'a query or fragment is not allowed');
  const slash = rest.indexOf('/');
  const trustDomain = slash === -1 ? rest : rest.slice(0, slash);
  if (trustDomain === '') throw invalid(text, 'the trust domain is empty');
  if (/[@:]/.test(trustDomain)) throw invalid(text, 'user info and ports are not allowed in the trust domain');
  if (!TRUST_DOMAIN.test(trustDomain)) {
    throw invalid(text, 'the trust domain may contain only lowercase letters, digits, ".", "-" and "_"');
  }
  const path = slash === -1 ? '' : rest.slice(slash);
  if (path === '' || path === '/') throw invalid(text, 'a workload ID needs a path, e.g. /ns/<namespace>/sa/<service-account>');
  const segments = path.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '') throw invalid(text, 'the path has an empty segment or a trailing "/"');
    if (segment === '.' || segment === '..') throw invalid(text, 'the path may not contain "." or ".." segments');
    if (!PATH_SEGMENT.test(segment)) {
      throw invalid(text, `path segment "${segment}" may contain only letters, digits, ".", "-" and "_"`);
    }
  }
  return { uri: text, trustDomain, path };
}

/** Istio's workload identity form: `spiffe://<td>/ns/<namespace>/sa/<service-account>`. */
export function workloadSpiffeId(trustDomain: string, namespace: string, serviceAccount: string): SpiffeId {
  return parseSpiffeId(`spiffe://${trustDomain}/ns/${namespace}/sa/${serviceAccount}`);
}
