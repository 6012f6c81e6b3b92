// The error page: what went wrong in plain words, the OAuth error code for support, and never a
// stack trace or internal detail.
import { html } from '../html.ts';
import { layout } from './layout.ts';

export interface ErrorView {
  readonly title: string;
  readonly message: string;
  /** Stable code (OAuth `error` or ours) shown small, for a support ticket. */
  readonly code: string;
}

export function renderErrorPage(view: ErrorView): string {
  return layout(
    view.title,
    html`<div class="error-summary" role="alert">
<p>${view.message}</p>
</div>
<p class="code">Error code: <code>${view.code}</code></p>
<p>Go back to the application you came from and try again.</p>`,
  );
}
