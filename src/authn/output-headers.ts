// Identity headers for the upstream, computed once per verified token (Istio jwtRules
// outputPayloadToHeader / outputClaimToHeaders). The gateway strips client-sent copies first.
import type { JwtProvider } from '../model/gateway-model.ts';
import { readClaim } from './claim-path.ts';

// Node refuses header values outside these bytes (RFC 9110 §5.5); such a claim is not forwarded.
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

export function outputHeaderNamesOf(provider: JwtProvider): string[] {
  const names = provider.outputClaimToHeaders.map((output) => output.header.toLowerCase());
  if (provider.outputPayloadToHeader) names.push(provider.outputPayloadToHeader.toLowerCase());
  return names;
}

export function buildUpstreamHeaders(provider: JwtProvider, payload: Readonly<Record<string, unknown>>, payloadSegment: string): Record<string, string> {
  const headers: Record<string, string> = {};
  // Istio: "the base64url-encoded JWT payload" — the token's own payload segment, as signed.
  if (provider.outputPayloadToHeader) headers[provider.outputPayloadToHeader.toLowerCase()] = payloadSegment;
  for (const { header, claim } of provider.outputClaimToHeaders) {
    const value = readClaim(payload, claim);
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (!INVALID_HEADER_VALUE.test(text)) headers[header.toLowerCase()] = text;
  }
  return Object.freeze(headers) as Record<string, string>;
}
