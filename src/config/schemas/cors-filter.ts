// Gateway API HTTPRouteFilter `type: CORS` (HTTPCORSFilter, GEP-1767, standard since v1.2).
import { z } from 'zod';

/** Fetch standard "origin": scheme://host[:port], no path; Gateway API allows `*.` as the first host label. */
const ORIGIN_PATTERN = /^(\*|[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(\*\.)?[^*/?#:\s]+(:\d{1,5})?)$/;
const TOKEN_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/; // RFC 9110 §5.6.2 token

const headerNames = (what: string) =>
  z.array(z.string().regex(TOKEN_PATTERN, { error: 'must be a header name or "*"' })).max(64).optional().describe(what);

export const corsFilterSchema = z
  .strictObject({
    allowOrigins: z
      .array(z.string().regex(ORIGIN_PATTERN, { error: 'must be "*" or an origin such as "https://app.example.com" or "https://*.example.com" (no path)' }))
      .max(64)
      .optional()
      .describe('Origins allowed to make cross-origin requests; "*" allows any; "https://*.example.com" any subdomain'),
    allowMethods: z
      .array(z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', '*']))
      .max(9)
      .optional()
      .describe('Methods allowed in cross-origin requests, or "*" (default: GET, HEAD, POST)'),
    allowHeaders: headerNames('Request headers a cross-origin request may send, or "*"'),
    exposeHeaders: headerNames('Response headers a browser script may read, or "*"'),
    allowCredentials: z.boolean().optional().describe('Whether cookies and Authorization may be sent (never with origin "*")'),
    maxAge: z.int().min(1).optional().describe('Seconds a browser may cache the preflight answer (default 5)'),
  })
  .describe('Cross-Origin Resource Sharing, answered at the gateway');
