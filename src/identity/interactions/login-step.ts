// The login prompt: show the form, check the password through the throttle, finish the
// interaction with the account. Failures never say whether the username or the password was
// wrong, and a locked account reads the same whether or not the username exists.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Interaction, Provider } from 'oidc-provider';
import type { InteractionAccounts } from './deps.ts';
import { sendPage } from './page-response.ts';
import { renderLoginPage } from './views/login.ts';

export const INVALID_CREDENTIALS_MESSAGE = 'Incorrect username or password.';
const MISSING_FIELDS_MESSAGE = 'Enter your username and password.';
const MAX_FIELD_LENGTH = 1024;

export function lockedMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

export interface LoginPageInput {
  readonly uid: string;
  readonly csrfToken: string;
  readonly clientName: string;
}

export function showLogin(res: ServerResponse, page: LoginPageInput, details: Interaction): void {
  const hint = details.params.login_hint;
  sendPage(res, 200, renderLoginPage({ ...page, username: typeof hint === 'string' ? hint.slice(0, MAX_FIELD_LENGTH) : '' }));
}

export async function submitLogin(
  req: IncomingMessage,
  res: ServerResponse,
  provider: Provider,
  accounts: InteractionAccounts,
  page: LoginPageInput,
  fields: ReadonlyMap<string, string>,
  clientAddress: (req: IncomingMessage) => string = (request) => request.socket.remoteAddress ?? 'unknown',
): Promise<void> {
  const username = (fields.get('username') ?? '').trim().slice(0, MAX_FIELD_LENGTH);
  const password = (fields.get('password') ?? '').slice(0, MAX_FIELD_LENGTH);
  if (username === '' || password === '') {
    sendPage(res, 200, renderLoginPage({ ...page, username, error: MISSING_FIELDS_MESSAGE }));
    return;
  }
  const ip = clientAddress(req);
  const result = await accounts.authenticate(username, password, ip, Math.floor(Date.now() / 1000));
  if (result.ok) {
    // RFC 8176 §2: "pwd" — password-based authentication.
    await provider.interactionFinished(req, res, { login: { accountId: result.user.id, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
    return;
  }
  if (result.reason === 'locked') {
    const retryAfter = Math.max(1, result.retryAfterSeconds ?? 60);
    // RFC 6585 §4: 429 with Retry-After.
    sendPage(res, 429, renderLoginPage({ ...page, username, error: lockedMessage(retryAfter) }), { 'retry-after': String(retryAfter) });
    return;
  }
  sendPage(res, 200, renderLoginPage({ ...page, username, error: INVALID_CREDENTIALS_MESSAGE }));
}
