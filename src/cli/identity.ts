// `gatehouse identity`: run the identity service (`--config FILE`), or administer its store
// (`users`, `clients`, `tokens`, `keys` groups; see identity-help.ts).
import { createLogger } from '../observability/logger.ts';
import type { CommandRunner } from './command.ts';
import { CLIENT_COMMANDS } from './identity-clients.ts';
import { CLIENTS_HELP, IDENTITY_HELP, KEYS_HELP, TOKENS_HELP, USERS_HELP } from './identity-help.ts';
import { loadIdentityConfigOrReport } from './identity-context.ts';
import { KEY_COMMANDS } from './identity-keys.ts';
import { TOKEN_COMMANDS } from './identity-tokens.ts';
import { USER_COMMANDS } from './identity-users.ts';
import { parseLogLevel } from './log-level.ts';
import { parseCommandArgs, requireOption } from './parse-command-args.ts';
import { waitForStopSignal } from './stop-signal.ts';
import { runSubcommand } from './subcommands.ts';

const GROUPS: Record<string, { help: string; commands: Record<string, CommandRunner> }> = {
  users: { help: USERS_HELP, commands: USER_COMMANDS },
  clients: { help: CLIENTS_HELP, commands: CLIENT_COMMANDS },
  tokens: { help: TOKENS_HELP, commands: TOKEN_COMMANDS },
  keys: { help: KEYS_HELP, commands: KEY_COMMANDS },
};

async function runService(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { command: 'identity', help: IDENTITY_HELP, options: { config: { type: 'string' }, 'log-level': { type: 'string' } } });
  if (!parsed) return 0;
  const configPath = requireOption('identity', parsed.values.config, 'config');
  const level = parseLogLevel('identity', parsed.values['log-level']);
  const config = await loadIdentityConfigOrReport(configPath);
  if (config === undefined) return 1;
  // Loaded here, not at the top: the administration commands need none of the provider stack.
  const { startIdentityService } = await import('../identity/start-identity.ts');
  const { logger, close: closeLogger } = createLogger({ level });
  try {
    const service = await startIdentityService(config, { logger });
    await waitForStopSignal();
    await service.close();
    return 0;
  } finally {
    await closeLogger();
  }
}

export async function runIdentity(args: string[]): Promise<number> {
  const group = args[0] !== undefined && Object.hasOwn(GROUPS, args[0]) ? GROUPS[args[0]] : undefined;
  if (group) return runSubcommand(`identity ${args[0]}`, group.help, group.commands, args.slice(1));
  return runService(args);
}
