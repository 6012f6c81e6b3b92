// A route's CorsPolicy compiled once per generation: origin matchers and the header values that
// do not depend on the request, joined in advance so a request only looks them up.
import type { CorsPolicy } from '../../model/cors-policy.ts';

export interface CompiledCors {
  /** The Access-Control-Allow-Origin value for this request's Origin, or undefined: not allowed. */
  allowOriginFor(origin: string): string | undefined;
  readonly allowCredentials: boolean;
  /** Joined list; undefined when `*` must echo the request (credentialed requests, Fetch §3.2.3). */
  readonly allowMethods: string | undefined;
  readonly allowHeaders: string | undefined;
  readonly exposeHeaders: string;
  readonly maxAge: string;
}

/** Fetch §2.2.1: methods a browser sends cross-origin without asking for them by name. */
const SAFELISTED_METHODS = 'GET, HEAD, POST';

const DNS_LABELS = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;

interface WildcardOrigin {
  prefix: string; // "https://"
  suffix: string; // ".example.com" or ".example.com:8443"
}

export function compileCors(policy: CorsPolicy): CompiledCors {
  const anyOrigin = policy.allowOrigins.includes('*');
  const exact = new Set(policy.allowOrigins.filter((origin) => !origin.includes('*')));
  const wildcards: WildcardOrigin[] = policy.allowOrigins
    .filter((origin) => origin !== '*' && origin.includes('*'))
    .map((origin) => {
      const star = origin.indexOf('*');
      return { prefix: origin.slice(0, star), suffix: origin.slice(star + 1) };
    });
  // Browsers treat "*" literally on credentialed requests (Fetch §3.2.3), so it is echoed then.
  const starMeansAny = !policy.allowCredentials;
  const listOrStar = (names: string[]): string | undefined =>
    names.includes('*') ? (starMeansAny ? '*' : undefined) : names.join(', ');
  return {
    allowOriginFor(origin: string): string | undefined {
      if (anyOrigin) return policy.allowCredentials ? origin : '*';
      const lower = origin.toLowerCase();
      if (exact.has(lower)) return origin;
      for (let i = 0; i < wildcards.length; i++) {
        if (matchesWildcard(lower, wildcards[i])) return origin;
      }
      return undefined;
    },
    allowCredentials: policy.allowCredentials,
    allowMethods: policy.allowMethods.length === 0 ? SAFELISTED_METHODS : listOrStar(policy.allowMethods),
    allowHeaders: listOrStar(policy.allowHeaders),
    exposeHeaders: policy.exposeHeaders.includes('*') && !starMeansAny ? '' : policy.exposeHeaders.join(', '),
    maxAge: String(policy.maxAgeSeconds),
  };
}

/** `https://*.example.com` matches `https://a.example.com` and `https://a.b.example.com`, not
 * `https://example.com` (as Gateway API hostname wildcards: one or more labels). */
function matchesWildcard(origin: string, wildcard: WildcardOrigin): boolean {
  if (origin.length <= wildcard.prefix.length + wildcard.suffix.length) return false;
  if (!origin.startsWith(wildcard.prefix) || !origin.endsWith(wildcard.suffix)) return false;
  const labels = origin.slice(wildcard.prefix.length, origin.length - wildcard.suffix.length);
  return DNS_LABELS.test(labels);
}
