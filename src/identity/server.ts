// The identity service's one HTTP server. Our own routes answer first (each returns true when it
// handled the request), health checks next, and everything else is oidc-provider's: discovery,
// JWKS, authorization, token, userinfo, introspection, revocation, logout.
// The provider is read per request, so a key rotation swaps it without dropping a connection.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { sendJson } from './api-http.ts';
import { errorLogFields } from './error-log-fields.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface IdentityServerLogger {
  error(fields: object, message: string): void;
}

export interface IdentityServerOptions {
  readonly getProvider: () => Provider;
  /** Tried in order before the provider: interaction pages, account API, admin API, CA. */
  readonly routes: readonly RouteHandler[];
  /** Resolves when the service can answer (the store answers); rejects otherwise. */
  readonly ready: () => Promise<void>;
  readonly logger?: IdentityServerLogger;
}

export function createIdentityServer(options: IdentityServerOptions): Server {
  const callbacks = new WeakMap<Provider, ReturnType<Provider['callback']>>();
  const providerCallback = (provider: Provider) => {
    let callback = callbacks.get(provider);
    if (!callback) {
      callback = provider.callback();
      callbacks.set(provider, callback);
    }
    return callback;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      try {
        await options.ready();
        return sendJson(res, 200, { status: 'ready' });
      } catch {
        return sendJson(res, 503, { status: 'unavailable', error: 'store_unavailable' });
      }
    }
    for (const route of options.routes) {
      if (await route(req, res)) return;
    }
    await providerCallback(options.getProvider())(req, res);
  }

  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Never a stack trace to the client; the log gets the code and message only.
      options.logger?.error({ err: errorLogFields(error), path: req.url?.split('?')[0] }, 'identity request failed');
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: 'server_error' });
    });
  });
}
