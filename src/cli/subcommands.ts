// Dispatch for commands that group subcommands (`token decode`, `keys generate`).
import { UsageError } from './cli-errors.ts';
import type { CommandRunner } from './command.ts';

export async function runSubcommand(
  command: string,
  help: string,
  subcommands: Record<string, CommandRunner>,
  args: string[],
): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) throw new UsageError(command, `missing subcommand (${Object.keys(subcommands).join(', ')})`);
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help);
    return 0;
  }
  const runner = Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (!runner) throw new UsageError(command, `unknown subcommand "${name}"`);
  return runner(rest);
}
