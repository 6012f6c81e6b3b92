// Response headers for every page the identity service renders (ours and oidc-provider's hooks).
// The CSP allows no script at all and only our own stylesheet: the pages are plain forms. It has
// no form-action directive on purpose: after a POST the browser follows a redirect to the
// client's redirect_uri, and browsers apply form-action to that redirect chain too.

export const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'";

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  // Pages carry per-interaction CSRF tokens and personal data: never cache them (RFC 9111 §5.2.2.5).
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
  // Older browsers without CSP frame-ancestors: no framing (clickjacking on the consent page).
  'x-frame-options': 'DENY',
  // The interaction uid is in the page URL; do not leak it to the client through Referer.
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** Headers for a static asset (the stylesheet): cacheable, but still typed strictly. */
export const ASSET_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'public, max-age=3600',
};
