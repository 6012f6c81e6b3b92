import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { test } from 'node:test';
import type { RequestContext } from '../../../src/gateway/context.ts';
import { createNormalizeStage, hostWithoutPort } from '../../../src/gateway/stages/normalize.ts';

// The host the router matches: lower-case, without port; undefined = 400.
const hosts: [header: string | undefined, host: string | undefined][] = [
  ['api.example.com', 'api.example.com'],
  ['API.Example.COM:8080', 'api.example.com'],
  ['[::1]:8080', '[::1]'],
  ['127.0.0.1:9', '127.0.0.1'],
  ['', undefined],
  [undefined, undefined],
  [':8080', undefined],
  ['[::1', undefined],
  ['evil.com/x', undefined],
  ['user@evil.com', undefined],
];
for (const [header, host] of hosts) {
  test(`Host ${JSON.stringify(header)} → ${host ?? '400'}`, () => {
    assert.equal(hostWithoutPort(header), host);
  });
}

function contextFor(url: string, headers: Record<string, string>): RequestContext {
  const rawHeaders = Object.entries(headers).flat();
  const req = { url, headers: { ...headers }, rawHeaders } as unknown as IncomingMessage;
  return {
    req,
    res: {} as ServerResponse,
    startedAt: 0n,
    requestId: '',
    method: 'GET',
    host: '',
    path: '',
    query: '',
    remoteAddress: '127.0.0.1',
    listenerPort: 8080,
    secure: false,
    upstreamHeaders: {},
    dropHeaders: [],
  };
}

const stage = createNormalizeStage({ identityHeaderNames: ['x-jwt-payload', 'x-user'], maxHeaderCount: 5 });

// What later stages read after normalize, or the rejection code.
const requests: [url: string, headers: Record<string, string>, expected: Partial<RequestContext> | string][] = [
  ['/a/../b?x=1&y', { host: 'Shop.Example:80' }, { path: '/b', query: 'x=1&y', host: 'shop.example' }],
  ['http://proxy.example/a?q', { host: 'ignored.example' }, { path: '/a', query: 'q', host: 'ignored.example' }],
  ['http://proxy.example/a', {}, { path: '/a', host: 'proxy.example' }],
  ['/a', {}, 'bad_request'],
  ['/a%2fb', { host: 'h' }, 'path_invalid'],
  ['*', { host: 'h' }, 'path_invalid'],
  ['/a', { host: 'h', a: '1', b: '2', c: '3', d: '4', e: '5' }, 'header_too_large'],
];
for (const [url, headers, expected] of requests) {
  test(`${url} ${JSON.stringify(headers)} → ${typeof expected === 'string' ? expected : JSON.stringify(expected)}`, () => {
    const ctx = contextFor(url, headers);
    const rejection = stage.run(ctx) as { code: string } | undefined;
    if (typeof expected === 'string') assert.equal(rejection?.code, expected);
    else {
      assert.equal(rejection, undefined);
      for (const [field, value] of Object.entries(expected)) assert.equal(ctx[field as keyof RequestContext], value, field);
    }
    assert.ok(ctx.requestId !== '', 'every request, even a refused one, gets a request id');
  });
}

test('client-sent identity headers are removed; a safe client request id is kept, an unsafe one replaced', () => {
  const ctx = contextFor('/', { host: 'h', 'x-jwt-payload': 'forged', 'x-user': 'admin', 'x-request-id': 'abc-123' });
  assert.equal(stage.run(ctx), undefined);
  assert.equal(ctx.req.headers['x-jwt-payload'], undefined);
  assert.equal(ctx.req.headers['x-user'], undefined);
  assert.equal(ctx.requestId, 'abc-123');
  const unsafe = contextFor('/', { host: 'h', 'x-request-id': 'a b\u0001' });
  stage.run(unsafe);
  assert.match(unsafe.requestId, /^[0-9a-f-]{36}$/);
});
