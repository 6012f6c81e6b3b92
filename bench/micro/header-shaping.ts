// Header shaping: the shape stage building the upstream header set for a typical browser-ish
// request — copy, drop the token, a RequestHeaderModifier, x-forwarded-*, x-request-id and the
// identity header.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from '../../src/gateway/context.ts';
import { compileRouter } from '../../src/gateway/routing/compile-router.ts';
import { createShapeStage } from '../../src/gateway/stages/shape.ts';
import { measureSync, type MicroResult } from './measure-ns.ts';
import { MICRO_PORT, microModel } from './model-fixture.ts';

export async function run(): Promise<MicroResult[]> {
  const router = compileRouter(microModel({ routes: 1, policyRules: 0, jwks: JSON.stringify({ keys: [] }) }));
  const headers = {
    host: 'api.example.com',
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
    accept: 'application/json',
    'accept-encoding': 'gzip, deflate, br',
    'accept-language': 'en-GB,en;q=0.9',
    authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl',
    cookie: 'theme=dark; session=abc',
    'x-forwarded-for': '203.0.113.7',
  };
  const route = router.match({ listenerPort: MICRO_PORT, host: 'api.example.com', method: 'GET', path: '/service-0/items', query: '', headers });
  const ctx: RequestContext = {
    req: { headers } as unknown as IncomingMessage,
    res: undefined as unknown as ServerResponse,
    startedAt: process.hrtime.bigint(),
    requestId: '6f1c2b0e-5d4a-4c1e-9a37-3f2d1e0c9b8a',
    method: 'GET',
    host: 'api.example.com',
    path: '/service-0/items',
    query: '',
    remoteAddress: '127.0.0.1',
    listenerPort: MICRO_PORT,
    secure: false,
    route,
    upstreamHeaders: { 'x-jwt-payload': 'eyJpc3MiOiJodHRwczovL2lzc3Vlci5taWNyby50ZXN0Iiwic3ViIjoiYWxpY2UifQ' },
    dropHeaders: ['authorization'],
  };
  const shape = createShapeStage();
  shape.run(ctx);
  if (ctx.outgoingHeaders?.['x-service'] !== 'service-0' || 'authorization' in ctx.outgoingHeaders) {
    throw new Error('shape stage did not produce the expected headers');
  }
  return [measureSync('shape upstream headers (8 client headers)', () => shape.run(ctx))];
}
