// The request pipeline: a fixed array of stages compiled once per generation. A request walks it
// synchronously and only awaits when a stage returns a promise (a cold key fetch, the upstream),
// so cached-token requests pay for no extra microtasks. It also counts requests in flight, so
// a retired generation can release its upstream pools once the last of its requests finished.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayLogger } from '../observability/logger.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import { createAccessLogWriter, type AccessLogWriter } from './access-log.ts';
import { createRequestContext } from './request-context.ts';
import type { RequestContext, Rejection, Stage } from './context.ts';
import { renderRejection } from './errors.ts';
import { routeOf } from './stages/route.ts';

const INTERNAL_ERROR: Rejection = { code: 'internal_error' };

export interface PipelineServices {
  logger: GatewayLogger;
  metrics: GatewayMetrics;
}

export class Pipeline {
  readonly stages: readonly Stage[];
  private readonly services: PipelineServices;
  private readonly writeAccessLog: AccessLogWriter;
  private inFlight = 0;
  private drained: (() => void) | undefined;

  constructor(stages: readonly Stage[], services: PipelineServices) {
    this.stages = stages;
    this.services = services;
    this.writeAccessLog = createAccessLogWriter(services.logger);
  }

  /** Entry point for one request on a listener whose configured port is `listenerPort`. */
  handle(req: IncomingMessage, res: ServerResponse, listenerPort: number, secure: boolean): void {
    const ctx = createRequestContext(req, res, listenerPort, secure);
    this.inFlight++;
    this.runFrom(ctx, 0);
  }

  /** Resolves once no request that started on this pipeline is still running. */
  drain(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }

  private runFrom(ctx: RequestContext, first: number): void {
    const stages = this.stages;
    let outcome: Rejection | undefined;
    try {
      for (let i = first; i < stages.length; i++) {
        const result = stages[i].run(ctx);
        if (result === undefined) {
          if (ctx.responded) break;
          continue;
        }
        if (result instanceof Promise) {
          result.then(
            (settled) => (settled !== undefined || ctx.responded ? this.finish(ctx, settled) : this.runFrom(ctx, i + 1)),
            (error: unknown) => this.finish(ctx, this.unexpected(ctx, error)),
          );
          return;
        }
        outcome = result;
        break;
      }
    } catch (error) {
      outcome = this.unexpected(ctx, error);
    }
    this.finish(ctx, outcome);
  }

  private unexpected(ctx: RequestContext, error: unknown): Rejection {
    const err = error instanceof Error ? error : new Error(String(error));
    this.services.logger.error(
      { requestId: ctx.requestId, path: ctx.path, err: { type: err.name, message: err.message, stack: err.stack } },
      'unexpected error while handling a request',
    );
    return INTERNAL_ERROR;
  }

  /** Answers a rejection (if any), then logs, counts and releases the request. Never throws. */
  private finish(ctx: RequestContext, rejection: Rejection | undefined): void {
    const status = rejection === undefined ? ctx.res.statusCode : this.answer(ctx, rejection);
    const durationMs = Number(process.hrtime.bigint() - ctx.startedAt) / 1e6;
    this.writeAccessLog(ctx, status, durationMs);
    this.services.metrics.requestFinished(routeOf(ctx)?.route.id ?? 'none', status, durationMs / 1000);
    if (--this.inFlight === 0 && this.drained !== undefined) {
      this.drained();
      this.drained = undefined;
    }
  }

  private answer(ctx: RequestContext, rejection: Rejection): number {
    const res = ctx.res;
    // After the first byte the status is already on the wire: all we can do is cut the response.
    if (res.headersSent) {
      res.destroy();
      return res.statusCode;
    }
    try {
      return renderRejection(ctx, rejection);
    } catch (error) {
      res.destroy();
      this.unexpected(ctx, error);
      return 500;
    }
  }
}
