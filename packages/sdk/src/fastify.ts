// Fastify: a preHandler hook that verifies the request, checks the requirements, and puts the
// identity on `request.gatehouse`. Use it per route (`preHandler: gatehouseFastify(verifier)`)
// or for a whole plugin scope (`app.addHook('preHandler', gatehouseFastify(verifier))`).
// Typed structurally so the SDK does not depend on fastify.
import type { IncomingMessage } from 'node:http';
import { errorResponse } from './error-response.ts';
import type { GatehouseIdentity } from './identity.ts';
import { checkRequirements, type Requirement } from './requirements.ts';
import type { RequestVerifier } from './verify-request.ts';

export interface FastifyLikeRequest {
  raw: IncomingMessage;
  gatehouse?: GatehouseIdentity;
}

export interface FastifyLikeReply {
  code(status: number): FastifyLikeReply;
  headers(values: Record<string, string>): FastifyLikeReply;
  send(body: string): FastifyLikeReply;
}

export function gatehouseFastify(
  verifier: RequestVerifier,
  ...requirements: Requirement[]
): (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<FastifyLikeReply | undefined> {
  return async (request, reply) => {
    try {
      const identity = await verifier(request.raw);
      checkRequirements(identity, requirements);
      request.gatehouse = identity;
      return undefined;
    } catch (error) {
      const { status, headers, body } = errorResponse(error);
      // An async hook that sent a reply returns it, so Fastify stops the route there.
      return reply.code(status).headers(headers).send(body);
    }
  };
}
