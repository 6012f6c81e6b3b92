// The SDK middleware in the three frameworks, each on a real server: the same table of requests
// must give the same statuses, RFC 6750 headers and codes everywhere.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  createRequestVerifier,
  gatehouseExpress,
  gatehouseFastify,
  requireRoles,
  requireScopes,
  withGatehouse,
  type GatehouseIdentity,
  type RequestVerifier,
} from '../../packages/sdk/src/index.ts';
import { nowSeconds } from '../authn/support/tokens.ts';
import { GATEWAY_ISSUER, SERVICE_AUDIENCE, startFakeGateway, type FakeGateway } from './support/internal-tokens.ts';

interface RunningService {
  url: string;
  close(): Promise<void>;
}

const reply = (identity: GatehouseIdentity | undefined) => JSON.stringify({ subject: identity?.subject });

async function listen(server: Server): Promise<RunningService> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Each framework serves /orders (any verified caller), /orders/write (scope) and /admin (role). */
const frameworks: Record<string, (verify: RequestVerifier) => Promise<RunningService>> = {
  'node:http': (verify) => {
    const send = (res: import('node:http').ServerResponse, identity: GatehouseIdentity) => res.writeHead(200, { 'content-type': 'application/json' }).end(reply(identity));
    const handlers: Record<string, ReturnType<typeof withGatehouse>> = {
      '/orders': withGatehouse(verify, (_req, res, identity) => void send(res, identity)),
      '/orders/write': withGatehouse(verify, (_req, res, identity) => void send(res, identity), requireScopes('orders:write')),
      '/admin': withGatehouse(verify, (_req, res, identity) => void send(res, identity), requireRoles('admin')),
    };
    return listen(createServer((req, res) => void handlers[req.url ?? '']?.(req, res)));
  },
  express: (verify) => {
    const app = express();
    const send = (req: { gatehouse?: GatehouseIdentity }, res: { json(body: unknown): void }) => res.json(JSON.parse(reply(req.gatehouse)));
    app.get('/orders', gatehouseExpress(verify), send);
    app.get('/orders/write', gatehouseExpress(verify, requireScopes('orders:write')), send);
    app.get('/admin', gatehouseExpress(verify, requireRoles('admin')), send);
    return listen(createServer(app));
  },
  fastify: async (verify) => {
    const app: FastifyInstance = Fastify();
    const send = async (request: unknown) => JSON.parse(reply((request as { gatehouse?: GatehouseIdentity }).gatehouse));
    app.get('/orders', { preHandler: gatehouseFastify(verify) }, send);
    app.get('/orders/write', { preHandler: gatehouseFastify(verify, requireScopes('orders:write')) }, send);
    app.get('/admin', { preHandler: gatehouseFastify(verify, requireRoles('admin')) }, send);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url: address, close: () => app.close() };
  },
};

interface Case {
  name: string;
  path: string;
  token: (g: FakeGateway) => Promise<string | undefined>;
  status: number;
  code?: string;
  wwwAuthenticate?: RegExp;
}

const cases: Case[] = [
  { name: 'a verified caller', path: '/orders', token: (g) => g.internalToken(), status: 200 },
  { name: 'no token (a direct call bypassing the gateway)', path: '/orders', token: async () => undefined, status: 401, code: 'ERR_GATEHOUSE_TOKEN_MISSING', wwwAuthenticate: /^Bearer realm="gatehouse", error="invalid_token"/ },
  { name: 'an expired token', path: '/orders', token: (g) => g.internalToken({ iat: nowSeconds() - 200, exp: nowSeconds() - 100 }), status: 401, code: 'ERR_GATEHOUSE_TOKEN_EXPIRED', wwwAuthenticate: /error="invalid_token"/ },
  { name: "another service's token", path: '/orders', token: (g) => g.internalToken({ aud: 'billing' }), status: 401, code: 'ERR_GATEHOUSE_AUDIENCE_MISMATCH' },
  { name: 'a missing scope', path: '/orders/write', token: (g) => g.internalToken(), status: 403, code: 'ERR_GATEHOUSE_INSUFFICIENT_SCOPE', wwwAuthenticate: /error="insufficient_scope".*scope="orders:write"/ },
  { name: 'the scope present', path: '/orders/write', token: (g) => g.internalToken({ scope: 'orders:read orders:write' }), status: 200 },
  { name: 'a missing role', path: '/admin', token: (g) => g.internalToken(), status: 403, code: 'ERR_GATEHOUSE_INSUFFICIENT_ROLE', wwwAuthenticate: /error="insufficient_scope"/ },
  { name: 'the role present', path: '/admin', token: (g) => g.internalToken({ roles: ['customer', 'admin'] }), status: 200 },
];

for (const [framework, start] of Object.entries(frameworks)) {
  describe(`SDK middleware: ${framework}`, () => {
    let gateway: FakeGateway;
    let service: RunningService;
    before(async () => {
      gateway = await startFakeGateway();
      service = await start(createRequestVerifier({ jwksUrl: gateway.jwks.jwksUri, issuer: GATEWAY_ISSUER, audience: SERVICE_AUDIENCE }));
    });
    after(async () => {
      await service.close();
      await gateway.close();
    });

    for (const { name, path, token, status, code, wwwAuthenticate } of cases) {
      test(`${name} → ${status}${code ? ` ${code}` : ''}`, async () => {
        const value = await token(gateway);
        const response = await fetch(`${service.url}${path}`, { headers: value === undefined ? {} : { 'x-gatehouse-token': value } });
        assert.equal(response.status, status);
        const body = (await response.json()) as { subject?: string; code?: string };
        if (status === 200) assert.equal(body.subject, 'alice');
        else assert.equal(body.code, code);
        if (wwwAuthenticate !== undefined) assert.match(response.headers.get('www-authenticate') ?? '', wwwAuthenticate);
      });
    }
  });
}
