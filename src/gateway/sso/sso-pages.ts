// The few pages the gateway shows itself during a browser login: a failed callback, a refused
// logout, an unavailable issuer. Plain HTML, no script, no style, nothing from the request
// except a same-origin return path (escaped).
import type { ServerResponse } from 'node:http';
import { escapeHtml } from '../../identity/interactions/html.ts';

export interface SsoPage {
  status: number;
  title: string;
  message: string;
  /** Same-origin path offered as "Try again". */
  retryPath?: string;
}

const SECURITY_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  // Browsers without CSP frame-ancestors: no framing either (RFC 7034).
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function renderSsoPage(res: ServerResponse, page: SsoPage): number {
  const retry = page.retryPath === undefined ? '' : `\n<p><a href="${escapeHtml(page.retryPath)}">Try again</a></p>`;
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title></head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
<p role="alert">${escapeHtml(page.message)}</p>${retry}
</main>
</body>
</html>
`;
  res.writeHead(page.status, { ...SECURITY_HEADERS, 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return page.status;
}
