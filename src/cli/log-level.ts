// The pino levels `--log-level` accepts, checked up front so a typo is a usage error (exit 2)
// rather than a logger crash at start-up.
import { UsageError } from './cli-errors.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseLogLevel(command: string, level: string | undefined): string | undefined {
  if (level !== undefined && !LOG_LEVELS.includes(level)) {
    throw new UsageError(command, `--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${level}")`);
  }
  return level;
}
