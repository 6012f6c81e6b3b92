// The express peer as a team would write it: express-jwt with jwks-rsa fetching the issuer's
// JWKS (cached), issuer/audience/algorithm pinned, then http-proxy-middleware with a keep-alive agent.
import { Agent } from 'node:http';
import express from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { expressjwt } from 'express-jwt';
import jwksRsa from 'jwks-rsa';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { readNodePeerConfig } from './node-peer-config.ts';

const config = readNodePeerConfig();
const app = express();
app.use(
  expressjwt({
    secret: jwksRsa.expressJwtSecret({ jwksUri: config.jwksUrl, cache: true, rateLimit: true }) as never,
    issuer: config.issuer,
    audience: config.audience,
    algorithms: [config.algorithm],
  }),
);
app.use(createProxyMiddleware({ target: config.upstreamUrl, agent: new Agent({ keepAlive: true, maxSockets: 128 }) }));
// Four arguments make this express's error handler: express-jwt's errors carry status 401.
app.use((error: { status?: number; code?: string }, _req: IncomingMessage, res: ServerResponse, _next: unknown) => {
  res.writeHead(error.status ?? 500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.code ?? 'error' }));
});
app.listen(config.port, '127.0.0.1');
