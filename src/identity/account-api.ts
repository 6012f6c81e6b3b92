// Self-service API tokens over HTTP: a user creates (the token is in the answer once), lists and
// revokes their own personal API tokens.
//   POST   /api/tokens      { name, scopes: "a b" | ["a", "b"], expiresIn?: "30d" } → 201
//   GET    /api/tokens      the caller's tokens, without secrets
//   DELETE /api/tokens/:id  revokes one of the caller's tokens → 204
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdentityStore, RevocationRecord } from '../store/identity-store.ts';
import { identifyCaller, type CredentialDeps } from './account-credentials.ts';
import { createApiToken, publicApiToken, revokeApiToken } from './api-tokens.ts';
import { ApiRequestError, methodNotAllowed, optionalString, readBody, requiredString, sendError, sendFailure, sendJson, stringList } from './api-http.ts';
import { lifetimeSeconds } from './identity-config.ts';
import { LIFETIME_PATTERN } from '../config/schemas/identity-service.ts';

export interface AccountApiDeps extends Omit<CredentialDeps, 'clock' | 'store'> {
  store: Pick<IdentityStore, 'apiTokens' | 'users'>;
  /** Scopes an API token may carry (the resources' scopes); any well-formed scope when absent. */
  allowedScopes?: ReadonlySet<string>;
  onRevoke?: (record: RevocationRecord) => Promise<void>;
  clock?: () => number;
}

const CHALLENGE = 'Basic realm="gatehouse", charset="UTF-8", Bearer realm="gatehouse"';
const TOKENS_PATH = '/api/tokens';

function parseExpiresIn(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const seconds = LIFETIME_PATTERN.test(text) ? lifetimeSeconds(text) : 0;
  if (seconds <= 0) throw new ApiRequestError(400, 'invalid_request', 'expiresIn must be a duration such as "30d", "12h" or "90m"');
  return seconds;
}

export function createAccountApi(deps: AccountApiDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const clock = deps.clock ?? (() => Math.floor(Date.now() / 1000));
  const credentials: CredentialDeps = { ...deps, clock };

  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // Token ids are UUIDs: no percent-decoding needed, and none attempted.
    const id = path.startsWith(`${TOKENS_PATH}/`) ? path.slice(TOKENS_PATH.length + 1) : undefined;
    if (path !== TOKENS_PATH && (id === undefined || id === '' || id.includes('/'))) return false;
    const allowed = id === undefined ? ['GET', 'POST'] : ['DELETE'];
    if (!allowed.includes(req.method ?? '')) {
      methodNotAllowed(res, allowed);
      return true;
    }
    try {
      const caller = await identifyCaller(req, credentials);
      if (!caller.ok) {
        if (caller.status === 429) {
          sendError(res, 429, 'too_many_attempts', 'too many failed sign-ins; try again later', { 'retry-after': String(caller.retryAfterSeconds) });
        } else {
          sendError(res, 401, caller.code, 'sign in with your username and password (HTTP Basic) or an access token', { 'www-authenticate': CHALLENGE });
        }
        return true;
      }
      const user = caller.user;
      const now = clock();
      if (id !== undefined) {
        const record = await deps.store.apiTokens.findById(id);
        // Someone else's token answers like a missing one: ids are not an oracle.
        if (!record || record.userId !== user.id || !(await revokeApiToken(deps.store, id, now, deps.onRevoke))) {
          sendError(res, 404, 'token_not_found', 'no such token');
        } else {
          res.writeHead(204, { 'cache-control': 'no-store' }).end();
        }
        return true;
      }
      if (req.method === 'GET') {
        sendJson(res, 200, { tokens: (await deps.store.apiTokens.list(user.id)).map(publicApiToken) });
        return true;
      }
      const body = await readBody(req);
      const scopes = stringList(body, 'scopes');
      const unknown = deps.allowedScopes ? scopes.filter((scope) => !deps.allowedScopes?.has(scope)) : [];
      if (unknown.length > 0) throw new ApiRequestError(400, 'invalid_scope', `unknown scope: ${unknown.join(' ')}`);
      const { token, record } = await createApiToken(
        deps.store,
        { userId: user.id, name: requiredString(body, 'name'), scopes, expiresInSeconds: parseExpiresIn(optionalString(body, 'expiresIn')) },
        now,
      );
      sendJson(res, 201, { id: record.id, name: record.name, token, scopes: record.scopes, expiresAt: record.expiresAt ?? null });
    } catch (error) {
      sendFailure(res, error);
    }
    return true;
  };
}
