// The process logger: pino JSON lines through an asynchronous destination so a slow terminal
// or disk never blocks the request path. Tokens and secrets never reach it: the access log
// writes only chosen fields, and redaction is a second line of defence for anything that logs
// a request or header object by mistake.
import pino from 'pino';
import type { Logger } from 'pino';
import { cachedIsoTime } from './iso-time.ts';

export type GatewayLogger = Logger;

/** Field paths whose values may carry credentials (RFC 6750 §5.3: never log bearer tokens). */
const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'token',
  'accessToken',
  'access_token',
  '*.authorization',
  '*.cookie',
  '*.token',
  '*.access_token',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["set-cookie"]',
  'res.headers["set-cookie"]',
];

export interface LoggerHandle {
  logger: GatewayLogger;
  /** Flush buffered lines and release the destination (file descriptors we opened). */
  close(): Promise<void>;
}

export function createLogger(options: { level?: string; destination?: string | number }): LoggerHandle {
  const dest = options.destination ?? 1;
  const destination = pino.destination({ dest, sync: false, mkdir: typeof dest === 'string' });
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      timestamp: cachedIsoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
  let closed = false;
  return {
    logger,
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise<void>((resolve) => {
        const ownsDescriptor = typeof dest === 'string';
        const finish = () => {
          if (!ownsDescriptor) return resolve();
          destination.once('close', () => resolve());
          destination.end();
        };
        // sonic-boom opens file destinations asynchronously; flushing before 'ready' throws.
        const flushThenFinish = () => destination.flush(() => finish());
        if ((destination as unknown as { fd: number }).fd >= 0) flushThenFinish();
        else destination.once('ready', flushThenFinish);
      });
    },
  };
}
