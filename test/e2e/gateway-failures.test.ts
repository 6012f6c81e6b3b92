// What clients see when something around the gateway fails: the JWKS server, the upstream, or
// the client's own malformed request. Always a JSON answer with a stable code, never a hang.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { gatewayYaml, startHarness, type Harness } from './gateway-harness.ts';

const started: Harness[] = [];
afterEach(async () => {
  for (const h of started.splice(0)) await h.close();
});

async function harness(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(options);
  started.push(h);
  return h;
}

/** Writes raw bytes on a fresh connection and returns everything the gateway answers. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('gateway failure handling', () => {
  test('JWKS server down at start: the gateway starts, /readyz is 503 and tokens get 401', async () => {
    const h = await harness({ jwksDown: true });
    const ready = await fetch(`${h.adminUrl}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(((await ready.json()) as { status: string }).status, 'loading keys');
    assert.equal((await fetch(`${h.adminUrl}/healthz`)).status, 200);
    const response = await fetch(`${h.baseUrl}/api/x`, { headers: { authorization: `Bearer ${await h.token()}` } });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="edge-realm", error="invalid_token"/);
    const metrics = await (await fetch(`${h.adminUrl}/metrics`)).text();
    assert.match(metrics, /^gatehouse_jwks_fetches_total\{issuer="https:\/\/issuer\.test",outcome="error"\} [1-9]/m);
  });

  test('upstream down: 502 JSON upstream_connect_failed', async () => {
    const h = await harness({
      configYaml: ({ jwksUri }) =>
        gatewayYaml({ upstreams: { gone: 'http://127.0.0.1:1' }, routes: [{ name: 'api', pathPrefix: '/api', backend: 'gone' }], jwksUri }),
    });
    const response = await fetch(`${h.baseUrl}/api/x`);
    assert.equal(response.status, 502);
    assert.deepEqual(await response.json(), { error: 'upstream_connect_failed', message: 'Upstream connection failed' });
  });

  test('a request the HTTP parser refuses gets 400 JSON and a closed connection', async () => {
    const h = await harness();
    const answer = await rawExchange(Number(new URL(h.baseUrl).port), 'GET /api/x HTTP/1.1\r\nHost: a\r\nbad header line\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /"error":"bad_request"/);
    const afterwards = await fetch(`${h.baseUrl}/api/x`);
    assert.equal(afterwards.status, 200, 'the gateway keeps serving');
  });

  test('headers beyond the size limit get 431 JSON', async () => {
    const h = await harness();
    const answer = await rawExchange(
      Number(new URL(h.baseUrl).port),
      `GET /api/x HTTP/1.1\r\nHost: a\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    assert.match(answer, /^HTTP\/1\.1 431 /);
    assert.match(answer, /"error":"header_too_large"/);
  });

  test('an invalid initial config makes startGateway throw the ConfigError', async () => {
    await assert.rejects(
      startHarness({ configYaml: () => 'apiVersion: v1\nkind: Mystery\nmetadata: {name: x}\n' }),
      (error: Error & { code?: string }) => error.code === 'ERR_CONFIG_INVALID' && error.message.includes('Mystery'),
    );
  });
});
