// Rate limits shared through the real Redis on 127.0.0.1:6379: two gateway instances draw from
// one budget; with Redis unreachable each keeps serving on its own local counter (or lets
// requests through) and says so once; when Redis is back the shared budget resumes by itself.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { eventually, gatewayYaml, startHarness, waitForLogLine, type Harness } from './gateway-harness.ts';
import { startSwitchableProxy } from './support/switchable-proxy.ts';

const REDIS_PORT = 6379;
const started: Harness[] = [];
const prefixes: string[] = [];
let redis: Redis;

before(() => {
  redis = new Redis({ host: '127.0.0.1', port: REDIS_PORT, lazyConnect: false, maxRetriesPerRequest: 1 });
});
afterEach(async () => {
  for (const h of started.splice(0)) await h.close();
  for (const prefix of prefixes.splice(0)) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
});
after(() => redis.disconnect());

function uniquePrefix(): string {
  const prefix = `gatehouse-test:${randomUUID()}`;
  prefixes.push(prefix);
  return prefix;
}

async function gatewayWith(policy: string): Promise<Harness> {
  const h = await startHarness({
    configYaml: ({ echo }) =>
      `${gatewayYaml({ upstreams: { echo }, routes: [{ name: 'api', pathPrefix: '/api', backend: 'echo' }] })}---
apiVersion: gatehouse.dev/v1alpha1\nkind: RateLimitPolicy\nmetadata: {name: shared}\nspec:\n${policy}`,
  });
  started.push(h);
  return h;
}

function redisPolicy(url: string, prefix: string, limit: string, onFailure = 'local'): string {
  return `  limits: [${limit}]\n  backend: redis\n  redis: {url: "${url}", keyPrefix: "${prefix}"}\n  onRedisFailure: ${onFailure}\n`;
}

async function status(h: Harness): Promise<number> {
  const response = await fetch(`${h.baseUrl}/api/x`);
  await response.arrayBuffer();
  return response.status;
}

async function statuses(h: Harness, count: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push(await status(h));
  return seen;
}

async function metrics(h: Harness): Promise<string> {
  return (await fetch(`${h.adminUrl}/metrics`)).text();
}

async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const unreachableWarnings = (lines: Record<string, unknown>[]) => lines.filter((line) => String(line.msg).startsWith('Redis is unreachable'));

describe('rate limits shared through Redis', () => {
  test('two instances share one global budget of N per second', async (t) => {
    const limit = 20;
    const prefix = uniquePrefix();
    const policy = redisPolicy(`redis://127.0.0.1:${REDIS_PORT}`, prefix, `{requests: ${limit}, per: second}`);
    const [a, b] = [await gatewayWith(policy), await gatewayWith(policy)];
    for (const h of [a, b]) {
      assert.ok(await eventually(async () => /gatehouse_ratelimit_backend_state\{backend="127.0.0.1:6379"\} 1/.test(await metrics(h))), 'connected to Redis');
    }
    // Fixed windows start at the first request: 2.8 s of steady traffic spans three windows.
    // Eight clients (four per instance) offer far more than the limit even on a loaded machine.
    const accepted = { a: 0, b: 0 };
    let offered = 0;
    const start = Date.now();
    const client = async (target: Harness, name: 'a' | 'b') => {
      while (Date.now() - start < 2800 && offered < 20_000) {
        offered++;
        if ((await status(target)) === 200) accepted[name]++;
      }
    };
    await Promise.all([0, 1, 2, 3].flatMap(() => [client(a, 'a'), client(b, 'b')]));
    assert.ok(offered > 6 * limit, `offered ${offered} requests: enough to exceed the limit`);
    const total = accepted.a + accepted.b;
    t.diagnostic(`offered ${offered}, accepted ${total} (a ${accepted.a}, b ${accepted.b})`);
    const expected = 3 * limit;
    assert.ok(Math.abs(total - expected) <= expected * 0.1, `accepted ${total} (a ${accepted.a}, b ${accepted.b}), expected ${expected} ± 10 %`);
    assert.ok(accepted.a > 0 && accepted.b > 0, 'both instances served part of the budget');
  });

  test('Redis unreachable: local fallback counts per instance, warns once, shows in metrics; open lets requests through', async () => {
    const port = await closedLoopbackPort();
    const local = await gatewayWith(redisPolicy(`redis://127.0.0.1:${port}`, uniquePrefix(), '{requests: 2, per: minute}'));
    assert.deepEqual(await statuses(local, 4), [200, 200, 429, 429]);
    assert.ok(await waitForLogLine(local, (line) => String(line.msg).startsWith('Redis is unreachable')));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // several reconnect attempts fail meanwhile
    assert.deepEqual(await statuses(local, 2), [429, 429]);
    assert.equal(unreachableWarnings(await local.logLines()).length, 1, 'logged once, not per request or per retry');
    const text = await metrics(local);
    assert.match(text, new RegExp(`^gatehouse_ratelimit_backend_state\\{backend="127.0.0.1:${port}"\\} 0$`, 'm'));
    assert.match(text, new RegExp(`^gatehouse_ratelimit_fallback_total\\{backend="127.0.0.1:${port}"\\} 6$`, 'm'));

    const open = await gatewayWith(redisPolicy(`redis://127.0.0.1:${port}`, uniquePrefix(), '{requests: 1, per: minute}', 'open'));
    assert.deepEqual(await statuses(open, 3), [200, 200, 200]);
  });

  test('Redis goes away mid-traffic and comes back: local fallback, then the shared budget again', async () => {
    const proxy = await startSwitchableProxy(REDIS_PORT);
    try {
      const prefix = uniquePrefix();
      const h = await gatewayWith(redisPolicy(`redis://127.0.0.1:${proxy.port}`, prefix, '{requests: 3, per: minute}'));
      const backendUp = async () => new RegExp(`gatehouse_ratelimit_backend_state\\{backend="127.0.0.1:${proxy.port}"\\} 1`).test(await metrics(h));
      assert.ok(await eventually(backendUp), 'connected to Redis through the proxy');
      assert.deepEqual(await statuses(h, 2), [200, 200], 'two of three shared requests spent');
      assert.equal(await redis.get(`${prefix}:0:${await onlyKeySuffix(prefix)}`), '2', 'counted in Redis');

      proxy.cut();
      // The local counter starts fresh: three more, then 429 — the gateway never stops serving.
      assert.deepEqual(await statuses(h, 4), [200, 200, 200, 429]);
      assert.ok(await waitForLogLine(h, (line) => String(line.msg).startsWith('Redis is unreachable')));

      proxy.up = true;
      assert.ok(await eventually(backendUp, 250), 'reconnected by itself');
      // Shared again: Redis still holds 2 of 3, so exactly one more is accepted (the local counter is spent).
      assert.deepEqual(await statuses(h, 2), [200, 429]);
      assert.ok(await waitForLogLine(h, (line) => line.msg === 'Redis is reachable again; shared rate limits resumed'));
      assert.equal(unreachableWarnings(await h.logLines()).length, 1);
    } finally {
      await proxy.close();
    }
  });
});

/** The hashed client key under `prefix:0:` (keys in Redis never show the client IP). */
async function onlyKeySuffix(prefix: string): Promise<string> {
  const keys = await redis.keys(`${prefix}:0:*`);
  assert.equal(keys.length, 1);
  const suffix = keys[0].slice(`${prefix}:0:`.length);
  assert.ok(!suffix.includes('127.0.0.1'));
  return suffix;
}
