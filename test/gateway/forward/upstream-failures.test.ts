import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { Upstreams } from '../../../src/gateway/forward/upstreams.ts';
import { backend, closeAfterTests, json, listen, refusedOrigin, send, startProxy } from './proxy-harness.ts';

const track = closeAfterTests();

function counter(name: string, hits: string[]) {
  return (_req: http.IncomingMessage, res: http.ServerResponse) => {
    hits.push(name);
    res.end(name);
  };
}

test('502 upstream_connect_failed when the only endpoint refuses', async () => {
  const dead = await refusedOrigin();
  const upstreams = await track(new Upstreams([backend('down', [dead.origin])]));
  const proxy = await track(startProxy(() => upstreams, { backend: 'down' }));
  const response = await send(proxy.origin, '/');
  assert.equal(response.status, 502);
  assert.deepEqual(json(response), { error: 'upstream_connect_failed', message: 'Upstream connection failed' });
});

test('503 no_healthy_upstream once every endpoint is ejected', async () => {
  const dead = await refusedOrigin();
  const upstreams = await track(new Upstreams([backend('down', [dead.origin], { maxConnectFailures: 1 })]));
  const proxy = await track(startProxy(() => upstreams, { backend: 'down' }));
  assert.equal((await send(proxy.origin, '/')).status, 502);
  const response = await send(proxy.origin, '/');
  assert.equal(response.status, 503);
  assert.deepEqual(json(response), { error: 'no_healthy_upstream', message: 'No healthy upstream' });
});

test('a refused connection is retried once on another endpoint; after N failures the endpoint is ejected, then tried again', async () => {
  const hits: string[] = [];
  const dead = await refusedOrigin();
  const live = await track(listen(counter('live', hits)));
  const upstreams = await track(new Upstreams([backend('pair', [dead.origin, live.origin], { maxConnectFailures: 2, ejectionMs: 100 })]));
  const proxy = await track(startProxy(() => upstreams, { backend: 'pair' }));

  // Every request succeeds: failures on `dead` are retried on `live`.
  for (let i = 0; i < 6; i++) assert.equal((await send(proxy.origin, '/')).status, 200);
  assert.equal(hits.length, 6);

  // The endpoint comes back on the same port; after the ejection time it gets traffic again.
  const revived = await track(listen(counter('revived', hits), dead.port));
  await sleep(150);
  hits.length = 0;
  for (let i = 0; i < 4; i++) assert.equal((await send(proxy.origin, '/')).status, 200);
  assert.deepEqual(hits.toSorted(), ['live', 'live', 'revived', 'revived']);
  await revived.close();
});

test('a request with a body is not replayed after a connect failure', async () => {
  const hits: string[] = [];
  const dead = await refusedOrigin();
  const live = await track(listen(counter('live', hits)));
  const upstreams = await track(new Upstreams([backend('pair', [dead.origin, live.origin])]));
  const proxy = await track(startProxy(() => upstreams, { backend: 'pair' }));
  const response = await send(proxy.origin, '/', { method: 'POST', body: 'order=1' });
  assert.equal(response.status, 502);
  assert.deepEqual(hits, []);
});

test('504 upstream_timeout when the upstream is slower than the route timeout', async () => {
  const slow = await track(listen(() => {}));
  const upstreams = await track(new Upstreams([backend('slow', [slow.origin])]));
  const proxy = await track(startProxy(() => upstreams, { backend: 'slow', timeoutMs: 50 }));
  const response = await send(proxy.origin, '/');
  assert.equal(response.status, 504);
  assert.deepEqual(json(response), { error: 'upstream_timeout', message: 'Upstream request timeout' });
});

test('the default timeout applies when the route sets none', async () => {
  const slow = await track(listen(() => {}));
  const upstreams = await track(new Upstreams([backend('slow', [slow.origin])], { defaultTimeoutMs: 50 }));
  const proxy = await track(startProxy(() => upstreams, { backend: 'slow' }));
  assert.equal((await send(proxy.origin, '/')).status, 504);
});

test('a timeout after the headers were sent cuts the client connection', async () => {
  const stalls = await track(listen((_req, res) => res.writeHead(200, { 'content-length': '100' }).write('partial')));
  const upstreams = await track(new Upstreams([backend('stalls', [stalls.origin])]));
  const proxy = await track(startProxy(() => upstreams, { backend: 'stalls', timeoutMs: 50 }));
  const response = await send(proxy.origin, '/');
  assert.equal(response.status, 200);
  assert.equal(response.error, 'aborted');
});

test('502 upstream_reset when the upstream closes the connection before answering', async () => {
  const rude = await track(listen((req) => req.socket.destroy()));
  const upstreams = await track(new Upstreams([backend('rude', [rude.origin])]));
  const proxy = await track(startProxy(() => upstreams, { backend: 'rude' }));
  const response = await send(proxy.origin, '/');
  assert.equal(response.status, 502);
  assert.deepEqual(json(response), { error: 'upstream_reset', message: 'Upstream reset the connection' });
});

test('an upstream reset mid-response cuts the client connection', async () => {
  const flaky = await track(
    listen((req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('some bytes', () => setImmediate(() => req.socket.destroy()));
    }),
  );
  const upstreams = await track(new Upstreams([backend('flaky', [flaky.origin])]));
  const proxy = await track(startProxy(() => upstreams, { backend: 'flaky' }));
  const response = await send(proxy.origin, '/');
  assert.equal(response.status, 200);
  assert.equal(response.error, 'aborted');
});

test('a client that goes away aborts the upstream request', async () => {
  let upstreamClosed: Promise<unknown> = Promise.resolve();
  let arrived: () => void = () => {};
  const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
  const hanging = await track(
    listen((req, res) => {
      upstreamClosed = once(res, 'close');
      arrived();
    }),
  );
  const upstreams = await track(new Upstreams([backend('hanging', [hanging.origin])]));
  const proxy = await track(startProxy(() => upstreams, { backend: 'hanging' }));
  const client = http.get(`${proxy.origin}/`, { agent: false });
  client.on('error', () => {});
  await requestArrived;
  client.destroy();
  await upstreamClosed;
});

test('pools of unchanged endpoints survive a reload: the same keep-alive connection is reused', async () => {
  let connections = 0;
  const keepAlive = await track(listen((_req, res) => res.end('ok')));
  keepAlive.server.on('connection', () => connections++);
  let current = new Upstreams([backend('svc', [keepAlive.origin])]);
  const proxy = await track(startProxy(() => current, { backend: 'svc' }));
  assert.equal((await send(proxy.origin, '/')).status, 200);

  const previous = current;
  current = new Upstreams([backend('svc', [keepAlive.origin]), backend('extra', [keepAlive.origin], { connectTimeoutMs: 500 })], { previous });
  await previous.close();
  await track(current);
  assert.equal((await send(proxy.origin, '/')).status, 200);
  assert.equal(connections, 1);
});

test('closing a discarded candidate generation leaves the live one working', async () => {
  const service = await track(listen((_req, res) => res.end('ok')));
  const live = await track(new Upstreams([backend('svc', [service.origin])]));
  const proxy = await track(startProxy(() => live, { backend: 'svc' }));
  assert.equal((await send(proxy.origin, '/')).status, 200);
  const candidate = new Upstreams([backend('svc', [service.origin])], { previous: live });
  await candidate.close();
  assert.equal((await send(proxy.origin, '/')).status, 200);
});

test('a connect that never completes fails within the connect timeout as a 502', async () => {
  // Loopback only: a TCP server that accepts and then stays silent, so an https:// endpoint's
  // TLS handshake (part of undici's connect phase) never finishes.
  const sockets: Socket[] = [];
  const silent = createNetServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  after(() => {
    for (const socket of sockets) socket.destroy();
    silent.close();
  });
  const port = (silent.address() as AddressInfo).port;
  const upstreams = await track(new Upstreams([backend('nowhere', [`https://127.0.0.1:${port}`], { connectTimeoutMs: 100 })]));
  const proxy = await track(startProxy(() => upstreams, { backend: 'nowhere' }));
  const response = await send(proxy.origin, '/');
  assert.equal(response.status, 502);
  assert.equal((json(response) as { error: string }).error, 'upstream_connect_failed');
});

test('a zero route timeout disables the timeout', async () => {
  const late = await track(listen((_req, res) => setTimeout(() => res.end('late'), 30)));
  const upstreams = await track(new Upstreams([backend('late', [late.origin])], { defaultTimeoutMs: 1 }));
  const proxy = await track(startProxy(() => upstreams, { backend: 'late', timeoutMs: 0 }));
  const response = await send(proxy.origin, '/');
  assert.equal(response.status, 200);
  assert.equal(response.body.toString(), 'late');
});
