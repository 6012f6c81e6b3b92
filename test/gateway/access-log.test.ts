// The access log's direct line builder must write exactly the line pino itself writes for the
// same entry (byte for byte, with a fixed timestamp), fall back to pino for a logger it cannot
// reproduce (a mixin), honour the level, and still log a denial's reason at debug level.
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { createAccessLogger, createAccessLogWriter, writeAccessLog } from '../../src/gateway/access-log.ts';
import type { RequestContext } from '../../src/gateway/context.ts';
import { createRequestContext } from '../../src/gateway/request-context.ts';

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      done();
    },
  });
  return { stream, lines };
}

/** A real request context from a real loopback request, filled in as the stages would. */
async function withContext(use: (ctx: RequestContext) => void): Promise<void> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const ctx = createRequestContext(req, res, 8080, false);
    ctx.requestId = 'req-"1"\u2028';
    ctx.host = 'api.example.com';
    ctx.path = '/orders/ünïcode';
    ctx.route = { route: { id: 'default/orders/0' } };
    ctx.upstream = 'orders';
    ctx.authResult = 'ok';
    ctx.authzDecision = { allowed: false, policy: 'default/deny-all', rule: 2, action: 'DENY', reason: 'matched', audited: ['default/audit'] };
    use(ctx);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/orders' }, (res) => res.resume().on('end', resolve)).on('error', reject).end();
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const FIXED_TIME = () => ',"time":"2026-11-30T09:00:00.000Z"';

test('the direct access line is byte for byte the line pino writes', async () => {
  const direct = capture();
  const viaPino = capture();
  const options = { base: { pid: 4242 }, timestamp: FIXED_TIME, redact: { paths: ['authorization'], censor: '[redacted]' } };
  const directLogger = pino(options, direct.stream);
  const pinoLogger = createAccessLogger(pino(options, viaPino.stream));
  await withContext((ctx) => {
    createAccessLogWriter(directLogger)(ctx, 403, 1.23456);
    writeAccessLog(pinoLogger, ctx, 403, 1.23456);
  });
  assert.equal(direct.lines.length, 1);
  assert.equal(direct.lines[0], viaPino.lines[0]);
  const line = JSON.parse(direct.lines[0]);
  assert.equal(line.msg, 'request');
  assert.equal(line.requestId, 'req-"1"\u2028');
  assert.deepEqual(line.authz, { policy: 'default/deny-all', rule: 2 });
  assert.deepEqual(line.audit, ['default/audit']);
});

test('child bindings, level and the denial debug line are kept', async () => {
  const out = capture();
  const logger = pino({ base: { pid: 1 }, timestamp: FIXED_TIME, level: 'debug' }, out.stream).child({ worker: 3 });
  const quiet = capture();
  const quietLogger = pino({ level: 'warn' }, quiet.stream);
  await withContext((ctx) => {
    createAccessLogWriter(logger)(ctx, 403, 2);
    createAccessLogWriter(quietLogger)(ctx, 403, 2);
  });
  assert.equal(out.lines.length, 2);
  const [access, denial] = out.lines.map((line) => JSON.parse(line));
  assert.equal(access.worker, 3);
  assert.equal(access.msg, 'request');
  assert.equal(denial.msg, 'authorization denied');
  assert.equal(denial.authz.reason, 'matched');
  assert.deepEqual(quiet.lines, []);
});

test('a logger whose lines it cannot reproduce (a mixin) logs through pino', async () => {
  const out = capture();
  const logger = pino({ timestamp: FIXED_TIME, mixin: () => ({ zone: 'eu-1' }) }, out.stream);
  await withContext((ctx) => createAccessLogWriter(logger)(ctx, 200, 1));
  assert.equal(out.lines.length, 1);
  const line = JSON.parse(out.lines[0]);
  assert.equal(line.zone, 'eu-1');
  assert.equal(line.status, 200);
});
