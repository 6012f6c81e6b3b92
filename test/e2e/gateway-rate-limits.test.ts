// Rate limits kept in memory, seen from a client: 429 with Retry-After and the IETF RateLimit
// fields once a budget is spent, the remaining budget on every allowed response, burst, several
// limits at once, keys by client IP / verified claim / header, route targeting, and the NGINX
// Policy rateLimit block served with NGINX's meaning.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { gatewayYaml, rawGet, startHarness, waitForLogLine, type Harness } from './gateway-harness.ts';

const started: Harness[] = [];
afterEach(async () => {
  for (const h of started.splice(0)) await h.close();
});

/** A gateway with routes /api (HTTPRoute api) and /other (HTTPRoute other), JWT optional, plus `policy`. */
async function gatewayWith(policy: string): Promise<Harness> {
  const h = await startHarness({
    configYaml: ({ echo, jwksUri }) =>
      `${gatewayYaml({
        upstreams: { echo },
        routes: [{ name: 'api', pathPrefix: '/api', backend: 'echo' }, { name: 'other', pathPrefix: '/other', backend: 'echo' }],
        jwksUri,
      })}---\napiVersion: gatehouse.dev/v1alpha1\nkind: RateLimitPolicy\nmetadata: {name: rl}\nspec:\n${policy}`,
  });
  started.push(h);
  return h;
}

async function statuses(h: Harness, count: number, path = '/api/x', headers: Record<string, string> = {}): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${h.baseUrl}${path}`, { headers });
    await response.arrayBuffer();
    seen.push(response.status);
  }
  return seen;
}

describe('rate limits in memory', () => {
  test('under the limit: RateLimit fields count down; over it: 429 JSON with Retry-After', async () => {
    const h = await gatewayWith('  limits: [{requests: 3, per: minute}]\n');
    for (const remaining of [2, 1, 0]) {
      const response = await fetch(`${h.baseUrl}/api/x`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('ratelimit-policy'), '"rl";q=3;w=60');
      assert.match(response.headers.get('ratelimit') ?? '', new RegExp(`^"rl";r=${remaining};t=([1-9]|[1-5]\\d|60)$`));
      await response.arrayBuffer();
    }
    const refused = await fetch(`${h.baseUrl}/api/x`);
    assert.equal(refused.status, 429);
    assert.deepEqual(await refused.json(), { error: 'rate_limited', message: 'Too many requests' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(refused.headers.get('ratelimit-policy'), '"rl";q=3;w=60');
    assert.match(refused.headers.get('ratelimit') ?? '', /^"rl";r=0;t=\d+$/);
    assert.equal(h.echo.received.length, 3, 'the refused request never reached the upstream');
    const metrics = await (await fetch(`${h.adminUrl}/metrics`)).text();
    assert.match(metrics, /^gatehouse_ratelimit_rejections_total\{policy="rl"\} 1$/m);
    assert.ok(await waitForLogLine(h, (line) => line.status === 429), 'the access log shows the 429');
  });

  test('table: burst, several limits, targets', async (t) => {
    const cases = [
      { name: 'burst adds requests on top of the window', policy: '  limits: [{requests: 2, per: minute, burst: 2}]\n', path: '/api/x', expected: [200, 200, 200, 200, 429] },
      { name: 'several limits: the tightest decides', policy: '  limits: [{requests: 5, per: minute}, {requests: 2, per: hour}]\n', path: '/api/x', expected: [200, 200, 429, 429] },
      { name: 'a policy targeting HTTPRoute api leaves /other alone', policy: '  targetRefs: [{kind: HTTPRoute, name: api}]\n  limits: [{requests: 1, per: minute}]\n', path: '/other/x', expected: [200, 200, 200] },
      { name: 'a policy targeting the Gateway covers its routes', policy: '  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: edge}]\n  limits: [{requests: 1, per: minute}]\n', path: '/other/x', expected: [200, 429] },
    ];
    for (const c of cases) {
      await t.test(c.name, async () => {
        const h = await gatewayWith(c.policy);
        assert.deepEqual(await statuses(h, c.expected.length, c.path), c.expected);
        await h.close();
        started.splice(started.indexOf(h), 1);
      });
    }
  });

  test('several limits are all advertised, and the response names each one', async () => {
    const h = await gatewayWith('  limits: [{requests: 5, per: second}, {requests: 100, per: hour}]\n');
    const response = await fetch(`${h.baseUrl}/api/x`);
    assert.equal(response.headers.get('ratelimit-policy'), '"rl-0";q=5;w=1, "rl-1";q=100;w=3600');
    assert.match(response.headers.get('ratelimit') ?? '', /^"rl-0";r=4;t=1, "rl-1";r=99;t=\d+$/);
  });

  test('key by verified claim: each subject has its own budget', async () => {
    const h = await gatewayWith('  limits: [{requests: 2, per: minute}]\n  key: {claim: sub}\n');
    const alice = { authorization: `Bearer ${await h.token({ sub: 'alice' })}` };
    const bob = { authorization: `Bearer ${await h.token({ sub: 'bob' })}` };
    assert.deepEqual(await statuses(h, 3, '/api/x', alice), [200, 200, 429]);
    assert.deepEqual(await statuses(h, 2, '/api/x', bob), [200, 200]);
    // No verified identity, no key: NGINX does not count requests whose key is empty either.
    assert.deepEqual(await statuses(h, 3, '/api/x'), [200, 200, 200]);
  });

  test('key by header and by client IP + header', async () => {
    const h = await gatewayWith('  limits: [{requests: 1, per: minute}]\n  key: [clientIp, {header: X-Api-Key}]\n');
    assert.deepEqual(await statuses(h, 2, '/api/x', { 'x-api-key': 'one' }), [200, 429]);
    assert.deepEqual(await statuses(h, 2, '/api/x', { 'x-api-key': 'two' }), [200, 429]);
  });

  test('key by API token: a hash of the presented credential, which never appears in the log', async () => {
    const h = await gatewayWith('  limits: [{requests: 1, per: minute}]\n  key: apiToken\n');
    const token = await h.token({ sub: 'carol' });
    assert.deepEqual(await statuses(h, 2, '/api/x', { authorization: `Bearer ${token}` }), [200, 429]);
    const other = await h.token({ sub: 'carol', jti: 'second' });
    assert.deepEqual(await statuses(h, 1, '/api/x', { authorization: `Bearer ${other}` }), [200]);
    await waitForLogLine(h, (line) => line.status === 429);
    assert.ok(!(await h.logLines()).some((line) => JSON.stringify(line).includes(token)));
  });
});

describe('NGINX Policy rateLimit', () => {
  test('rate, burst, key and rejectCode behave as in NGINX; zoneSize is ignored', async () => {
    const h = await startHarness({
      configYaml: ({ echo }) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  listeners: [{name: http, port: 8080, protocol: HTTP}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata: {name: coffee-svc}
spec:
  endpoints: [{url: "${echo}"}]
---
apiVersion: k8s.nginx.org/v1
kind: Policy
metadata: {name: rate-limit-policy}
spec:
  rateLimit:
    rate: 2r/m
    burst: 1
    noDelay: true
    key: \${binary_remote_addr}
    zoneSize: 10M
    rejectCode: 429
---
apiVersion: k8s.nginx.org/v1
kind: Policy
metadata: {name: default-code}
spec:
  rateLimit: {rate: 1r/m, key: "\${http_x_client}", zoneSize: 10M}
---
apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: cafe}
spec:
  host: cafe.example.com
  policies: [{name: rate-limit-policy}]
  upstreams: [{name: coffee, service: coffee-svc, port: 80}]
  routes: [{path: /coffee, action: {pass: coffee}}]
---
apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: tea}
spec:
  host: tea.example.com
  policies: [{name: default-code}]
  upstreams: [{name: tea, service: coffee-svc, port: 80}]
  routes: [{path: /tea, action: {pass: tea}}]
`,
    });
    started.push(h);
    const get = (host: string, path: string, headers: Record<string, string> = {}) => rawGet(h.baseUrl, path, { host, ...headers });
    const cafe: number[] = [];
    for (let i = 0; i < 4; i++) cafe.push((await get('cafe.example.com', '/coffee')).status);
    assert.deepEqual(cafe, [200, 200, 200, 429], '2r/m plus burst 1, then rejectCode 429');
    const first = await get('tea.example.com', '/tea', { 'x-client': 'a' });
    const second = await get('tea.example.com', '/tea', { 'x-client': 'a' });
    assert.equal(first.status, 200);
    assert.equal(second.status, 503, 'NGINX Ingress Controller default rejectCode');
    assert.equal(JSON.parse(second.body).error, 'rate_limited');
    assert.ok(Number(second.headers['retry-after']) >= 1);
    assert.equal((await get('tea.example.com', '/tea', { 'x-client': 'b' })).status, 200, 'another key, another budget');
    assert.equal((await get('tea.example.com', '/tea')).status, 200, 'an empty key is not counted');
  });
});
