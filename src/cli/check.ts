// `gatehouse check --config PATH`: load and validate a configuration exactly as the gateway would
// and print what it would serve, without opening a socket — for CI and before a reload.
import { ConfigError } from '../config/config-error.ts';
import { describeModel } from '../config/describe-model.ts';
import { loadConfig } from '../config/load-config.ts';
import { writeConfigProblems } from './config-problems.ts';
import { parseCommandArgs, requireOption } from './parse-command-args.ts';

const CHECK_HELP = `Usage: gatehouse check --config PATH

Validate a configuration (a YAML file or a directory of YAML files) and print what the
gateway would serve: listeners, routes, backends, JWT providers and policies.

Exit status: 0 when valid; 1 when invalid, with every problem on stderr as
  file: document N (Kind/name): field.path: message
(N counts YAML documents within the file from 0); 2 on a usage error.

Options:
  --config PATH   YAML file or directory (required)
  -h, --help      show this help
`;

export async function runCheck(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { command: 'check', help: CHECK_HELP, options: { config: { type: 'string' } } });
  if (!parsed) return 0;
  const configPath = requireOption('check', parsed.values.config, 'config');
  try {
    const model = await loadConfig(configPath);
    process.stdout.write(`${describeModel(model).trimEnd()}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    writeConfigProblems(error);
    return 1;
  }
}
