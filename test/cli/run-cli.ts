// Runs `node src/cli/main.ts …` as a user would (a subprocess with the Node 24 running the tests)
// and collects what the user sees: exit code, stdout, stderr.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MAIN_SCRIPT = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
/** bin/gatehouse.js: what `npm start`, `npm run gatehouse` and the package's binary run. */
export const LAUNCHER = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `env` entries are added to the test's environment; an `undefined` value removes that variable. */
export function runCli(
  args: string[],
  options: { input?: string; cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<CliResult> {
  const env = { ...process.env, ...options.env };
  for (const [name, value] of Object.entries(options.env ?? {})) if (value === undefined) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN_SCRIPT, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
