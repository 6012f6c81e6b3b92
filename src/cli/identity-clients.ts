// `gatehouse identity clients …`: add, list, remove OAuth clients on the store directly.
import { addClient, listClients, removeClient, type GrantType } from '../identity/clients.ts';
import { CommandFailure } from './cli-errors.ts';
import type { CommandRunner } from './command.ts';
import { CLIENTS_HELP } from './identity-help.ts';
import { withIdentityStore } from './identity-context.ts';
import { formatTable } from './text-table.ts';
import { parseCommandArgs, requireOption } from './parse-command-args.ts';

const CONFIG = { config: { type: 'string' } } as const;

const add: CommandRunner = async (args) => {
  const command = 'identity clients add';
  const parsed = parseCommandArgs(args, {
    command,
    help: CLIENTS_HELP,
    options: {
      ...CONFIG,
      'grant-type': { type: 'string', multiple: true },
      public: { type: 'boolean' },
      trusted: { type: 'boolean' },
      name: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'post-logout-redirect-uri': { type: 'string', multiple: true },
      scope: { type: 'string', multiple: true },
      resource: { type: 'string', multiple: true },
    },
    positionals: { min: 1, max: 1, names: 'CLIENT_ID' },
  });
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const clientId = positionals[0];
  return withIdentityStore(requireOption(command, values.config, 'config'), async ({ config, store, now }) => {
    if (config.clients.some((client) => client.clientId === clientId)) {
      throw new CommandFailure('ERR_CLIENT_IN_CONFIG', `client "${clientId}" is defined in ${config.sourceFile}; change it there`);
    }
    const { document, clientSecret } = await addClient(
      store,
      {
        clientId,
        name: values.name ?? clientId,
        public: values.public ?? false,
        trusted: values.trusted ?? false,
        redirectUris: values['redirect-uri'] ?? [],
        postLogoutRedirectUris: values['post-logout-redirect-uri'] ?? [],
        grantTypes: (values['grant-type'] ?? []) as GrantType[],
        scopes: values.scope ?? [],
        resources: values.resource ?? [],
      },
      config.keyEncryptionKey,
      now(),
    );
    process.stderr.write(`created ${document.public ? 'public' : 'confidential'} client ${document.clientId}${clientSecret ? '; its secret (shown once) follows on stdout' : ''}\n`);
    if (clientSecret) process.stdout.write(`${clientSecret}\n`);
    return 0;
  });
};

const list: CommandRunner = async (args) => {
  const command = 'identity clients list';
  const parsed = parseCommandArgs(args, { command, help: CLIENTS_HELP, options: CONFIG });
  if (!parsed) return 0;
  return withIdentityStore(requireOption(command, parsed.values.config, 'config'), async ({ store }) => {
    const rows = (await listClients(store)).map((client) => [
      client.clientId,
      client.public ? 'public' : 'confidential',
      client.trusted ? 'yes' : 'no',
      client.grantTypes.join(','),
      client.resources.join(',') || '-',
      client.origin,
    ]);
    process.stdout.write(formatTable(['CLIENT ID', 'TYPE', 'TRUSTED', 'GRANTS', 'RESOURCES', 'ORIGIN'], rows, 'no clients'));
    return 0;
  });
};

const remove: CommandRunner = async (args) => {
  const command = 'identity clients remove';
  const parsed = parseCommandArgs(args, { command, help: CLIENTS_HELP, options: CONFIG, positionals: { min: 1, max: 1, names: 'CLIENT_ID' } });
  if (!parsed) return 0;
  const clientId = parsed.positionals[0];
  return withIdentityStore(requireOption(command, parsed.values.config, 'config'), async ({ config, store, now, revoke, maxAccessTokenSeconds }) => {
    if (config.clients.some((client) => client.clientId === clientId)) {
      throw new CommandFailure('ERR_CLIENT_IN_CONFIG', `client "${clientId}" is defined in ${config.sourceFile}; remove it there`);
    }
    if (!(await removeClient(store, clientId, { now: now(), onRevoke: revoke, maxAccessTokenSeconds }))) {
      throw new CommandFailure('ERR_CLIENT_NOT_FOUND', `no client "${clientId}"`);
    }
    process.stdout.write(`removed client ${clientId}; its tokens are revoked\n`);
    return 0;
  });
};

export const CLIENT_COMMANDS: Record<string, CommandRunner> = { add, list, remove };
