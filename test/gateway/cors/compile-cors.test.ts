// A compiled CORS policy: which origins get which Access-Control-Allow-Origin, and the header
// values prepared once per route.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCors } from '../../../src/gateway/cors/compile-cors.ts';
import type { CorsPolicy } from '../../../src/model/cors-policy.ts';

const policy = (overrides: Partial<CorsPolicy>): CorsPolicy => ({
  allowOrigins: [], allowMethods: [], allowHeaders: [], exposeHeaders: [], allowCredentials: false, maxAgeSeconds: 5, ...overrides,
});

const origins: { allow: string[]; credentials?: boolean; origin: string; expect: string | undefined }[] = [
  { allow: ['https://app.example.com'], origin: 'https://app.example.com', expect: 'https://app.example.com' },
  { allow: ['https://app.example.com'], origin: 'https://app.example.com:8443', expect: undefined },
  { allow: ['https://app.example.com:8443'], origin: 'https://app.example.com:8443', expect: 'https://app.example.com:8443' },
  { allow: ['https://*.example.com'], origin: 'https://x.example.com', expect: 'https://x.example.com' },
  { allow: ['https://*.example.com'], origin: 'https://x.y.example.com', expect: 'https://x.y.example.com' },
  { allow: ['https://*.example.com'], origin: 'https://example.com', expect: undefined },
  { allow: ['https://*.example.com'], origin: 'https://.example.com', expect: undefined },
  { allow: ['https://*.example.com'], origin: 'https://x.example.com:444', expect: undefined },
  { allow: ['https://*.example.com'], origin: 'https://a@b.example.com', expect: undefined },
  { allow: ['*'], origin: 'null', expect: '*' },
  { allow: ['*'], origin: 'https://any.test', expect: '*' },
];
for (const row of origins) {
  test(`allowOrigins ${row.allow.join(',')}: Origin ${row.origin} → ${row.expect ?? 'not allowed'}`, () => {
    assert.equal(compileCors(policy({ allowOrigins: row.allow, allowCredentials: row.credentials ?? false })).allowOriginFor(row.origin), row.expect);
  });
}

test('methods default to the CORS-safelisted ones; lists are joined once', () => {
  const compiled = compileCors(policy({ allowOrigins: ['*'], allowHeaders: ['authorization', 'x-a'], exposeHeaders: ['x-b'], maxAgeSeconds: 60 }));
  assert.equal(compiled.allowMethods, 'GET, HEAD, POST');
  assert.equal(compiled.allowHeaders, 'authorization, x-a');
  assert.equal(compiled.exposeHeaders, 'x-b');
  assert.equal(compiled.maxAge, '60');
});

test('with credentials, "*" is never sent: origins, methods and headers are echoed instead', () => {
  const compiled = compileCors(policy({ allowOrigins: ['https://a.test'], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: ['*'], allowCredentials: true }));
  assert.equal(compiled.allowOriginFor('https://a.test'), 'https://a.test');
  assert.equal(compiled.allowMethods, undefined, 'echo the requested method');
  assert.equal(compiled.allowHeaders, undefined, 'echo the requested headers');
  assert.equal(compiled.exposeHeaders, '', 'a literal "*" would expose nothing to a credentialed request');
});
