// Limits against abuse (GatewayOptions), each crossed over a real socket: the documented status
// comes back and the gateway keeps serving the next request.
import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, startHarness, type Harness } from './gateway-harness.ts';
import { edgeRoutingDocuments, requestAuthenticationDocument, yamlDocuments } from '../support/gateway-documents.ts';

const LIMITS = `
  limits:
    maxHeaderBytes: 4096
    maxHeaderCount: 20
    maxTokenBytes: 1024
    maxRequestBodyBytes: 1000
    headersTimeout: 400ms
    requestTimeout: 5s
  routes: [{name: uploads, maxRequestBodyBytes: 5000}]`;

function limitsConfig(urls: { echo: string; jwksUri: string }, options = LIMITS): string {
  return yamlDocuments([
    ...edgeRoutingDocuments({
      backends: { echo: urls.echo },
      routes: [{ name: 'api', pathPrefix: '/api', backend: 'echo' }, { name: 'uploads', pathPrefix: '/uploads', backend: 'echo' }],
    }),
    requestAuthenticationDocument('jwt', { issuer: ISSUER, audiences: [AUDIENCE], jwksUri: urls.jwksUri }),
    `apiVersion: gatehouse.dev/v1alpha1
kind: GatewayOptions
metadata: {name: limits}
spec:${options}`,
  ]);
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request; `chunks` are written with a pause between them (a body without Content-Length). */
function send(baseUrl: string, method: string, path: string, headers: Record<string, string | number> = {}, chunks: Buffer[] = []): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    const writeNext = (i: number) => {
      if (i === chunks.length || req.destroyed) return void req.end();
      req.write(chunks[i]);
      setTimeout(writeNext, 20, i + 1);
    };
    writeNext(0);
  });
}

/** Writes `parts` on a fresh connection, `gapMs` apart, and returns what the gateway answered before closing. */
function trickle(port: number, parts: string[], gapMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    const socket: Socket = connect(port, '127.0.0.1', () => {
      const writeNext = (i: number) => {
        if (i === parts.length || socket.destroyed || !socket.writable) return;
        socket.write(parts[i]);
        timer = setTimeout(writeNext, gapMs, i + 1);
      };
      writeNext(0);
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
  });
}

const errorOf = (answer: Answer) => (JSON.parse(answer.body) as { error: string }).error;

describe('limits against abuse', () => {
  let h: Harness;
  const stillServing = async () => assert.equal((await send(h.baseUrl, 'GET', '/api/ok')).status, 200, 'the gateway still serves');
  before(async () => {
    h = await startHarness({ configYaml: (urls) => limitsConfig(urls) });
  });
  after(() => h.close());

  test('more header fields than maxHeaderCount → 431', async () => {
    const headers = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`x-filler-${i}`, 'v']));
    const answer = await send(h.baseUrl, 'GET', '/api/x', headers);
    assert.equal(answer.status, 431);
    assert.equal(errorOf(answer), 'header_too_large');
    await stillServing();
  });

  test('a header block larger than maxHeaderBytes → 431', async () => {
    const answer = await trickle(Number(new URL(h.baseUrl).port), [`GET /api/x HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(5000)}\r\n\r\n`], 0);
    assert.match(answer, /^HTTP\/1\.1 431 /);
    assert.match(answer, /"error":"header_too_large"/);
    await stillServing();
  });

  test('a bearer token larger than maxTokenBytes → 401 jwt_too_large, unparsed', async () => {
    const answer = await send(h.baseUrl, 'GET', '/api/x', { authorization: `Bearer ${'a'.repeat(1100)}.b.c` });
    assert.equal(answer.status, 401);
    assert.equal(errorOf(answer), 'jwt_too_large');
    const valid = await send(h.baseUrl, 'GET', '/api/x', { authorization: `Bearer ${await h.token()}` });
    assert.equal(valid.status, 200);
  });

  test('a Content-Length over maxRequestBodyBytes → 413 before the upstream is asked', async () => {
    const seen = h.echo.received.length;
    const answer = await send(h.baseUrl, 'POST', '/api/x', { 'content-length': 2000 }, [Buffer.alloc(2000, 'a')]);
    assert.equal(answer.status, 413);
    assert.equal(errorOf(answer), 'request_body_too_large');
    assert.equal(answer.headers.connection, 'close');
    assert.equal(h.echo.received.length, seen);
    await stillServing();
  });

  test('a chunked body that grows past the limit mid-stream → 413', async () => {
    const chunks = Array.from({ length: 6 }, () => Buffer.alloc(400, 'b'));
    const answer = await send(h.baseUrl, 'POST', '/api/x', { 'transfer-encoding': 'chunked' }, chunks);
    assert.equal(answer.status, 413);
    assert.equal(errorOf(answer), 'request_body_too_large');
    await stillServing();
  });

  test('bodies within the limit pass, chunked or not', async () => {
    assert.equal((await send(h.baseUrl, 'POST', '/api/x', { 'content-length': 1000 }, [Buffer.alloc(1000, 'c')])).status, 200);
    assert.equal((await send(h.baseUrl, 'POST', '/api/x', { 'transfer-encoding': 'chunked' }, [Buffer.alloc(500), Buffer.alloc(500)])).status, 200);
  });

  test('a route with its own maxRequestBodyBytes takes larger bodies, up to its limit', async () => {
    assert.equal((await send(h.baseUrl, 'POST', '/uploads/f', { 'content-length': 3000 }, [Buffer.alloc(3000)])).status, 200);
    assert.equal((await send(h.baseUrl, 'POST', '/uploads/f', { 'content-length': 6000 }, [Buffer.alloc(6000)])).status, 413);
    const chunked = await send(h.baseUrl, 'POST', '/uploads/f', { 'transfer-encoding': 'chunked' }, Array.from({ length: 15 }, () => Buffer.alloc(400)));
    assert.equal(chunked.status, 413);
    await stillServing();
  });

  test('a chunked request refused before forwarding (401) leaves its keep-alive connection usable', async () => {
    const port = Number(new URL(h.baseUrl).port);
    const body = `${(200).toString(16)}\r\n${'d'.repeat(200)}\r\n0\r\n\r\n`;
    const answer = await trickle(port, [
      `POST /api/x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer not.a.jwt\r\nTransfer-Encoding: chunked\r\n\r\n${body}` +
        'GET /api/ok HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    ], 0);
    assert.match(answer, /^HTTP\/1\.1 401 /);
    assert.match(answer, /HTTP\/1\.1 200 OK/, 'the second request on the connection is served');
  });

  test('headers trickled slower than headersTimeout (slowloris) → 408 and the connection is closed', async () => {
    const parts = ['GET /api/x HTTP/1.1\r\n', 'Host: a\r\n', ...Array.from({ length: 40 }, (_, i) => `X-Slow-${i}: v\r\n`), '\r\n'];
    const answer = await trickle(Number(new URL(h.baseUrl).port), parts, 100);
    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.match(answer, /"error":"request_timeout"/);
    await stillServing();
  });
});

describe('limits and reload', () => {
  test('without GatewayOptions the defaults apply; a reload applies new limits to the open listener', async () => {
    const h = await startHarness({ configYaml: (urls) => limitsConfig(urls, ' {}') });
    try {
      const headers = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`x-filler-${i}`, 'v']));
      assert.equal((await send(h.baseUrl, 'GET', '/api/x', headers)).status, 200, 'default maxHeaderCount is 100');
      assert.equal((await send(h.baseUrl, 'POST', '/api/x', { 'content-length': 2000 }, [Buffer.alloc(2000)])).status, 200);
      await h.writeConfig(limitsConfig({ echo: h.echo.url, jwksUri: h.jwks.jwksUri }));
      assert.deepEqual(await h.gateway.reload(), { ok: true, generation: 2 });
      assert.equal((await send(h.baseUrl, 'GET', '/api/x', headers)).status, 431);
      assert.equal((await send(h.baseUrl, 'POST', '/api/x', { 'content-length': 2000 }, [Buffer.alloc(2000)])).status, 413);
      const slow = await trickle(Number(new URL(h.baseUrl).port), ['GET /api/x HTTP/1.1\r\n', ...Array.from({ length: 40 }, (_, i) => `X-Slow-${i}: v\r\n`)], 100);
      assert.match(slow, /^HTTP\/1\.1 408 /, 'the new headersTimeout applies to the listener opened before the reload');
    } finally {
      await h.close();
    }
  });
});
