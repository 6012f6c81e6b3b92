// node:util parseArgs with the behaviour every Gatehouse command shares: strict flags, `--help`
// / `-h` printing the command's help to stdout, and parse failures turned into UsageError
// (exit 2) naming the command.
import { parseArgs } from 'node:util';
import { UsageError } from './cli-errors.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** A repeatable flag (`--header a --header b`): its value is a list. */
  multiple?: boolean;
}

export type ParsedValues<T extends Record<string, OptionSpec>> = {
  [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : T[K] extends { multiple: true } ? string[] : string;
};

export interface CommandArgsSpec<T extends Record<string, OptionSpec>> {
  /** e.g. "token mint": used in error messages. */
  command: string;
  help: string;
  options: T;
  /** How many positional arguments the command takes (default 0). */
  positionals?: { min: number; max: number; names: string };
}

export interface ParsedCommandArgs<T extends Record<string, OptionSpec>> {
  values: ParsedValues<T>;
  positionals: string[];
}

/** Returns undefined when --help was asked for (the help is already printed). */
export function parseCommandArgs<T extends Record<string, OptionSpec>>(
  args: string[],
  spec: CommandArgsSpec<T>,
): ParsedCommandArgs<T> | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(spec.command, (error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    process.stdout.write(spec.help.endsWith('\n') ? spec.help : `${spec.help}\n`);
    return undefined;
  }
  const allowed = spec.positionals ?? { min: 0, max: 0, names: '' };
  if (parsed.positionals.length < allowed.min) {
    throw new UsageError(spec.command, `missing argument: ${allowed.names}`);
  }
  if (parsed.positionals.length > allowed.max) {
    throw new UsageError(spec.command, `unexpected argument: ${parsed.positionals[allowed.max]}`);
  }
  return { values: values as ParsedValues<T>, positionals: parsed.positionals };
}

/** A flag the command cannot run without. */
export function requireOption(command: string, value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(command, `missing required option --${flag}`);
  return value;
}
