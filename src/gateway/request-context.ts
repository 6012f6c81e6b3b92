// The one place a RequestContext is created. Every field is initialized, optional ones to
// undefined, so each request's context has the same shape from the start and no stage changes
// it by setting a field later (V8 keeps the pipeline's property accesses monomorphic).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from './context.ts';

export function createRequestContext(req: IncomingMessage, res: ServerResponse, listenerPort: number, secure: boolean): RequestContext {
  return {
    req,
    res,
    startedAt: process.hrtime.bigint(),
    requestId: '',
    method: req.method ?? 'GET',
    host: '',
    path: '',
    query: '',
    remoteAddress: req.socket.remoteAddress ?? '',
    listenerPort,
    secure,
    route: undefined,
    identity: undefined,
    upstreamHeaders: {},
    dropHeaders: [],
    outgoingHeaders: undefined,
    unsizedBodyLimit: undefined,
    requestBody: undefined,
    corsHeadersSet: undefined,
    responded: false,
    authzDecision: undefined,
    browserLogin: undefined,
    authResult: undefined,
    upstream: undefined,
  };
}
