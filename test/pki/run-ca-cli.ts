// Runs `gatehouse ca …` exactly as a user does: the real CLI entry point in a subprocess.
import { runCli, type CliResult } from '../cli/run-cli.ts';

export type { CliResult };

export function runCaCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(['ca', ...args], { env });
}
