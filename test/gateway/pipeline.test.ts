// The pipeline contract, with hand-made stages behind a real HTTP server: stages run in order,
// a rejection stops the walk, a promise is awaited only when returned, a stage that answered
// stops it, a throwing stage becomes 500 internal_error (logged, no stack in the response), and
// drain() waits for requests in flight.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RequestContext, Rejection, Stage } from '../../src/gateway/context.ts';
import { Pipeline } from '../../src/gateway/pipeline.ts';
import { createLogger, type LoggerHandle } from '../../src/observability/logger.ts';
import { GatewayMetrics } from '../../src/observability/metrics.ts';

const trace: string[] = [];
const stage = (name: string, run: (ctx: RequestContext) => ReturnType<Stage['run']>): Stage => ({
  name,
  run: (ctx) => {
    trace.push(name);
    return run(ctx);
  },
});
let releaseHeld: () => void = () => undefined;

const stages: Stage[] = [
  stage('first', (ctx) => {
    ctx.path = (ctx.req.url ?? '/').split('?')[0];
    return undefined;
  }),
  stage('decide', (ctx): Rejection | undefined | Promise<Rejection | undefined> => {
    switch (ctx.path) {
      case '/reject':
        return { code: 'rbac_denied' };
      case '/async-reject':
        return Promise.resolve({ code: 'jwt_expired', realm: 'r' });
      case '/async-continue':
        return new Promise((resolve) => setImmediate(() => resolve(undefined)));
      case '/answered':
        ctx.res.writeHead(204).end();
        ctx.responded = true;
        return undefined;
      case '/throw':
        throw new Error('boom at secret-internal-place');
      case '/held':
        return new Promise((resolve) => (releaseHeld = () => resolve(undefined)));
      default:
        return undefined;
    }
  }),
  stage('last', (ctx) => {
    ctx.res.writeHead(200, { 'content-type': 'text/plain' }).end('served');
    return undefined;
  }),
];

let dir = '';
let log: LoggerHandle;
let pipeline: Pipeline;
let origin = '';
const server = createServer((req, res) => pipeline.handle(req, res, 8080, false));

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-pipeline-'));
  log = createLogger({ destination: join(dir, 'log') });
  pipeline = new Pipeline(stages, { logger: log.logger, metrics: new GatewayMetrics() });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

const cases: [path: string, status: number, stagesRun: string[], body?: object][] = [
  ['/ok', 200, ['first', 'decide', 'last']],
  ['/reject', 403, ['first', 'decide'], { error: 'forbidden', message: 'RBAC: access denied' }],
  ['/async-reject', 401, ['first', 'decide'], { error: 'jwt_expired', message: 'Jwt is expired' }],
  ['/async-continue', 200, ['first', 'decide', 'last']],
  ['/answered', 204, ['first', 'decide']],
  ['/throw', 500, ['first', 'decide'], { error: 'internal_error', message: 'Internal error' }],
];

for (const [path, status, stagesRun, body] of cases) {
  test(`${path} → ${status} after ${stagesRun.join(' → ')}`, async () => {
    trace.length = 0;
    const response = await fetch(`${origin}${path}`);
    assert.equal(response.status, status);
    assert.deepEqual(trace, stagesRun);
    if (body !== undefined) assert.deepEqual(await response.json(), body);
    else await response.arrayBuffer();
  });
}

test('an unexpected exception is logged with its stack, and the response has none', async () => {
  const response = await fetch(`${origin}/throw`);
  const text = await response.text();
  assert.ok(!text.includes('secret-internal-place'));
  let logged: { err: { message: string; stack: string } } | undefined;
  for (let attempt = 0; attempt < 100 && logged === undefined; attempt++) {
    const lines = (await readFile(join(dir, 'log'), 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
    logged = lines.map((l) => JSON.parse(l)).find((l) => l.level === 50);
    if (logged === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(logged, 'error logged');
  assert.match(logged.err.message, /secret-internal-place/);
  assert.match(logged.err.stack, /pipeline\.test\.ts/);
});

test('drain() resolves only once the requests in flight have finished', async () => {
  trace.length = 0;
  const inFlight = fetch(`${origin}/held`);
  while (trace.at(-1) !== 'decide') await new Promise((resolve) => setImmediate(resolve));
  let drained = false;
  const draining = pipeline.drain().then(() => (drained = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(drained, false);
  releaseHeld();
  assert.equal((await inFlight).status, 200);
  await draining;
  assert.equal(drained, true);
});
