// The page frame every view shares: language, viewport, our one stylesheet, a single <main>
// landmark whose <h1> names the page. No script and no inline style (the CSP forbids both).
import { html, type SafeHtml } from '../html.ts';

export const STYLESHEET_PATH = '/assets/gatehouse.css';

export function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} – Gatehouse</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<main class="card" aria-labelledby="page-title">
<p class="brand">Gatehouse</p>
<h1 id="page-title">${title}</h1>
${body}
</main>
</body>
</html>
`.text;
}

/** The error summary: announced at once (role=alert) and focused on load so keyboard and
 * screen-reader users land on it (WCAG 3.3.1 error identification). */
export function errorSummary(message: string | undefined): SafeHtml {
  return html`${message !== undefined && html`<div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus>
<h2>There is a problem</h2>
<p>${message}</p>
</div>`}`;
}
