// `gatehouse identity keys …`: the signing keys in the store. `rotate` works while the service
// runs: instances reload the key set within keys.checkEvery (SigningKeyStore.mutate serializes).
import { createConfiguredKeyRing } from '../identity/keys/configured-key-ring.ts';
import { orderForPublication } from '../identity/keys/key-rotation.ts';
import type { CommandRunner } from './command.ts';
import { KEYS_HELP } from './identity-help.ts';
import { withIdentityStore } from './identity-context.ts';
import { formatTable, formatTime } from './text-table.ts';
import { parseCommandArgs, requireOption } from './parse-command-args.ts';

const CONFIG = { config: { type: 'string' } } as const;

const list: CommandRunner = async (args) => {
  const command = 'identity keys list';
  const parsed = parseCommandArgs(args, { command, help: KEYS_HELP, options: CONFIG });
  if (!parsed) return 0;
  return withIdentityStore(requireOption(command, parsed.values.config, 'config'), async ({ store }) => {
    const rows = orderForPublication(await store.signingKeys.list()).map((key) => [
      key.kid,
      key.alg,
      key.state,
      formatTime(key.createdAt),
      formatTime(key.activatedAt),
      formatTime(key.removeAfter),
    ]);
    process.stdout.write(formatTable(['KID', 'ALG', 'STATE', 'CREATED', 'ACTIVATED', 'REMOVE AFTER'], rows, 'no signing keys yet (the service creates them on first start, or run "keys rotate")'));
    return 0;
  });
};

const rotate: CommandRunner = async (args) => {
  const command = 'identity keys rotate';
  const parsed = parseCommandArgs(args, { command, help: KEYS_HELP, options: CONFIG });
  if (!parsed) return 0;
  return withIdentityStore(requireOption(command, parsed.values.config, 'config'), async ({ config, store, now }) => {
    const keyRing = createConfiguredKeyRing(config, store.signingKeys);
    await keyRing.rotate(now());
    process.stdout.write(`rotated: active key is now ${keyRing.activeSigner().kid}\n`);
    return 0;
  });
};

export const KEY_COMMANDS: Record<string, CommandRunner> = { list, rotate };
