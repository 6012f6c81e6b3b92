// Decoding (not verifying) a compact JWS: the header picks the key and the algorithm, the
// payload's `iss` picks the provider. Nothing here is trusted until verify-token.ts succeeds.
import { AuthnError } from './errors.ts';

export interface DecodedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The base64url payload segment exactly as sent (forwarded as-is by outputPayloadToHeader). */
  payloadSegment: string;
}

/** `token` has already passed extract-token's shape check (three base64url segments). */
export function decodeToken(token: string): DecodedToken {
  const firstDot = token.indexOf('.');
  const secondDot = token.indexOf('.', firstDot + 1);
  const header = parseSegment(token.slice(0, firstDot));
  if (header === undefined) throw new AuthnError('jwt_header_invalid');
  const payloadSegment = token.slice(firstDot + 1, secondDot);
  const payload = parseSegment(payloadSegment);
  // RFC 7519 §7.2 step 10: the JWT Claims Set must be a JSON object.
  if (payload === undefined) throw new AuthnError('jwt_malformed', 'Jwt payload is an invalid JSON');
  return { header, payload, payloadSegment };
}

function parseSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
