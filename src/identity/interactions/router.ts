// The interaction routes oidc-provider sends the browser to (interactions.url → /interaction/:uid):
//   GET  /interaction/:uid          the current prompt: login form or consent page
//   POST /interaction/:uid/login    check username + password
//   POST /interaction/:uid/consent  Allow
//   POST /interaction/:uid/abort    Cancel / Deny → access_denied back to the client
//   GET  /assets/gatehouse.css      the pages' stylesheet
// Every POST passes the CSRF checks before anything else happens.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, type Interaction, type Provider } from 'oidc-provider';
import { errorLogFields } from '../error-log-fields.ts';
import { createAssetHandler } from './assets.ts';
import { finishConsent, showConsent } from './consent-step.ts';
import { createInteractionCsrf, isCrossSiteRequest, type InteractionCsrf } from './csrf.ts';
import type { ClientDisplay, InteractionRoutesDeps } from './deps.ts';
import { FormBodyError, readFormBody } from './form-body.ts';
import { showLogin, submitLogin } from './login-step.ts';
import { InteractionPageError } from './page-errors.ts';
import { sendPage } from './page-response.ts';
import { renderErrorPage } from './views/error.ts';

// oidc-provider's interaction uids are nanoid()s: URL-safe base64 alphabet.
const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|consent|abort))?$/;

export type InteractionRoutes = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

async function providerClient(provider: Provider, clientId: string): Promise<ClientDisplay | undefined> {
  const client = await provider.Client.find(clientId);
  if (client === undefined) return undefined;
  const metadata = client.metadata();
  return { name: String(client.clientName ?? clientId), trusted: metadata.gatehouse_trusted === true };
}

/** The interaction the browser's cookie names, checked to be the one in the URL. */
async function currentInteraction(req: IncomingMessage, res: ServerResponse, provider: Provider, uid: string): Promise<Interaction> {
  let details: Interaction;
  try {
    details = await provider.interactionDetails(req, res);
  } catch (error) {
    if (error instanceof errors.SessionNotFound) throw new InteractionPageError('session_not_found');
    throw error;
  }
  if (details.uid !== uid) throw new InteractionPageError('interaction_mismatch');
  return details;
}

async function verifiedForm(req: IncomingMessage, csrf: InteractionCsrf, uid: string): Promise<Map<string, string>> {
  if (isCrossSiteRequest(req.headers)) {
    req.resume();
    throw new InteractionPageError('cross_site_request');
  }
  const fields = await readFormBody(req);
  if (!csrf.verify(uid, fields.get('csrf'))) throw new InteractionPageError('csrf_invalid');
  return fields;
}

export function createInteractionRoutes(deps: InteractionRoutesDeps): InteractionRoutes {
  const csrf = createInteractionCsrf(deps.config.cookieKeys);
  const serveAsset = createAssetHandler();

  async function clientDisplay(provider: Provider, details: Interaction): Promise<ClientDisplay> {
    const clientId = String(details.params.client_id);
    const found = deps.clientInfo === undefined ? await providerClient(provider, clientId) : await deps.clientInfo(clientId);
    // The provider validated the client before starting the interaction; it vanished since.
    if (found === undefined) throw new InteractionPageError('session_not_found', 'client no longer exists');
    return found;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const expected = action === undefined ? 'GET' : 'POST';
    if (req.method !== expected) {
      res.setHeader('allow', expected);
      throw new InteractionPageError('method_not_allowed');
    }
    const fields = action === undefined ? undefined : await verifiedForm(req, csrf, uid);
    const provider = deps.getProvider();
    const details = await currentInteraction(req, res, provider, uid);
    if (action === 'abort') {
      // OpenID Connect Core §3.1.2.6: the user refused → access_denied to the client.
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
      return;
    }
    const prompt = details.prompt.name;
    if (action !== undefined && action !== prompt) throw new InteractionPageError('wrong_step');
    const client = await clientDisplay(provider, details);
    const page = { uid, csrfToken: csrf.tokenFor(uid), clientName: client.name };
    if (prompt === 'login') {
      if (fields === undefined) showLogin(res, page, details);
      else await submitLogin(req, res, provider, deps.accounts, page, fields, deps.clientAddress);
    } else if (prompt === 'consent') {
      if (fields === undefined) await showConsent(req, res, deps, { uid, csrfToken: page.csrfToken, client }, details);
      else if (fields.get('decision') === 'allow') await finishConsent(req, res, provider, details);
      else throw new InteractionPageError('wrong_step', 'consent form without decision=allow');
    } else {
      throw new InteractionPageError('wrong_step', `unsupported prompt ${prompt}`);
    }
  }

  function fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    const pageError =
      error instanceof InteractionPageError ? error
      : error instanceof FormBodyError ? new InteractionPageError(error.code, error.message)
      : new InteractionPageError('server_error');
    if (pageError.code === 'server_error') {
      deps.logger?.error({ err: errorLogFields(error), path: req.url?.split('?')[0] }, 'interaction page failed');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendPage(res, pageError.status, renderErrorPage(pageError.view()));
  }

  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (serveAsset(req, res, path)) return true;
    if (path !== '/interaction' && !path.startsWith('/interaction/')) return false;
    const match = ROUTE.exec(path);
    try {
      if (match === null) throw new InteractionPageError('not_found');
      await handle(req, res, match[1], match[2]);
    } catch (error) {
      fail(req, res, error);
    }
    return true;
  };
}
