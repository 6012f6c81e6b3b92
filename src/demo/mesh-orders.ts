// The demo's order service: reached through the gateway like any upstream, it calls the user
// service directly — over mutual TLS with its own workload certificate, expecting the user
// service's SPIFFE ID, with a client-credentials token whose audience is the user service.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MtlsFetch } from '../../packages/sdk/src/index.ts';
import { sendJson } from './http-io.ts';

/** Who called, as the gateway says in the identity headers it sets (30-istio-jwt.yaml). */
const IDENTITY_HEADERS = ['x-user-id', 'x-user-name', 'x-roles', 'x-client-id', 'x-request-id'];

function identityHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of IDENTITY_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

const DEMO_ORDERS = [
  { id: 'o-1001', user: 'alice', item: 'coffee beans' },
  { id: 'o-1002', user: 'bob', item: 'green tea' },
];

export function meshOrdersHandler(callUsers: MtlsFetch, usersUrl: string): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.resume();
    void (async () => {
      try {
        const answer = await callUsers(new URL('/users', usersUrl));
        const users = (await answer.json()) as unknown;
        sendJson(res, answer.ok ? 200 : 502, { service: 'order', headers: identityHeaders(req), orders: DEMO_ORDERS, userService: { status: answer.status, body: users } });
      } catch (error) {
        // The TLS code says why the user service was not trusted (or could not be reached).
        sendJson(res, 502, { service: 'order', error: 'ERR_UPSTREAM_CALL_FAILED', cause: (error as NodeJS.ErrnoException).code ?? 'unreachable' });
      }
    })();
  };
}
