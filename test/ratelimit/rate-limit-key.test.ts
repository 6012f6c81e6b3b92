// Keys a request is counted under: parts, missing parts, and hashing for Redis.
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { test } from 'node:test';
import type { RequestContext } from '../../src/gateway/context.ts';
import type { RateLimitKeyPart } from '../../src/model/rate-limit.ts';
import { compileKey } from '../../src/ratelimit/rate-limit-key.ts';

function request(headers: IncomingHttpHeaders, claims?: Record<string, unknown>): RequestContext {
  const identity = claims && { issuer: 'i', subject: String(claims.sub), principal: 'i/s', audiences: [], claims, providerId: 'p', tokenKind: 'jwt' as const };
  return { req: { headers }, remoteAddress: '10.0.0.7', identity } as unknown as RequestContext;
}

test('table: key parts → key (undefined = not counted)', () => {
  const cases: { parts: RateLimitKeyPart[]; ctx: RequestContext; key: string | undefined }[] = [
    { parts: [{ kind: 'clientIp' }], ctx: request({}), key: '10.0.0.7' },
    { parts: [{ kind: 'claim', path: 'sub' }], ctx: request({}, { sub: 'alice' }), key: 'alice' },
    { parts: [{ kind: 'claim', path: 'org.id' }], ctx: request({}, { sub: 'a', org: { id: 42 } }), key: '42' },
    { parts: [{ kind: 'claim', path: 'sub' }], ctx: request({}), key: undefined },
    { parts: [{ kind: 'header', name: 'x-api-key' }], ctx: request({ 'x-api-key': 'k1' }), key: 'k1' },
    { parts: [{ kind: 'header', name: 'x-api-key' }], ctx: request({ 'x-api-key': '' }), key: undefined },
    { parts: [{ kind: 'clientIp' }, { kind: 'header', name: 'x-tenant' }], ctx: request({ 'x-tenant': 't' }), key: '["10.0.0.7","t"]' },
    { parts: [{ kind: 'clientIp' }, { kind: 'header', name: 'x-tenant' }], ctx: request({}), key: undefined },
    { parts: [{ kind: 'apiToken' }], ctx: request({}), key: undefined },
  ];
  for (const { parts, ctx, key } of cases) assert.equal(compileKey(parts, false)(ctx), key, JSON.stringify(parts));
});

test('apiToken and Redis keys are hashes: the credential and the client IP never appear', () => {
  const token = request({ authorization: 'Bearer secret-token-value' });
  const key = compileKey([{ kind: 'apiToken' }], false)(token)!;
  assert.match(key, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(compileKey([{ kind: 'apiToken' }], false)(request({ authorization: 'Bearer other' })), key);
  const hashed = compileKey([{ kind: 'clientIp' }], true)(request({}))!;
  assert.match(hashed, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(!hashed.includes('10.0.0.7'));
});
