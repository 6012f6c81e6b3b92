// `gatehouse identity users …`: add, list, disable, enable, set-password — on the store directly.
import { createAccounts } from '../identity/accounts.ts';
import { createLoginThrottle } from '../identity/login-throttle.ts';
import type { CommandRunner } from './command.ts';
import { USERS_HELP } from './identity-help.ts';
import { readPasswordFromStdin, withIdentityStore, type IdentityContext } from './identity-context.ts';
import { formatTable, formatTime } from './text-table.ts';
import { parseCommandArgs, requireOption } from './parse-command-args.ts';

const CONFIG = { config: { type: 'string' } } as const;

function accountsOf(context: IdentityContext) {
  return createAccounts({
    store: context.store,
    throttle: createLoginThrottle(context.store.throttle, context.config.lockout),
    onRevoke: context.revoke,
    maxAccessTokenSeconds: context.maxAccessTokenSeconds,
  });
}

const add: CommandRunner = async (args) => {
  const command = 'identity users add';
  const parsed = parseCommandArgs(args, {
    command,
    help: USERS_HELP,
    options: {
      ...CONFIG,
      'password-stdin': { type: 'boolean' },
      role: { type: 'string', multiple: true },
      group: { type: 'string', multiple: true },
      name: { type: 'string' },
      email: { type: 'string' },
    },
    positionals: { min: 1, max: 1, names: 'USERNAME' },
  });
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const configPath = requireOption(command, values.config, 'config');
  const password = await readPasswordFromStdin();
  return withIdentityStore(configPath, async (context) => {
    const user = await accountsOf(context).addUser({ username: positionals[0], password, roles: values.role, groups: values.group, name: values.name, email: values.email });
    process.stdout.write(`created user ${user.username} (${user.id})\n`);
    return 0;
  });
};

const list: CommandRunner = async (args) => {
  const command = 'identity users list';
  const parsed = parseCommandArgs(args, { command, help: USERS_HELP, options: CONFIG });
  if (!parsed) return 0;
  return withIdentityStore(requireOption(command, parsed.values.config, 'config'), async ({ store }) => {
    const rows = (await store.users.list()).map((user) => [
      user.username,
      user.disabled ? 'disabled' : 'active',
      user.roles.join(',') || '-',
      user.groups.join(',') || '-',
      user.email ?? '-',
      formatTime(user.createdAt),
    ]);
    process.stdout.write(formatTable(['USERNAME', 'STATUS', 'ROLES', 'GROUPS', 'EMAIL', 'CREATED'], rows, 'no users'));
    return 0;
  });
};

function setDisabled(disabled: boolean): CommandRunner {
  return async (args) => {
    const command = `identity users ${disabled ? 'disable' : 'enable'}`;
    const parsed = parseCommandArgs(args, { command, help: USERS_HELP, options: CONFIG, positionals: { min: 1, max: 1, names: 'USERNAME' } });
    if (!parsed) return 0;
    return withIdentityStore(requireOption(command, parsed.values.config, 'config'), async (context) => {
      const user = await accountsOf(context).setDisabled(parsed.positionals[0], disabled);
      process.stdout.write(`${disabled ? 'disabled' : 'enabled'} user ${user.username}\n`);
      return 0;
    });
  };
}

const setPassword: CommandRunner = async (args) => {
  const command = 'identity users set-password';
  const parsed = parseCommandArgs(args, {
    command,
    help: USERS_HELP,
    options: { ...CONFIG, 'password-stdin': { type: 'boolean' } },
    positionals: { min: 1, max: 1, names: 'USERNAME' },
  });
  if (!parsed) return 0;
  const configPath = requireOption(command, parsed.values.config, 'config');
  const password = await readPasswordFromStdin();
  return withIdentityStore(configPath, async (context) => {
    const user = await accountsOf(context).setPassword(parsed.positionals[0], password);
    process.stdout.write(`password of ${user.username} replaced\n`);
    return 0;
  });
};

export const USER_COMMANDS: Record<string, CommandRunner> = { add, list, disable: setDisabled(true), enable: setDisabled(false), 'set-password': setPassword };
