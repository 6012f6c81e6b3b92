// Running wrk(1) and reading its report. A run counts only if every response was 2xx and no
// socket error happened: a peer that answers 401/502 fast must never look fast.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BEARER_SCRIPT = fileURLToPath(new URL('./bearer-tokens.lua', import.meta.url));

export interface WrkReport {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  p50Micros: number;
  p99Micros: number;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
  /** wrk's own "Non-2xx or 3xx responses" count. */
  wrkNonSuccess: number;
  /** Our Lua hook's count of responses outside 200–299; undefined if the hook did not report. */
  luaNon2xx?: number;
  firstBadStatus?: number;
}

export type WrkErrorCode = 'ERR_BENCH_WRK_OUTPUT' | 'ERR_BENCH_RUN_NON_2XX' | 'ERR_BENCH_RUN_SOCKET_ERRORS' | 'ERR_BENCH_WRK_FAILED';

export class WrkRunError extends Error {
  readonly code: WrkErrorCode;
  constructor(code: WrkErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const DURATION_UNITS_MICROS: Record<string, number> = { us: 1, ms: 1_000, s: 1_000_000, m: 60_000_000 };

function toMicros(value: string, unit: string): number {
  return Number(value) * DURATION_UNITS_MICROS[unit];
}

function percentile(text: string, label: string): number {
  const match = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(text);
  if (!match) throw new WrkRunError('ERR_BENCH_WRK_OUTPUT', `wrk output has no ${label}% latency (was --latency passed?)`);
  return toMicros(match[1], match[2]);
}

/** Parse the text wrk prints with `--latency` and our Lua `done` hook. */
export function parseWrkOutput(text: string): WrkReport {
  const rate = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  const total = /^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)/m.exec(text);
  if (!rate || !total) throw new WrkRunError('ERR_BENCH_WRK_OUTPUT', 'wrk output has no request count or Requests/sec line');
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const nonSuccess = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  const lua = /^lua non-2xx: (\d+) first-status: (\d+)$/m.exec(text);
  return {
    requests: Number(total[1]),
    durationSeconds: toMicros(total[2], total[3]) / 1_000_000,
    requestsPerSecond: Number(rate[1]),
    p50Micros: percentile(text, '50'),
    p99Micros: percentile(text, '99'),
    socketErrors: socket
      ? { connect: Number(socket[1]), read: Number(socket[2]), write: Number(socket[3]), timeout: Number(socket[4]) }
      : { connect: 0, read: 0, write: 0, timeout: 0 },
    wrkNonSuccess: nonSuccess ? Number(nonSuccess[1]) : 0,
    luaNon2xx: lua ? Number(lua[1]) : undefined,
    firstBadStatus: lua && lua[2] !== '0' ? Number(lua[2]) : undefined,
  };
}

/** Throw unless the run was clean: requests made, all 2xx (proved by the Lua hook), no socket errors. */
export function refuseFailedRun(report: WrkReport, what: string): WrkReport {
  if (report.luaNon2xx === undefined) {
    throw new WrkRunError('ERR_BENCH_WRK_OUTPUT', `${what}: the Lua response hook did not report, so 2xx cannot be proved`);
  }
  const bad = Math.max(report.luaNon2xx, report.wrkNonSuccess);
  if (bad > 0) {
    const status = report.firstBadStatus === undefined ? '' : ` (first: HTTP ${report.firstBadStatus})`;
    throw new WrkRunError('ERR_BENCH_RUN_NON_2XX', `${what}: ${bad} of ${report.requests} responses were not 2xx${status}`);
  }
  const { connect, read, write, timeout } = report.socketErrors;
  if (connect + read + write + timeout > 0) {
    throw new WrkRunError(
      'ERR_BENCH_RUN_SOCKET_ERRORS',
      `${what}: socket errors: connect ${connect}, read ${read}, write ${write}, timeout ${timeout}`,
    );
  }
  if (report.requests === 0) throw new WrkRunError('ERR_BENCH_WRK_OUTPUT', `${what}: wrk made no requests`);
  return report;
}

export interface WrkOptions {
  url: string;
  tokensFile: string;
  durationSeconds: number;
  connections: number;
  threads: number;
  /** taskset CPU list for wrk itself. */
  cpus?: string;
  /** Lua script that builds the requests (default: bearer-tokens.lua); `tokensFile` is its argument. */
  script?: string;
}

/** Run wrk once and return its raw output (the caller parses and judges it). */
export function runWrk(options: WrkOptions): Promise<string> {
  const wrkArgs = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.durationSeconds}s`,
    '--latency',
    '--timeout', '5s',
    '-s', options.script ?? BEARER_SCRIPT,
    options.url,
    '--', options.tokensFile,
  ];
  const [command, args] = options.cpus === undefined ? ['wrk', wrkArgs] : ['taskset', ['-c', options.cpus, 'wrk', ...wrkArgs]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', (error) => reject(new WrkRunError('ERR_BENCH_WRK_FAILED', `wrk could not start: ${error.message}`)));
    child.once('exit', (code) => {
      if (code === 0) resolve(output);
      else reject(new WrkRunError('ERR_BENCH_WRK_FAILED', `wrk exited with ${code}:\n${output}`));
    });
  });
}
