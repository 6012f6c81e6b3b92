// The consent page (seed 002): "<Client> wants to:" and one line per permission, in the words
// the resource's configuration gives its scopes, with Allow and Deny.
import { html } from '../html.ts';
import { layout } from './layout.ts';

export interface ConsentItem {
  readonly text: string;
  /** Which API the permission is for (the resource's name), when it is a resource scope. */
  readonly resource?: string;
}

export interface ConsentView {
  readonly uid: string;
  readonly csrfToken: string;
  readonly clientName: string;
  /** Who is signed in, so a user on a shared computer sees whose data is shared. */
  readonly accountName: string;
  readonly items: readonly ConsentItem[];
}

export function renderConsentPage(view: ConsentView): string {
  return layout(
    'Allow access?',
    html`<p class="lead"><strong>${view.clientName}</strong> wants to:</p>
<ul class="scopes" aria-label="Requested permissions">
${view.items.map((item) => html`<li>${item.text}${item.resource !== undefined && html` <span class="resource">(${item.resource})</span>`}</li>
`)}</ul>
<p class="account">Signed in as <strong>${view.accountName}</strong>.</p>
<form method="post" action="/interaction/${view.uid}/consent">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<div class="actions">
<button type="submit" class="primary" name="decision" value="allow">Allow</button>
<button type="submit" class="secondary" formaction="/interaction/${view.uid}/abort">Deny</button>
</div>
</form>`,
  );
}
