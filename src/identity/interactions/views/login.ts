// The sign-in form. It names the application asking, never says which of username or password
// was wrong, and works with JavaScript off (a plain POST back to the interaction).
import { html } from '../html.ts';
import { errorSummary, layout } from './layout.ts';

export interface LoginView {
  readonly uid: string;
  readonly csrfToken: string;
  readonly clientName: string;
  /** Pre-filled username: the one just tried, or the login_hint of the request. */
  readonly username: string;
  readonly error?: string;
}

export function renderLoginPage(view: LoginView): string {
  const failed = view.error !== undefined;
  return layout(
    'Sign in',
    html`<p class="lead">to continue to <strong>${view.clientName}</strong></p>
${errorSummary(view.error)}
<form method="post" action="/interaction/${view.uid}/login" novalidate>
<input type="hidden" name="csrf" value="${view.csrfToken}">
<div class="field">
<label for="username">Username</label>
<input id="username" name="username" type="text" value="${view.username}" autocomplete="username" autocapitalize="none" spellcheck="false" required${failed ? html` aria-invalid="true" aria-describedby="error-summary"` : html` autofocus`}>
</div>
<div class="field">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${failed && html` aria-invalid="true" aria-describedby="error-summary"`}>
</div>
<div class="actions">
<button type="submit" class="primary">Sign in</button>
<button type="submit" class="secondary" formaction="/interaction/${view.uid}/abort" formnovalidate>Cancel</button>
</div>
</form>`,
  );
}
