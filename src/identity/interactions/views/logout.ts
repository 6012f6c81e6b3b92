// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2): the confirmation page and the
// page shown after signing out when the client gave no post_logout_redirect_uri.
// The form posts oidc-provider's own fields: `xsrf` (the secret it stored in the session) and
// `logout=yes` to end the whole session; without `logout` only the asking client is signed out.
import { html } from '../html.ts';
import { layout } from './layout.ts';

export interface LogoutConfirmView {
  /** oidc-provider's end_session_confirm URL. */
  readonly action: string;
  readonly xsrf: string;
  /** The application that asked, when known. */
  readonly clientName: string | undefined;
}

export function renderLogoutConfirmPage(view: LogoutConfirmView): string {
  return layout(
    'Sign out?',
    html`<p class="lead">${view.clientName === undefined ? 'An application' : html`<strong>${view.clientName}</strong>`} asked to sign you out of Gatehouse.</p>
<form method="post" action="${view.action}">
<input type="hidden" name="xsrf" value="${view.xsrf}">
<div class="actions">
<button type="submit" class="primary" name="logout" value="yes" autofocus>Yes, sign me out</button>
<button type="submit" class="secondary">No, stay signed in</button>
</div>
</form>`,
  );
}

export function renderSignedOutPage(clientName: string | undefined): string {
  return layout(
    'You have signed out',
    html`<p class="lead">${clientName === undefined ? 'Your sign-out was successful.' : html`Your sign-out from <strong>${clientName}</strong> was successful.`}</p>
<p>You can close this window.</p>`,
  );
}
