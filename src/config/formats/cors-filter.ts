// HTTPRoute `CORS` filter → model CorsPolicy, refusing what the Fetch standard forbids.
import type { CorsPolicy } from '../../model/cors-policy.ts';
import type { HttpRouteFilter } from '../schemas/http-route.ts';

type CorsFilterSpec = Extract<HttpRouteFilter, { type: 'CORS' }>['cors'];

/** Gateway API HTTPCORSFilter.maxAge default. */
const DEFAULT_MAX_AGE_SECONDS = 5;

export function translateCors(spec: CorsFilterSpec, report: (field: string, message: string) => void): CorsPolicy {
  const allowOrigins = spec.allowOrigins ?? [];
  const allowCredentials = spec.allowCredentials ?? false;
  // Fetch §3.2.5 (CORS check): a credentialed response must name the origin; "*" makes the
  // browser refuse it, so the config is refused here instead of every request in the browser.
  if (allowCredentials && allowOrigins.includes('*')) {
    report('allowCredentials', 'must not be true when allowOrigins contains "*" (Fetch standard: credentialed requests need an explicit origin)');
  }
  if (allowOrigins.length === 0) report('allowOrigins', 'must list at least one origin (or "*"); without it the filter allows nothing');
  return {
    // Origins compare case-insensitively in scheme and host (RFC 6454 §4); the model keeps them lower-case.
    allowOrigins: allowOrigins.map((origin) => origin.toLowerCase()),
    allowMethods: spec.allowMethods ?? [],
    allowHeaders: (spec.allowHeaders ?? []).map((name) => name.toLowerCase()),
    exposeHeaders: (spec.exposeHeaders ?? []).map((name) => name.toLowerCase()),
    allowCredentials,
    maxAgeSeconds: spec.maxAge ?? DEFAULT_MAX_AGE_SECONDS,
  };
}
