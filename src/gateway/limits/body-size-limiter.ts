// Counts a request body on its way upstream and fails the stream the moment it grows past the
// route's limit — for chunked bodies, whose size nobody announces (RFC 9112 §7.1). The proxy
// exchange sees the failure and answers 413 while nothing has been sent to the client.
import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import type { RequestContext } from '../context.ts';

export class BodyTooLargeError extends Error {
  readonly code = 'GATEHOUSE_BODY_TOO_LARGE';
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

export class BodySizeLimiter extends Transform {
  readonly #limit: number;
  #received = 0;
  #exceeded = false;

  constructor(limit: number) {
    super();
    this.#limit = limit;
  }

  /** True once the body grew past the limit (the stream then failed). */
  get exceeded(): boolean {
    return this.#exceeded;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#received += chunk.length;
    if (this.#received > this.#limit) {
      this.#exceeded = true;
      callback(new BodyTooLargeError(this.#limit));
      return;
    }
    callback(null, chunk);
  }
}

/** The body to send upstream: the client request itself, or, when the body-limit stage set a
 * limit on a body of unannounced size, the request counted through a BodySizeLimiter. */
export function upstreamBody(ctx: RequestContext): Readable {
  if (ctx.unsizedBodyLimit === undefined) return ctx.req;
  const limiter = new BodySizeLimiter(ctx.unsizedBodyLimit);
  ctx.req.pipe(limiter);
  ctx.requestBody = limiter;
  return limiter;
}
