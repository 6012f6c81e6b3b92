// `gatehouse gateway --config PATH`: run the gateway in the foreground until SIGINT/SIGTERM.
// One worker runs in this process; more run as node:cluster workers sharing the listener ports.
import { availableParallelism } from 'node:os';
import { ConfigError } from '../config/config-error.ts';
import { startGateway } from '../gateway/start-gateway.ts';
import { runGatewayWorkers } from '../gateway/workers.ts';
import { UsageError } from './cli-errors.ts';
import { writeConfigProblems } from './config-problems.ts';
import { parseLogLevel } from './log-level.ts';
import { parseCommandArgs, requireOption } from './parse-command-args.ts';
import { waitForStopSignal } from './stop-signal.ts';

const GATEWAY_HELP = `Usage: gatehouse gateway --config PATH [options]

Run the gateway. The configuration (a YAML file or a directory of YAML files) is watched
and reloaded on change, and on SIGHUP; a configuration that does not validate is refused
and the previous one keeps serving. SIGINT or SIGTERM stops the gateway.

Options:
  --config PATH      YAML file or directory (required)
  --workers N        processes sharing the listener ports (default: number of CPUs, ${availableParallelism()} here)
  --admin ADDR       admin listener host:port for /healthz, /readyz, /metrics
                     (default 127.0.0.1:9901; "off" disables it)
  --log-level LEVEL  fatal, error, warn, info, debug or trace (default info)
  -h, --help         show this help
`;

function parseWorkers(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  const workers = Number(text);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError('gateway', `--workers must be a whole number of at least 1 (got "${text}")`);
  return workers;
}

export async function runGateway(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    command: 'gateway',
    help: GATEWAY_HELP,
    options: {
      config: { type: 'string' },
      workers: { type: 'string' },
      admin: { type: 'string' },
      'log-level': { type: 'string' },
    },
  });
  if (!parsed) return 0;
  const { values } = parsed;
  const configPath = requireOption('gateway', values.config, 'config');
  const workers = parseWorkers(values.workers);
  const logLevel = parseLogLevel('gateway', values['log-level']);
  const options = { configPath, adminAddress: values.admin, logLevel };

  try {
    if (workers > 1) {
      await runGatewayWorkers({ ...options, workers });
      return 0;
    }
    const gateway = await startGateway(options);
    await waitForStopSignal();
    await gateway.close();
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    writeConfigProblems(error);
    return 1;
  }
}
