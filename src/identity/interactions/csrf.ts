// CSRF protection for the interaction forms, two independent checks:
// 1. A token per interaction: HMAC-SHA256 of the interaction uid under the cookie keys, sent in a
//    hidden field and verified on every POST (OWASP "HMAC based token" pattern). A page of another
//    site cannot read it, and an attacker's own interaction yields a token for their uid only.
// 2. Fetch metadata: a browser that says the POST comes from another site (Sec-Fetch-Site
//    cross-site or same-site) is refused before the token is even looked at. Our forms only ever
//    post to their own origin.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const LABEL = 'gatehouse/interaction-csrf/v1\0';

export interface InteractionCsrf {
  /** The token the page embeds for interaction `uid`. */
  tokenFor(uid: string): string;
  /** True when `token` was made for `uid` by any of the keys (the first signs, all verify: key rotation). */
  verify(uid: string, token: string | undefined): boolean;
}

export class CsrfConfigError extends Error {
  readonly code = 'csrf_no_keys';
}

function sign(key: string, uid: string): Buffer {
  return createHmac('sha256', key).update(LABEL).update(uid).digest();
}

export function createInteractionCsrf(keys: readonly string[]): InteractionCsrf {
  if (keys.length === 0 || keys.some((key) => key.length === 0)) throw new CsrfConfigError('the CSRF token needs at least one non-empty cookie key');
  return {
    tokenFor: (uid) => sign(keys[0], uid).toString('base64url'),
    verify(uid, token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 128) return false;
      const given = Buffer.from(token, 'base64url');
      return keys.some((key) => {
        const expected = sign(key, uid);
        return given.length === expected.length && timingSafeEqual(given, expected);
      });
    },
  };
}

/** Fetch Metadata (W3C): the browser tells us the request was started by a page of another site. */
export function isCrossSiteRequest(headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site'];
  return site === 'cross-site' || site === 'same-site';
}
