// Where the browser goes after login: only a path on this same origin. Anything a browser could
// read as another origin (`//evil.example`, `/\evil.example`, `https://…`, control characters)
// becomes "/" — the login must never be an open redirect (RFC 9700 §4.11).
const PROBE_ORIGIN = 'http://gatehouse.invalid';
const MAX_RETURN_PATH = 2048;

export function safeReturnPath(candidate: string | undefined): string {
  if (candidate === undefined || candidate.length > MAX_RETURN_PATH) return '/';
  if (!candidate.startsWith('/') || candidate.startsWith('//')) return '/';
  // WHATWG URL treats "\" as "/" in http(s) URLs, so "/\evil" would be "//evil".
  if (candidate.includes('\\') || /[\u0000-\u001f\u007f]/.test(candidate)) return '/';
  try {
    const url = new URL(candidate, PROBE_ORIGIN);
    return url.origin === PROBE_ORIGIN ? `${url.pathname}${url.search}` : '/';
  } catch {
    return '/';
  }
}

/** The path and query of a request target (origin-form, or absolute-form from a proxy). */
export function requestPathOf(target: string | undefined): string | undefined {
  if (target === undefined) return undefined;
  if (target.startsWith('/')) return target;
  if (!URL.canParse(target)) return undefined;
  const url = new URL(target);
  return `${url.pathname}${url.search}`;
}
