import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { describe, test } from 'node:test';
import { Upstreams } from '../../../src/gateway/forward/upstreams.ts';
import { compileHeaderOps } from '../../../src/gateway/routing/header-ops.ts';
import { createWeightedPicker } from '../../../src/gateway/routing/weighted-picker.ts';
import { backend, closeAfterTests, json, listen, send, startProxy, type RunningServer } from './proxy-harness.ts';

const track = closeAfterTests();

describe('forwarding: headers', async () => {
  const upstream = await track(
    listen((req, res) => {
      res.setHeader('x-upstream', 'yes');
      res.setHeader('x-drop', 'secret');
      res.setHeader('proxy-authenticate', 'Basic');
      res.setHeader('upgrade', 'h2c');
      res.setHeader('x-conn-private', 'hidden');
      res.setHeader('connection', 'keep-alive, x-conn-private');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
    }),
  );
  const upstreams = await track(new Upstreams([backend('echo', [upstream.origin])]));
  const responseHeaderOps = compileHeaderOps([{ set: [{ name: 'X-Gateway', value: 'gatehouse' }], add: [], remove: ['x-drop'] }]);
  const proxy = await track(startProxy(() => upstreams, { backend: 'echo', responseHeaderOps }));

  const response = await send(proxy.origin, '/a/b?x=1&y=2', {
    method: 'DELETE',
    headers: {
      'x-custom': 'kept',
      connection: 'close, x-private',
      'x-private': 'connection-scoped',
      te: 'trailers',
      'proxy-authorization': 'Basic Zm9vOmJhcg==',
      'set-cookie-like': ['a', 'b'],
    },
  });
  const seen = json(response) as { method: string; url: string; headers: Record<string, string> };

  test('method, path and query reach the upstream unchanged', () => {
    assert.equal(seen.method, 'DELETE');
    assert.equal(seen.url, '/a/b?x=1&y=2');
  });
  test('end-to-end request headers are forwarded, host included', () => {
    assert.equal(seen.headers['x-custom'], 'kept');
    assert.equal(seen.headers['set-cookie-like'], 'a, b');
    assert.equal(seen.headers.host, `127.0.0.1:${proxy.port}`);
  });
  test('hop-by-hop request headers are stripped', () => {
    for (const name of ['x-private', 'te', 'proxy-authorization', 'keep-alive', 'transfer-encoding']) {
      assert.equal(seen.headers[name], undefined, name);
    }
    assert.notEqual(seen.headers.connection, 'close, x-private');
  });
  test('end-to-end response headers come back, with response header ops applied', () => {
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-upstream'], 'yes');
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(response.headers['x-gateway'], 'gatehouse');
    assert.equal(response.headers['x-drop'], undefined);
  });
  test('hop-by-hop response headers are stripped', () => {
    for (const name of ['proxy-authenticate', 'upgrade', 'keep-alive', 'x-conn-private']) {
      assert.equal(response.headers[name], undefined, name);
    }
  });
});

describe('forwarding: bodies stream both ways', async () => {
  const upstream = await track(
    listen((req, res) => {
      res.writeHead(200, req.headers['content-length'] ? { 'content-length': req.headers['content-length'] } : {});
      req.pipe(res);
    }),
  );
  const upstreams = await track(new Upstreams([backend('echo', [upstream.origin])]));
  const proxy = await track(startProxy(() => upstreams, { backend: 'echo' }));
  const big = randomBytes(8 * 1024 * 1024);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  test('8 MiB with content-length is echoed intact with its length', async () => {
    const response = await send(proxy.origin, '/upload', { method: 'PUT', body: big, headers: { 'content-length': big.length } });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-length'], String(big.length));
    assert.equal(sha(response.body), sha(big));
  });

  test('a chunked request body is echoed intact, chunked', async () => {
    const response = await new Promise<{ status: number; te?: string; body: Buffer }>((resolve, reject) => {
      const req = http.request(`${proxy.origin}/chunked`, { method: 'POST', agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, te: res.headers['transfer-encoding'], body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      for (let offset = 0; offset < big.length; offset += 1024 * 1024) req.write(big.subarray(offset, offset + 1024 * 1024));
      req.end();
    });
    assert.equal(response.status, 200);
    assert.equal(response.te, 'chunked');
    assert.equal(sha(response.body), sha(big));
  });

  test('the upstream sees the request body before the client has finished sending it', async () => {
    let release: () => void = () => {};
    const upstreamSawFirstChunk = new Promise<void>((resolve) => (release = resolve));
    const interactive = await track(
      listen((req, res) => {
        req.once('data', () => release());
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => res.end(Buffer.concat(chunks)));
      }),
    );
    const streaming = await track(new Upstreams([backend('interactive', [interactive.origin])]));
    const front = await track(startProxy(() => streaming, { backend: 'interactive' }));
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.request(`${front.origin}/`, { method: 'POST', agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.write('first,');
      // The rest is only sent once the upstream proves it already received the first part.
      upstreamSawFirstChunk.then(() => req.end('second'), reject);
    });
    assert.equal(body, 'first,second');
  });

  test('the client receives the response body before the upstream has finished sending it', async () => {
    let release: () => void = () => {};
    const clientSawFirstChunk = new Promise<void>((resolve) => (release = resolve));
    const trickle = await track(
      listen((_req, res) => {
        res.write('head,');
        clientSawFirstChunk.then(() => res.end('tail'));
      }),
    );
    const streaming = await track(new Upstreams([backend('trickle', [trickle.origin])]));
    const front = await track(startProxy(() => streaming, { backend: 'trickle' }));
    const body = await new Promise<string>((resolve, reject) => {
      http.get(`${front.origin}/`, { agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          release();
        });
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    assert.equal(body, 'head,tail');
  });
});

describe('forwarding: load balancing', async () => {
  const hits: string[] = [];
  const servers: RunningServer[] = [];
  for (const name of ['a', 'b', 'c']) {
    servers.push(await track(listen((_req, res) => { hits.push(name); res.end(name); })));
  }
  const upstreams = await track(
    new Upstreams([backend('trio', servers.map((s) => s.origin)), backend('blue', [servers[0].origin]), backend('green', [servers[1].origin])]),
  );

  test('round-robin over the endpoints of a backend', async () => {
    hits.length = 0;
    const proxy = await track(startProxy(() => upstreams, { backend: 'trio' }));
    for (let i = 0; i < 6; i++) assert.equal((await send(proxy.origin, '/')).status, 200);
    assert.deepEqual(hits, ['a', 'b', 'c', 'a', 'b', 'c']);
  });

  test('weighted choice between backends (3:1), weight 0 never', async () => {
    hits.length = 0;
    const pick = createWeightedPicker([{ backend: 'blue', weight: 3 }, { backend: 'green', weight: 1 }, { backend: 'trio', weight: 0 }]);
    assert.ok(pick);
    const proxy = await track(startProxy(() => upstreams, { backend: pick }));
    for (let i = 0; i < 8; i++) await send(proxy.origin, '/');
    assert.deepEqual({ a: hits.filter((h) => h === 'a').length, b: hits.filter((h) => h === 'b').length, c: 0 }, { a: 6, b: 2, c: 0 });
  });

  test('an unknown backend is a 503 with a JSON body', async () => {
    const proxy = await track(startProxy(() => upstreams, { backend: 'nope' }));
    const response = await send(proxy.origin, '/');
    assert.equal(response.status, 503);
    assert.deepEqual(json(response), { error: 'no_healthy_upstream', message: 'Unknown backend nope' });
  });
});
