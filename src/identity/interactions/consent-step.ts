// The consent prompt: list what the client asks for, and on Allow record it in a Grant
// (oidc-provider's record of what an account allowed a client). First-party clients are not
// asked: their grant is recorded at once, whatever the provider configuration did before.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Interaction, Provider } from 'oidc-provider';
import { consentLines, type ConsentDetails } from './consent-items.ts';
import type { ClientDisplay, InteractionRoutesDeps } from './deps.ts';
import { InteractionPageError } from './page-errors.ts';
import { sendPage } from './page-response.ts';
import { renderConsentPage } from './views/consent.ts';

export interface ConsentPageInput {
  readonly uid: string;
  readonly csrfToken: string;
  readonly client: ClientDisplay;
}

function accountIdOf(details: Interaction): string {
  const accountId = details.session?.accountId;
  if (accountId === undefined) throw new InteractionPageError('session_not_found', 'consent prompt without a signed-in account');
  return accountId;
}

/** Adds everything the prompt says is missing to the interaction's grant (or a new one); returns its id. */
async function saveGrant(provider: Provider, details: Interaction): Promise<string> {
  const accountId = accountIdOf(details);
  const clientId = String(details.params.client_id);
  const missing = details.prompt.details as ConsentDetails;
  const existing = details.grantId === undefined ? undefined : await provider.Grant.find(details.grantId);
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  if (missing.missingOIDCScope?.length) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims?.length) grant.addOIDCClaims([...missing.missingOIDCClaims]);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

export async function finishConsent(req: IncomingMessage, res: ServerResponse, provider: Provider, details: Interaction): Promise<void> {
  const grantId = await saveGrant(provider, details);
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function accountName(deps: InteractionRoutesDeps, accountId: string): Promise<string> {
  if (deps.accounts.findAccount === undefined) return accountId;
  const account = await deps.accounts.findAccount(undefined, accountId);
  if (account === undefined) throw new InteractionPageError('session_not_found', 'the signed-in account no longer exists');
  const claims = await account.claims('userinfo', 'openid profile');
  const name = claims.preferred_username ?? claims.name;
  return typeof name === 'string' && name !== '' ? name : accountId;
}

export async function showConsent(
  req: IncomingMessage,
  res: ServerResponse,
  deps: InteractionRoutesDeps,
  page: ConsentPageInput,
  details: Interaction,
): Promise<void> {
  if (page.client.trusted) {
    await finishConsent(req, res, deps.getProvider(), details);
    return;
  }
  const items = consentLines(details.prompt.details as ConsentDetails, deps.config.resources, deps.scopeText ?? (() => undefined));
  const name = await accountName(deps, accountIdOf(details));
  sendPage(res, 200, renderConsentPage({ uid: page.uid, csrfToken: page.csrfToken, clientName: page.client.name, accountName: name, items }));
}
