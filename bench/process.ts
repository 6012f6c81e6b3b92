// Starting and stopping the benchmark's child processes (peers, upstream) the way a user would
// run them, optionally pinned to CPU cores with taskset(1), with their output kept in a log file
// so a peer that fails to start can be diagnosed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';

export interface ManagedProcess {
  readonly pid: number;
  readonly name: string;
  readonly logFile: string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  /** taskset CPU list, e.g. "0"; undefined = not pinned. */
  cpus?: string;
  logFile: string;
  /** Send stdout to /dev/null (a peer's per-request access log), keeping stderr in logFile. */
  discardStdout?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export class BenchProcessError extends Error {
  readonly code = 'ERR_BENCH_PROCESS';
}

/** Every process started and not yet exited, so an interrupted run can stop them all. */
const liveProcesses = new Set<ManagedProcess>();

export async function stopAllManaged(): Promise<void> {
  await Promise.all([...liveProcesses].map((proc) => proc.stop(2000)));
}

export function spawnManaged(options: SpawnOptions): ManagedProcess {
  // taskset execs the command, so the pid we get is the peer's own pid (needed for /proc).
  const [command, args] = options.cpus === undefined
    ? [options.command, options.args]
    : ['taskset', ['-c', options.cpus, options.command, ...options.args]];
  const log = openSync(options.logFile, 'a');
  const child: ChildProcess = spawn(command, args, {
    stdio: ['ignore', options.discardStdout ? 'ignore' : log, log],
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  closeSync(log);
  if (child.pid === undefined) throw new BenchProcessError(`${options.name}: could not start ${command}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const managed: ManagedProcess = {
    pid: child.pid,
    name: options.name,
    logFile: options.logFile,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  liveProcesses.add(managed);
  void exited.then(() => liveProcesses.delete(managed));
  return managed;
}

/** The last lines of a process log, for error messages. */
export function tailOfLog(logFile: string, lines = 15): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Wait until something accepts on 127.0.0.1:port; fail fast (with its log) if the process died.
 * On failure the process is stopped first, so a peer that never came up is not left running.
 */
export async function waitForPort(proc: ManagedProcess, port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(port)) return;
    if (!isAlive(proc.pid)) {
      await proc.stop();
      throw new BenchProcessError(`${proc.name} exited before listening on ${port}:\n${tailOfLog(proc.logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await proc.stop();
  throw new BenchProcessError(`${proc.name} did not listen on ${port} within ${timeoutMs} ms:\n${tailOfLog(proc.logFile)}`);
}

/** A port that was free a moment ago, for peers whose config needs a fixed number. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** First line a command prints on stdout or stderr (`nginx -v` uses stderr), for version reports. */
export function firstOutputLine(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n')[0] ?? '';
}
