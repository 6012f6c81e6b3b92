// node:http: wrap a request handler so it only runs for verified requests, with the identity as
// its third argument. A refused request is answered here (errorResponse) and never reaches it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorResponse } from './error-response.ts';
import type { GatehouseIdentity } from './identity.ts';
import { checkRequirements, type Requirement } from './requirements.ts';
import type { RequestVerifier } from './verify-request.ts';

export type VerifiedHandler = (req: IncomingMessage, res: ServerResponse, identity: GatehouseIdentity) => void | Promise<void>;

export function withGatehouse(
  verifier: RequestVerifier,
  handler: VerifiedHandler,
  ...requirements: Requirement[]
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    let identity: GatehouseIdentity;
    try {
      identity = await verifier(req);
      checkRequirements(identity, requirements);
    } catch (error) {
      const { status, headers, body } = errorResponse(error);
      res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    await handler(req, res, identity);
  };
}
