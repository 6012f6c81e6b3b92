// Hot reload as an operator sees it: a good config is served without a restart, a bad one is
// refused with a logged error while the old one keeps serving, in-flight requests finish on
// the generation they started with, and listeners open and close with the config.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { eventually, gatewayYaml, startEchoUpstream, startHarness, waitForLogLine, type EchoUpstream, type Harness } from './gateway-harness.ts';

const started: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const resource of started.splice(0).reverse()) await resource.close();
});

async function harness(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(options);
  started.push(h);
  return h;
}

async function upstream(name: string): Promise<EchoUpstream> {
  const echo = await startEchoUpstream(name);
  started.push(echo);
  return echo;
}

async function upstreamName(url: string): Promise<string | number> {
  const response = await fetch(url);
  if (response.status !== 200) {
    await response.arrayBuffer();
    return response.status;
  }
  return ((await response.json()) as { upstream: string }).upstream;
}

describe('gateway hot reload', () => {
  test('reload() serves a new route and counts the reload', async () => {
    const h = await harness();
    const tea = await upstream('tea');
    await h.writeConfig(
      gatewayYaml({
        upstreams: { echo: h.echo.url, tea: tea.url },
        routes: [
          { name: 'api', pathPrefix: '/api', backend: 'echo' },
          { name: 'tea', pathPrefix: '/tea', backend: 'tea' },
        ],
        jwksUri: h.jwks.jwksUri,
      }),
    );
    assert.equal(await upstreamName(`${h.baseUrl}/tea`), 404);
    assert.deepEqual(await h.gateway.reload(), { ok: true, generation: 2 });
    assert.equal(await upstreamName(`${h.baseUrl}/tea`), 'tea');
    assert.equal(await upstreamName(`${h.baseUrl}/api/x`), 'echo');
    const metrics = await (await fetch(`${h.adminUrl}/metrics`)).text();
    assert.match(metrics, /^gatehouse_config_reloads_total\{outcome="ok"\} 1$/m);
    assert.match(metrics, /^gatehouse_config_generation 2$/m);
    assert.equal(h.jwks.requestCount(), 1, 'an unchanged JWKS is not fetched again on reload');
  });

  test('a bad config is refused, logged with file and field, and the old config keeps serving', async () => {
    const h = await harness();
    await h.writeConfig(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: broken}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: Sideways, value: /x}}]
`);
    const result = await h.gateway.reload();
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.error.includes('gateway.yaml'), 'the error names the file');
    assert.equal(await upstreamName(`${h.baseUrl}/api/x`), 'echo');
    const logged = await waitForLogLine(h, (line) => line.level === 50 && String(line.msg).includes('configuration refused'));
    assert.ok(logged, 'one error line logged');
    assert.match(String(logged.error), /gateway\.yaml \(document 0\) HTTPRoute\/broken: spec\.rules/);
    assert.equal(logged.servingGeneration, 1);
    const metrics = await (await fetch(`${h.adminUrl}/metrics`)).text();
    assert.match(metrics, /^gatehouse_config_reloads_total\{outcome="error"\} 1$/m);
    assert.match(metrics, /^gatehouse_config_generation 1$/m);
  });

  test('a change to the watched config file is picked up without SIGHUP', async () => {
    const h = await harness({ gatewayOptions: { watch: true } });
    const tea = await upstream('tea');
    await h.writeConfig(
      gatewayYaml({ upstreams: { tea: tea.url }, routes: [{ name: 'api', pathPrefix: '/api', backend: 'tea' }], jwksUri: h.jwks.jwksUri }),
    );
    assert.ok(await eventually(async () => (await upstreamName(`${h.baseUrl}/api/x`)) === 'tea'), 'new backend served');
  });

  test('SIGHUP reloads', async () => {
    const h = await harness();
    const tea = await upstream('tea');
    await h.writeConfig(
      gatewayYaml({ upstreams: { tea: tea.url }, routes: [{ name: 'api', pathPrefix: '/api', backend: 'tea' }], jwksUri: h.jwks.jwksUri }),
    );
    process.kill(process.pid, 'SIGHUP');
    assert.ok(await eventually(async () => (await upstreamName(`${h.baseUrl}/api/x`)) === 'tea'), 'new backend served');
  });

  test('a request in flight during a reload finishes on the generation it started with', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived: () => void = () => undefined;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const slow = createServer((req, res) => {
      arrived();
      void held.then(() => res.end(JSON.stringify({ upstream: 'slow', url: req.url })));
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    started.push({ close: () => new Promise((resolve) => slow.close(() => resolve())) });
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    const h = await harness({ configYaml: ({ jwksUri }) => gatewayYaml({ upstreams: { slow: slowUrl }, routes: [{ name: 'slow', pathPrefix: '/slow', backend: 'slow' }], jwksUri }) });
    const inFlight = fetch(`${h.baseUrl}/slow/1`);
    await arrival;
    await h.writeConfig(gatewayYaml({ upstreams: { echo: h.echo.url }, routes: [{ name: 'api', pathPrefix: '/api', backend: 'echo' }], jwksUri: h.jwks.jwksUri }));
    assert.deepEqual(await h.gateway.reload(), { ok: true, generation: 2 });
    assert.equal(await upstreamName(`${h.baseUrl}/slow/2`), 404, 'new requests see the new generation');
    release();
    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { upstream: string }).upstream, 'slow');
  });

  test('listeners added by a reload open, and removed ones close', async () => {
    const h = await harness();
    const original = await readFile(h.configPath, 'utf8');
    const internalListener = '\n  - {name: internal, port: 8081, protocol: HTTP}';
    await h.writeConfig(original.replace('  - {name: http, port: 8080, protocol: HTTP}', `$&${internalListener}`));
    assert.equal((await h.gateway.reload()).ok, true);
    const internal = h.gateway.listeners['edge/internal'];
    assert.ok(internal, 'new listener bound');
    const routesAttachToEveryListener = await fetch(`http://127.0.0.1:${internal.port}/api/x`);
    assert.equal(routesAttachToEveryListener.status, 200);
    await routesAttachToEveryListener.arrayBuffer();
    assert.equal(await upstreamName(`${h.baseUrl}/api/x`), 'echo', 'the unchanged listener kept serving');

    await h.writeConfig(original);
    assert.equal((await h.gateway.reload()).ok, true);
    assert.equal(h.gateway.listeners['edge/internal'], undefined);
    await assert.rejects(fetch(`http://127.0.0.1:${internal.port}/api/x`, { headers: { connection: 'close' } }));
  });
});
