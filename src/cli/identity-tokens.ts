// `gatehouse identity tokens …`: personal API tokens (create, list, revoke) and the revocation of
// one issued JWT access token by its jti.
import { LIFETIME_PATTERN } from '../config/schemas/identity-service.ts';
import { createApiToken, revokeApiToken } from '../identity/api-tokens.ts';
import { lifetimeSeconds } from '../identity/identity-config.ts';
import type { ApiTokenRecord } from '../store/identity-store.ts';
import { CommandFailure, UsageError } from './cli-errors.ts';
import type { CommandRunner } from './command.ts';
import { TOKENS_HELP } from './identity-help.ts';
import { withIdentityStore } from './identity-context.ts';
import { formatTable, formatTime } from './text-table.ts';
import { parseCommandArgs, requireOption } from './parse-command-args.ts';

const CONFIG = { config: { type: 'string' } } as const;

function status(record: ApiTokenRecord, now: number): string {
  if (record.revokedAt !== undefined) return 'revoked';
  return record.expiresAt !== undefined && record.expiresAt <= now ? 'expired' : 'active';
}

const create: CommandRunner = async (args) => {
  const command = 'identity tokens create';
  const parsed = parseCommandArgs(args, {
    command,
    help: TOKENS_HELP,
    options: { ...CONFIG, user: { type: 'string' }, name: { type: 'string' }, scope: { type: 'string', multiple: true }, 'expires-in': { type: 'string' } },
  });
  if (!parsed) return 0;
  const { values } = parsed;
  const username = requireOption(command, values.user, 'user');
  const name = requireOption(command, values.name, 'name');
  const expiresIn = values['expires-in'];
  if (expiresIn !== undefined && (!LIFETIME_PATTERN.test(expiresIn) || lifetimeSeconds(expiresIn) <= 0)) {
    throw new UsageError(command, `--expires-in must be a duration such as 30d, 12h or 90m (got "${expiresIn}")`);
  }
  return withIdentityStore(requireOption(command, values.config, 'config'), async ({ store, now }) => {
    const user = await store.users.findByUsername(username);
    if (!user) throw new CommandFailure('ERR_USER_NOT_FOUND', `no user "${username}"`);
    const { token, record } = await createApiToken(
      store,
      { userId: user.id, name, scopes: values.scope ?? [], expiresInSeconds: expiresIn === undefined ? undefined : lifetimeSeconds(expiresIn) },
      now(),
    );
    process.stderr.write(`created token ${record.id} for ${user.username}; the token (shown once) follows on stdout\n`);
    process.stdout.write(`${token}\n`);
    return 0;
  });
};

const list: CommandRunner = async (args) => {
  const command = 'identity tokens list';
  const parsed = parseCommandArgs(args, { command, help: TOKENS_HELP, options: { ...CONFIG, user: { type: 'string' } } });
  if (!parsed) return 0;
  return withIdentityStore(requireOption(command, parsed.values.config, 'config'), async ({ store, now }) => {
    const username = parsed.values.user;
    const owner = username === undefined ? undefined : await store.users.findByUsername(username);
    if (username !== undefined && !owner) throw new CommandFailure('ERR_USER_NOT_FOUND', `no user "${username}"`);
    const names = new Map((await store.users.list()).map((user) => [user.id, user.username]));
    const rows = (await store.apiTokens.list(owner?.id)).map((record) => [
      record.id,
      names.get(record.userId) ?? record.userId,
      record.name,
      `${record.displayPrefix}…`,
      record.scopes.join(' ') || '-',
      status(record, now()),
      formatTime(record.expiresAt),
      formatTime(record.lastUsedAt),
    ]);
    process.stdout.write(formatTable(['ID', 'USER', 'NAME', 'PREFIX', 'SCOPES', 'STATUS', 'EXPIRES', 'LAST USED'], rows, 'no API tokens'));
    return 0;
  });
};

const revoke: CommandRunner = async (args) => {
  const command = 'identity tokens revoke';
  const parsed = parseCommandArgs(args, { command, help: TOKENS_HELP, options: CONFIG, positionals: { min: 1, max: 1, names: 'TOKEN_ID' } });
  if (!parsed) return 0;
  return withIdentityStore(requireOption(command, parsed.values.config, 'config'), async ({ store, now, revoke: publish }) => {
    if (!(await revokeApiToken(store, parsed.positionals[0], now(), publish))) {
      throw new CommandFailure('ERR_TOKEN_NOT_FOUND', `no active API token "${parsed.positionals[0]}"`);
    }
    process.stdout.write(`revoked token ${parsed.positionals[0]}\n`);
    return 0;
  });
};

const revokeJwt: CommandRunner = async (args) => {
  const command = 'identity tokens revoke-jwt';
  const parsed = parseCommandArgs(args, { command, help: TOKENS_HELP, options: CONFIG, positionals: { min: 1, max: 1, names: 'JTI' } });
  if (!parsed) return 0;
  const jti = parsed.positionals[0];
  return withIdentityStore(requireOption(command, parsed.values.config, 'config'), async ({ store, now, revoke: publish }) => {
    const issued = await store.issuedTokens.find(jti);
    if (!issued || issued.expiresAt <= now()) throw new CommandFailure('ERR_TOKEN_NOT_FOUND', `no unexpired access token with jti "${jti}"`);
    await publish({ kind: 'jti', value: jti, revokedAt: now(), expiresAt: issued.expiresAt });
    process.stdout.write(`revoked access token ${jti}\n`);
    return 0;
  });
};

export const TOKEN_COMMANDS: Record<string, CommandRunner> = { create, list, revoke, 'revoke-jwt': revokeJwt };
