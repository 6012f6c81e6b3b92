// Express (4 and 5): a middleware that verifies the request, checks the requirements, and puts
// the identity on `req.gatehouse` (and `res.locals.gatehouse`) for the handlers after it.
// Typed structurally so the SDK does not depend on express.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorResponse } from './error-response.ts';
import type { GatehouseIdentity } from './identity.ts';
import { checkRequirements, type Requirement } from './requirements.ts';
import type { RequestVerifier } from './verify-request.ts';

export type ExpressRequest = IncomingMessage & { gatehouse?: GatehouseIdentity };
export type ExpressResponse = ServerResponse & { locals?: Record<string, unknown> };

export function gatehouseExpress(
  verifier: RequestVerifier,
  ...requirements: Requirement[]
): (req: ExpressRequest, res: ExpressResponse, next: (error?: unknown) => void) => Promise<void> {
  return async (req, res, next) => {
    try {
      const identity = await verifier(req);
      checkRequirements(identity, requirements);
      req.gatehouse = identity;
      if (res.locals !== undefined) res.locals.gatehouse = identity;
    } catch (error) {
      const { status, headers, body } = errorResponse(error);
      res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    next();
  };
}
