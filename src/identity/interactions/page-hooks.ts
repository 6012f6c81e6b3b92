// The pages oidc-provider renders itself, in our look and with our security headers:
// renderError (any error shown to the browser instead of redirected to the client),
// logoutSource (the RP-initiated logout confirmation) and postLogoutSuccessSource.
import type { KoaContextWithOIDC } from 'oidc-provider';
import { PAGE_HEADERS } from './security-headers.ts';
import { renderErrorPage } from './views/error.ts';
import { renderLogoutConfirmPage, renderSignedOutPage } from './views/logout.ts';

interface ErrorOut {
  readonly error: string;
  readonly error_description?: string;
}

function respond(ctx: KoaContextWithOIDC, body: string): void {
  // ctx.set replaces: oidc-provider sets no CSP of its own on these pages.
  for (const [name, value] of Object.entries(PAGE_HEADERS)) ctx.set(name, value);
  ctx.body = body;
}

function clientName(ctx: KoaContextWithOIDC): string | undefined {
  const client = ctx.oidc?.client;
  if (client === undefined) return undefined;
  return String(client.clientName ?? client.clientId);
}

/** oidc-provider's `renderError(ctx, out, error)`: the status is already set; `out` is what may be shown. */
function renderError(ctx: KoaContextWithOIDC, out: ErrorOut, _error: Error): void {
  // error_description is written by oidc-provider for end users ("client is invalid", "redirect_uri did not match …");
  // server_error descriptions are generic there too. Never the exception itself.
  const message = out.error_description ?? 'The request could not be completed.';
  respond(ctx, renderErrorPage({ title: 'Something went wrong', message, code: out.error }));
}

/** oidc-provider's `logoutSource(ctx, form)`: we render our own form with the same fields it would post. */
function logoutSource(ctx: KoaContextWithOIDC, _form: string): void {
  const secret = (ctx.oidc.session?.state as { secret?: unknown } | undefined)?.secret;
  respond(ctx, renderLogoutConfirmPage({ action: ctx.oidc.urlFor('end_session_confirm'), xsrf: String(secret ?? ''), clientName: clientName(ctx) }));
}

function postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
  respond(ctx, renderSignedOutPage(clientName(ctx)));
}

export const pageHooks = { renderError, logoutSource, postLogoutSuccessSource } as const;
