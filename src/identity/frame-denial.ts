// Clickjacking: no HTML the identity service answers may be framed by another site (CSP
// frame-ancestors, RFC 7034 X-Frame-Options for older browsers). Our own pages set the full
// PAGE_HEADERS; oidc-provider also writes auto-submitting HTML of its own (form_post responses,
// the logout confirmation when no one is signed in), which carries an inline script, so those
// get the framing rules only and keep working.
import type { Middleware } from 'koa';

export const frameDenial: Middleware = async (ctx, next) => {
  await next();
  if (!ctx.response.is('html')) return;
  if (!ctx.response.get('content-security-policy')) ctx.set('content-security-policy', "frame-ancestors 'none'");
  if (!ctx.response.get('x-frame-options')) ctx.set('x-frame-options', 'DENY');
};
