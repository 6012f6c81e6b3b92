// Is this request a browser navigating to a page (to be sent to the login), or a script or API
// client (to get a 401 it can act on)? Fetch Metadata (W3C) answers when the browser sends it;
// otherwise a GET asking for HTML counts as a navigation, as oauth2-proxy and Oathkeeper do.
import type { IncomingHttpHeaders } from 'node:http';

export function isBrowserNavigation(method: string | undefined, headers: IncomingHttpHeaders): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const mode = headers['sec-fetch-mode'];
  if (mode !== undefined) {
    const dest = headers['sec-fetch-dest'];
    // A frame cannot show the issuer's login page (frame-ancestors 'none'); only top-level documents.
    return mode === 'navigate' && (dest === undefined || dest === 'document');
  }
  if (headers['x-requested-with'] !== undefined) return false;
  const accept = headers.accept;
  return accept !== undefined && accept.includes('text/html');
}

/** Loopback hosts are the one place a browser keeps a cookie over plain HTTP that we set non-Secure. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
