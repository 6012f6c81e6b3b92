// Fetching key material over HTTP: a JWK Set document (RFC 7517 §5) and, for OIDC discovery,
// the provider metadata that names it (OpenID Connect Discovery 1.0 §4).
import { readLimitedText, ResponseTooLargeError } from './read-limited-text.ts';

/** A JWK Set or discovery document larger than this is refused (real ones are a few KiB). */
const MAX_DOCUMENT_BYTES = 1024 * 1024;

export interface FetchedDocument {
  text: string;
  /** Cache-Control max-age in seconds (RFC 9111 §5.2.2.1), when the server sent one. */
  maxAgeSeconds?: number;
}

export async function fetchDocument(fetchImpl: typeof fetch, uri: string, timeoutMs: number): Promise<FetchedDocument> {
  const response = await fetchImpl(uri, {
    headers: { accept: 'application/json' },
    redirect: 'follow',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`GET ${uri} answered ${response.status}`);
  }
  if (Number(response.headers.get('content-length') ?? 0) > MAX_DOCUMENT_BYTES) {
    await response.body?.cancel();
    throw new Error(`GET ${uri} answered more than ${MAX_DOCUMENT_BYTES} bytes`);
  }
  let text: string;
  try {
    text = await readLimitedText(response.body, MAX_DOCUMENT_BYTES);
  } catch (error) {
    if (error instanceof ResponseTooLargeError) throw new Error(`GET ${uri} answered more than ${MAX_DOCUMENT_BYTES} bytes`);
    throw error;
  }
  return { text, maxAgeSeconds: parseMaxAge(response.headers.get('cache-control')) };
}

function parseMaxAge(cacheControl: string | null): number | undefined {
  if (!cacheControl) return undefined;
  // no-store / no-cache mean "refresh as often as allowed": the caller clamps 0 up to its minimum.
  if (/(?:^|,)\s*no-(?:store|cache)\b/i.test(cacheControl)) return 0;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  return match ? Number(match[1]) : undefined;
}

/** OIDC Discovery §4: fetch `<issuer>/.well-known/openid-configuration` and return its `jwks_uri`. */
export async function discoverJwksUri(fetchImpl: typeof fetch, issuer: string, timeoutMs: number): Promise<string> {
  const metadataUri = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const { text } = await fetchDocument(fetchImpl, metadataUri, timeoutMs);
  const metadata = JSON.parse(text) as { issuer?: unknown; jwks_uri?: unknown };
  // §4.3: the issuer in the metadata MUST be identical to the one used to discover it.
  if (metadata.issuer !== issuer) throw new Error(`discovery document at ${metadataUri} names issuer ${String(metadata.issuer)}`);
  if (typeof metadata.jwks_uri !== 'string') throw new Error(`discovery document at ${metadataUri} has no jwks_uri`);
  return metadata.jwks_uri;
}
