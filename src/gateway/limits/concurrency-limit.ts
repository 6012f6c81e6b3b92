// Requests in flight on this gateway process, across generations. Past the limit a request is
// answered 503 with Retry-After (RFC 9110 §10.2.3) before any work is done for it, so an
// overloaded instance sheds load instead of queueing without bound.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Rejection } from '../context.ts';
import { renderRejection } from '../errors.ts';

const OVERLOADED: Rejection = { code: 'overloaded' };
/** Seconds: requests finish in milliseconds; a client (or load balancer) retries soon. */
const RETRY_AFTER_SECONDS = '1';

export class ConcurrencyLimit {
  #inFlight = 0;
  readonly #release = (): void => {
    this.#inFlight--;
  };

  get inFlight(): number {
    return this.#inFlight;
  }

  /** True: the request may run (released when its response closes). False: it was answered 503. */
  admit(req: IncomingMessage, res: ServerResponse, maxConcurrentRequests: number, secure: boolean): boolean {
    if (this.#inFlight >= maxConcurrentRequests) {
      res.setHeader('retry-after', RETRY_AFTER_SECONDS);
      renderRejection({ req, res, secure }, OVERLOADED);
      return false;
    }
    this.#inFlight++;
    // 'close' fires once per response, whether it finished or the client went away.
    res.once('close', this.#release);
    return true;
  }
}
