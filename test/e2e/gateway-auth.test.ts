// The gateway as users run it: real JWKS server, real upstream, real sockets. Asserts what a
// client and an upstream see for good, bad and forged credentials.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, rawGet, startHarness, waitForLogLine, type Harness } from './gateway-harness.ts';

describe('gateway authentication end to end', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ loginUrl: 'https://login.example.com/start' });
  });
  after(() => h.close());

  test('a valid token reaches the upstream as x-jwt-payload, without the Authorization header', async () => {
    const token = await h.token({ role: 'user' });
    const response = await fetch(`${h.baseUrl}/api/orders?page=2`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    const seen = (await response.json()) as { url: string; headers: Record<string, string> };
    assert.equal(seen.url, '/api/orders?page=2');
    const payload = JSON.parse(Buffer.from(seen.headers['x-jwt-payload'], 'base64url').toString('utf8'));
    assert.equal(payload.iss, ISSUER);
    assert.equal(payload.sub, 'alice');
    assert.equal(payload.role, 'user');
    assert.equal(seen.headers['x-jwt-sub'], 'alice');
    assert.equal(seen.headers.authorization, undefined, 'forwardOriginalToken false removes the token');
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.match(seen.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  });

  test('a token in the access_token query parameter is verified and removed from the upstream URL', async () => {
    const token = await h.token();
    const response = await fetch(`${h.baseUrl}/api/q?a=1&access_token=${token}&b=2`);
    assert.equal(response.status, 200);
    const seen = (await response.json()) as { url: string; headers: Record<string, string> };
    assert.equal(seen.url, '/api/q?a=1&b=2');
    assert.equal(seen.headers['x-jwt-sub'], 'alice');
  });

  test('a client-forged identity header is stripped, with or without a token', async () => {
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', role: 'admin' })).toString('base64url');
    const anonymous = await fetch(`${h.baseUrl}/api/x`, { headers: { 'x-jwt-payload': forged, 'x-jwt-sub': 'admin' } });
    assert.equal(anonymous.status, 200);
    const anonymousSeen = (await anonymous.json()) as { headers: Record<string, string> };
    assert.equal(anonymousSeen.headers['x-jwt-payload'], undefined);
    assert.equal(anonymousSeen.headers['x-jwt-sub'], undefined);

    // Listing it in Connection must not make the proxy drop the gateway's own copy either.
    const token = await h.token();
    const withToken = await rawGet(h.baseUrl, '/api/x', {
      authorization: `Bearer ${token}`,
      'x-jwt-payload': forged,
      connection: 'x-jwt-payload',
    });
    const seen = JSON.parse(withToken.body) as { headers: Record<string, string> };
    const payload = JSON.parse(Buffer.from(seen.headers['x-jwt-payload'], 'base64url').toString('utf8'));
    assert.equal(payload.sub, 'alice');
  });

  test('the client request id is kept', async () => {
    const response = await fetch(`${h.baseUrl}/api/x`, { headers: { 'x-request-id': 'trace-123' } });
    const seen = (await response.json()) as { headers: Record<string, string> };
    assert.equal(seen.headers['x-request-id'], 'trace-123');
  });

  const invalid: [name: string, claims: Record<string, unknown>, reason: string, message: string][] = [
    ['expired', { exp: Math.floor(Date.now() / 1000) - 3600 }, 'jwt_expired', 'Jwt is expired'],
    ['wrong issuer', { iss: 'https://evil.test' }, 'jwt_issuer_not_configured', 'Jwt issuer is not configured'],
    ['wrong audience', { aud: 'other' }, 'jwt_audience_mismatch', 'Audiences in Jwt are not allowed'],
  ];
  for (const [name, claims, reason, message] of invalid) {
    test(`${name} token → 401 ${reason} with the realm`, async () => {
      const token = await h.token(claims);
      const response = await fetch(`${h.baseUrl}/api/x`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 401);
      assert.equal(
        response.headers.get('www-authenticate'),
        `Bearer realm="edge-realm", error="invalid_token", error_description="${message}"`,
      );
      assert.deepEqual(await response.json(), { error: reason, message });
    });
  }

  test('tampered signature → 401 jwt_verification_failed', async () => {
    const token = await h.token();
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const response = await fetch(`${h.baseUrl}/api/x`, { headers: { authorization: `Bearer ${tampered}` } });
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: string }).error, 'jwt_verification_failed');
  });

  test('a browser with an invalid token is redirected to the login URL with the original URL', async () => {
    const token = await h.token({ aud: 'other' });
    const response = await fetch(`${h.baseUrl}/api/page?tab=1`, {
      redirect: 'manual',
      headers: { accept: 'text/html', authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 302);
    assert.equal(
      response.headers.get('location'),
      `https://login.example.com/start?return_to=${encodeURIComponent(`${h.baseUrl}/api/page?tab=1`)}`,
    );
  });

  test('no route → 404 JSON; evil paths → 400 path_invalid or normalized', async () => {
    const notFound = await fetch(`${h.baseUrl}/elsewhere`);
    assert.equal(notFound.status, 404);
    assert.deepEqual(await notFound.json(), { error: 'route_not_found', message: 'No route matches the request' });
    for (const path of ['/api%2Fx', '/api/a%5cb', '/api/%zz']) {
      const response = await fetch(`${h.baseUrl}${path}`);
      assert.equal(response.status, 400, path);
      assert.equal(((await response.json()) as { error: string }).error, 'path_invalid');
    }
    // `/elsewhere/../api/x` is `/api/x` once normalized: matched, and sent upstream normalized.
    const normalized = await rawGet(h.baseUrl, '/elsewhere/../%61pi//x');
    assert.equal(normalized.status, 200);
    assert.equal(JSON.parse(normalized.body).url, '/api/x');
  });

  test('too many header fields → 431', async () => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < 150; i++) headers[`x-filler-${i}`] = 'x';
    const response = await fetch(`${h.baseUrl}/api/x`, { headers });
    assert.equal(response.status, 431);
    assert.equal(((await response.json()) as { error: string }).error, 'header_too_large');
  });

  test('the access log has one line per request and never the token', async () => {
    const token = await h.token({ sub: 'log-check' });
    const response = await fetch(`${h.baseUrl}/api/logged?access_token=${token}`, {
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'log-check-1' },
    });
    assert.equal(response.status, 200);
    const line = await waitForLogLine(h, (entry) => entry.requestId === 'log-check-1');
    assert.ok(line, 'access log line written');
    assert.equal(line.method, 'GET');
    assert.equal(line.path, '/api/logged');
    assert.equal(line.status, 200);
    assert.equal(line.route, 'default/api/rule-0/match-0');
    assert.equal(line.upstream, 'echo');
    assert.equal(line.principal, `${ISSUER}/log-check`);
    assert.equal(line.auth, 'ok');
    assert.equal(typeof line.durationMs, 'number');
    const signature = token.split('.')[2];
    const text = (await h.logLines()).map((entry) => JSON.stringify(entry)).join('\n');
    assert.ok(!text.includes(signature), 'no token text in the log');
    assert.ok(!text.includes(token.split('.')[1]), 'no token payload in the log');
  });

  test('/metrics counts requests, auth failures and JWKS fetches; /healthz and /readyz answer', async () => {
    const before = await metric(h, 'gatehouse_auth_failures_total{reason="jwt_audience_mismatch"}');
    const token = await h.token({ aud: 'nope' });
    await (await fetch(`${h.baseUrl}/api/x`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
    assert.equal(await metric(h, 'gatehouse_auth_failures_total{reason="jwt_audience_mismatch"}'), before + 1);
    assert.ok((await metric(h, 'gatehouse_requests_total{route="default/api/rule-0/match-0",status_class="2xx"}')) >= 1);
    assert.ok((await metric(h, `gatehouse_jwks_fetches_total{issuer="${ISSUER}",outcome="ok"}`)) >= 1);
    assert.ok((await metric(h, 'gatehouse_request_duration_seconds_count')) >= 1);
    assert.equal(await metric(h, 'gatehouse_config_generation'), 1);
    assert.equal((await fetch(`${h.adminUrl}/healthz`)).status, 200);
    assert.equal((await fetch(`${h.adminUrl}/readyz`)).status, 200);
    const config = (await (await fetch(`${h.adminUrl}/config`)).json()) as { providers: { issuer: string; audiences: string[] }[] };
    assert.deepEqual(config.providers.map((p) => [p.issuer, p.audiences]), [[ISSUER, [AUDIENCE]]]);
  });
});

describe('forwardOriginalToken: true', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ forwardOriginalToken: true });
  });
  after(() => h.close());

  test('keeps the Authorization header for the upstream, next to the payload header', async () => {
    const token = await h.token();
    const response = await fetch(`${h.baseUrl}/api/x`, { headers: { authorization: `Bearer ${token}` } });
    const seen = (await response.json()) as { headers: Record<string, string> };
    assert.equal(seen.headers.authorization, `Bearer ${token}`);
    assert.ok(seen.headers['x-jwt-payload']);
  });
});

async function metric(h: Harness, series: string): Promise<number> {
  const text = await (await fetch(`${h.adminUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}
