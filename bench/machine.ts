// What the report says about the machine, and the executables a run needs (with the Debian
// package that provides each, since the harness installs nothing itself).
import { spawnSync } from 'node:child_process';
import { availableParallelism, release } from 'node:os';
import { readFileSync } from 'node:fs';

export function describeMachine(): { cpus: number; cpuModel: string; kernel: string } {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown CPU';
  return { cpus: availableParallelism(), cpuModel: model, kernel: release() };
}

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Returns one line per missing command, e.g. "wrk (Debian package: wrk)". */
export function missingCommands(required: readonly { command: string; debianPackage: string }[]): string[] {
  const seen = new Set<string>();
  const missing: string[] = [];
  for (const { command, debianPackage } of required) {
    if (seen.has(command)) continue;
    seen.add(command);
    if (!commandExists(command)) missing.push(`${command} (Debian package: ${debianPackage})`);
  }
  return missing;
}
