// The `gatehouse` command line: dispatch to one module per command, and turn failures into exit
// codes in one place (0 ok, 1 the command failed, 2 usage error).
import { readFileSync } from 'node:fs';
import { CommandFailure, UsageError } from './cli-errors.ts';
import type { CommandEntry } from './command.ts';

const COMMANDS: CommandEntry[] = [
  { name: 'gateway', summary: 'run the gateway with a YAML config', load: async () => (await import('./gateway.ts')).runGateway },
  { name: 'check', summary: 'validate a config and print what would be served', load: async () => (await import('./check.ts')).runCheck },
  { name: 'import', summary: 'print an NGINX Ingress configuration as Gateway API + Istio documents', load: async () => (await import('./import.ts')).runImport },
  { name: 'demo', summary: 'start the demo identity service, services and gateway (npm start)', load: async () => (await import('./demo.ts')).runDemo },
  { name: 'token', summary: 'decode or mint JWTs (developer helpers)', load: async () => (await import('./token.ts')).runToken },
  { name: 'keys', summary: 'generate signing keys as JWKs', load: async () => (await import('./keys.ts')).runKeys },
  { name: 'ca', summary: 'internal certificate authority: issue, revoke, rotate workload certificates', load: async () => (await import('./ca.ts')).runCa },
  { name: 'identity', summary: 'run the OAuth 2.0 / OpenID Connect identity service, or manage its users, clients, tokens and keys', load: async () => (await import('./identity.ts')).runIdentity },
];

function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `Usage: gatehouse <command> [options]

Gatehouse: an API gateway that verifies JWTs at the edge, configured with Kubernetes
Gateway API, Istio and NGINX resources.

Commands:
${lines.join('\n')}

Options:
  -h, --help     show this help
  -v, --version  print the version

Run "gatehouse <command> --help" for a command's options.
`;
}

function packageVersion(): string {
  const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return packageJson.version;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(topLevelHelp());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topLevelHelp());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) throw new UsageError('', `unknown command "${name}"`);
  const run = await command.load();
  return run(rest);
}

function report(error: unknown): number {
  if (error instanceof UsageError) {
    const helpCommand = error.command ? `gatehouse ${error.command} --help` : 'gatehouse --help';
    process.stderr.write(`gatehouse: ${error.message}\nRun "${helpCommand}" for usage.\n`);
    return error.exitCode;
  }
  if (error instanceof CommandFailure) {
    process.stderr.write(`gatehouse: ${error.message} (${error.code})\n`);
    return error.exitCode;
  }
  process.stderr.write(`gatehouse: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

// exitCode rather than exit(): let stdout/stderr drain (they are asynchronous pipes).
process.exitCode = await main(process.argv.slice(2)).catch(report);
