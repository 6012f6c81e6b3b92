import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CompiledRoute, RedirectFilter } from '../../../src/gateway/routing/compile-router.ts';
import { redirectLocation, rewritePath, upstreamHost } from '../../../src/gateway/routing/rewrite-path.ts';
import type { PathMatch } from '../../../src/model/gateway-model.ts';
import { route } from './model-fixtures.ts';

function withRewrite(match: PathMatch, path?: { type: 'ReplacePrefixMatch' | 'ReplaceFullPath'; value: string }, hostname?: string): CompiledRoute {
  return { route: route({ id: 'r', match: { path: match } }), rewrite: { type: 'URLRewrite', path, hostname } };
}

describe('rewritePath', () => {
  // The HTTPPathModifier table of the Gateway API spec, row by row.
  const prefixTable: [string, string, string, string][] = [
    ['/foo', '/foo/bar', '/xyz', '/xyz/bar'],
    ['/foo', '/foo/bar', '/xyz/', '/xyz/bar'],
    ['/foo/', '/foo/bar', '/xyz', '/xyz/bar'],
    ['/foo/', '/foo/bar', '/xyz/', '/xyz/bar'],
    ['/foo', '/foo', '/xyz', '/xyz'],
    ['/foo/', '/foo', '/xyz', '/xyz'],
    ['/foo', '/foo/', '/xyz', '/xyz/'],
    ['/foo', '/foo/bar', '', '/bar'],
    ['/foo/', '/foo/bar', '', '/bar'],
    ['/foo', '/foo/bar', '/', '/bar'],
    ['/foo/', '/foo/bar', '/', '/bar'],
    ['/foo', '/foo', '/', '/'],
    ['/foo/', '/foo', '/', '/'],
    ['/', '/bar', '/api', '/api/bar'],
  ];
  for (const [prefix, path, replacement, expected] of prefixTable) {
    test(`ReplacePrefixMatch ${prefix} → ${JSON.stringify(replacement)}: ${path} becomes ${expected}`, () => {
      const compiled = withRewrite({ type: 'PathPrefix', value: prefix }, { type: 'ReplacePrefixMatch', value: replacement });
      assert.equal(rewritePath(compiled, path), expected);
    });
  }

  test('ReplaceFullPath replaces everything', () => {
    assert.equal(rewritePath(withRewrite({ type: 'PathPrefix', value: '/a' }, { type: 'ReplaceFullPath', value: '/health' }), '/a/b/c'), '/health');
  });

  test('no rewrite is the identity', () => {
    assert.equal(rewritePath({ route: route({ id: 'r' }) }, '/x/y'), '/x/y');
    assert.equal(rewritePath(withRewrite({ type: 'PathPrefix', value: '/a' }, undefined, 'h'), '/a/b'), '/a/b');
  });

  test('hostname rewrite sets the upstream Host', () => {
    assert.equal(upstreamHost(withRewrite({ type: 'PathPrefix', value: '/' }, undefined, 'internal.svc'), 'api.example.com'), 'internal.svc');
    assert.equal(upstreamHost({ route: route({ id: 'r' }) }, 'api.example.com'), 'api.example.com');
  });
});

describe('redirectLocation', () => {
  const base = { secure: false, host: 'shop.example.com', port: 8080, path: '/old/page', query: 'a=1' };
  const cases: [string, Partial<RedirectFilter>, Partial<typeof base>, number, string][] = [
    ['defaults keep scheme, host, listener port, path and query', {}, {}, 302, 'http://shop.example.com:8080/old/page?a=1'],
    ['scheme change uses its well-known port, omitted', { scheme: 'https' }, {}, 302, 'https://shop.example.com/old/page?a=1'],
    ['explicit non-default port is kept', { scheme: 'https', port: 8443 }, {}, 302, 'https://shop.example.com:8443/old/page?a=1'],
    ['listener port 80 on http is omitted', {}, { port: 80 }, 302, 'http://shop.example.com/old/page?a=1'],
    ['secure listener on 443 keeps https', {}, { secure: true, port: 443 }, 302, 'https://shop.example.com/old/page?a=1'],
    ['hostname and status code', { hostname: 'www.example.com', statusCode: 301 }, { port: 80 }, 301, 'http://www.example.com/old/page?a=1'],
    ['prefix replacement', { path: { type: 'ReplacePrefixMatch', value: '/new' } }, { port: 80, query: '' }, 302, 'http://shop.example.com/new/page'],
    ['full path replacement', { path: { type: 'ReplaceFullPath', value: '/' }, statusCode: 308 }, { port: 80 }, 308, 'http://shop.example.com/?a=1'],
  ];
  for (const [name, filter, request, status, location] of cases) {
    test(name, () => {
      const compiled: CompiledRoute = {
        route: route({ id: 'r', match: { path: { type: 'PathPrefix', value: '/old' } } }),
        redirect: { type: 'RequestRedirect', statusCode: 302, ...filter },
      };
      assert.deepEqual(redirectLocation(compiled, { ...base, ...request }), { status, location });
    });
  }

  test('a route without RequestRedirect gives undefined', () => {
    assert.equal(redirectLocation({ route: route({ id: 'r' }) }, base), undefined);
  });
});
