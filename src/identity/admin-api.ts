// The operator's API under /admin, authenticated by the configured admin token (Bearer, compared
// in constant time). Without an admin token the API does not exist (404), so it cannot be
// brute-forced. Every answer is JSON; secrets (client secrets) appear once, in the create answer.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdentityStore, RevocationRecord } from '../store/identity-store.ts';
import { publicUser, type Accounts } from './accounts.ts';
import { publicApiToken, revokeApiToken } from './api-tokens.ts';
import { ApiRequestError, methodNotAllowed, optionalString, readBody, requiredString, sendError, sendFailure, sendJson, stringList } from './api-http.ts';
import { addClient, listClients, publicClient, removeClient, type ClientSpec, type GrantType } from './clients.ts';
import type { KeyRing } from './keys/key-ring.ts';

export interface AdminApiDeps {
  adminToken: string | undefined;
  store: Pick<IdentityStore, 'users' | 'clients' | 'apiTokens' | 'issuedTokens'>;
  accounts: Pick<Accounts, 'list' | 'addUser' | 'setDisabled' | 'setPassword' | 'findByUsername'>;
  kek: Buffer;
  keyRing: Pick<KeyRing, 'records' | 'rotate'>;
  onRevoke?: (record: RevocationRecord) => Promise<void>;
  /** Called after a rotation so the server serves with the new keys at once. */
  onKeysRotated?: () => void | Promise<void>;
  maxAccessTokenSeconds?: number;
  clock?: () => number;
}

type Handler = (params: string[], req: IncomingMessage) => Promise<{ status: number; body?: unknown }>;
interface Route {
  pattern: RegExp;
  methods: Record<string, Handler>;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer +(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function booleanField(body: Record<string, unknown>, field: string): boolean {
  const value = body[field];
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ApiRequestError(400, 'invalid_request', `${field} must be true or false`);
}

export function createAdminApi(deps: AdminApiDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const clock = deps.clock ?? (() => Math.floor(Date.now() / 1000));
  const expected = deps.adminToken === undefined ? undefined : digest(deps.adminToken);
  // The key records without their (encrypted) private halves.
  const visibleKeys = () => ({ keys: deps.keyRing.records().map(({ encryptedPrivateJwk: _sealed, ...visible }) => visible) });

  const routes: Route[] = [
    {
      pattern: /^\/admin\/users$/,
      methods: {
        GET: async () => ({ status: 200, body: { users: (await deps.accounts.list()).map(publicUser) } }),
        POST: async (_params, req) => {
          const body = await readBody(req);
          const user = await deps.accounts.addUser({
            username: requiredString(body, 'username'),
            password: requiredString(body, 'password'),
            roles: stringList(body, 'roles'),
            groups: stringList(body, 'groups'),
            name: optionalString(body, 'name'),
            email: optionalString(body, 'email'),
          });
          return { status: 201, body: publicUser(user) };
        },
      },
    },
    { pattern: /^\/admin\/users\/([^/]+)\/disable$/, methods: { POST: async ([username]) => ({ status: 200, body: publicUser(await deps.accounts.setDisabled(username, true)) }) } },
    { pattern: /^\/admin\/users\/([^/]+)\/enable$/, methods: { POST: async ([username]) => ({ status: 200, body: publicUser(await deps.accounts.setDisabled(username, false)) }) } },
    {
      pattern: /^\/admin\/users\/([^/]+)\/password$/,
      methods: { POST: async ([username], req) => ({ status: 200, body: publicUser(await deps.accounts.setPassword(username, requiredString(await readBody(req), 'password'))) }) },
    },
    {
      pattern: /^\/admin\/clients$/,
      methods: {
        GET: async () => ({ status: 200, body: { clients: (await listClients(deps.store)).map(publicClient) } }),
        POST: async (_params, req) => {
          const body = await readBody(req);
          const clientId = requiredString(body, 'clientId');
          const givenSecret = optionalString(body, 'clientSecret');
          const spec: ClientSpec = {
            clientId,
            ...(givenSecret === undefined ? {} : { clientSecret: givenSecret }),
            name: optionalString(body, 'name') ?? clientId,
            public: booleanField(body, 'public'),
            trusted: booleanField(body, 'trusted'),
            redirectUris: stringList(body, 'redirectUris'),
            postLogoutRedirectUris: stringList(body, 'postLogoutRedirectUris'),
            grantTypes: stringList(body, 'grantTypes') as GrantType[],
            scopes: stringList(body, 'scopes'),
            resources: stringList(body, 'resources'),
          };
          const { document, clientSecret } = await addClient(deps.store, spec, deps.kek, clock());
          return { status: 201, body: { ...publicClient(document), ...(clientSecret === undefined ? {} : { clientSecret }) } };
        },
      },
    },
    {
      pattern: /^\/admin\/clients\/([^/]+)$/,
      methods: {
        DELETE: async ([clientId]) => {
          const removed = await removeClient(deps.store, clientId, { now: clock(), onRevoke: deps.onRevoke, maxAccessTokenSeconds: deps.maxAccessTokenSeconds });
          return removed ? { status: 204 } : { status: 404, body: { error: 'client_not_found', error_description: `no client "${clientId}"` } };
        },
      },
    },
    {
      pattern: /^\/admin\/tokens$/,
      methods: {
        GET: async (_params, req) => {
          const username = new URL(req.url ?? '/', 'http://localhost').searchParams.get('user');
          const user = username === null ? undefined : await deps.accounts.findByUsername(username);
          if (username !== null && !user) return { status: 404, body: { error: 'user_not_found', error_description: `no user "${username}"` } };
          return { status: 200, body: { tokens: (await deps.store.apiTokens.list(user?.id)).map(publicApiToken) } };
        },
      },
    },
    {
      pattern: /^\/admin\/tokens\/([^/]+)$/,
      methods: {
        DELETE: async ([id]) =>
          (await revokeApiToken(deps.store, id, clock(), deps.onRevoke)) ? { status: 204 } : { status: 404, body: { error: 'token_not_found', error_description: 'no such active token' } },
      },
    },
    {
      // A JWT access token by its jti (RFC 7519 §4.1.7), e.g. one seen in a log: gateways refuse it from now on.
      pattern: /^\/admin\/access-tokens\/([^/]+)$/,
      methods: {
        DELETE: async ([jti]) => {
          const issued = await deps.store.issuedTokens.find(jti);
          const now = clock();
          if (!issued || issued.expiresAt <= now) return { status: 404, body: { error: 'token_not_found', error_description: 'no unexpired access token with this jti' } };
          await deps.onRevoke?.({ kind: 'jti', value: jti, revokedAt: now, expiresAt: issued.expiresAt });
          return { status: 204 };
        },
      },
    },
    {
      pattern: /^\/admin\/keys$/,
      methods: { GET: async () => ({ status: 200, body: visibleKeys() }) },
    },
    {
      pattern: /^\/admin\/keys\/rotate$/,
      methods: {
        POST: async () => {
          await deps.keyRing.rotate(clock());
          await deps.onKeysRotated?.();
          return { status: 200, body: visibleKeys() };
        },
      },
    },
  ];

  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/admin' && !path.startsWith('/admin/')) return false;
    if (!expected) {
      sendError(res, 404, 'not_found', 'the admin API is disabled (no adminToken configured)');
      return true;
    }
    const presented = bearerToken(req);
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      sendError(res, 401, 'invalid_token', 'present the admin token as a Bearer credential', { 'www-authenticate': 'Bearer realm="gatehouse-admin"' });
      return true;
    }
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      const handler = Object.hasOwn(route.methods, req.method ?? '') ? route.methods[req.method ?? ''] : undefined;
      if (!handler) {
        methodNotAllowed(res, Object.keys(route.methods));
        return true;
      }
      try {
        const result = await handler(match.slice(1).map((part) => decodeURIComponent(part)), req);
        if (result.body === undefined) res.writeHead(result.status, { 'cache-control': 'no-store' }).end();
        else sendJson(res, result.status, result.body);
      } catch (error) {
        sendFailure(res, error);
      }
      return true;
    }
    sendError(res, 404, 'not_found', 'no such admin endpoint');
    return true;
  };
}
