// `gatehouse keys generate`: make a signing key pair as JWKs — the private key for whoever signs
// (`token mint`, a test issuer) and a public JWK set the gateway can load (a `jwks` file, an NGINX
// jwk Secret, or a JWKS endpoint's body).
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CommandFailure, UsageError } from './cli-errors.ts';
import { parseCommandArgs, requireOption } from './parse-command-args.ts';
import { runSubcommand } from './subcommands.ts';

const GENERATABLE_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

const KEYS_HELP = `Usage: gatehouse keys <subcommand> [options]

Subcommands:
  generate --alg RS256|ES256|EdDSA   create a signing key pair as JWKs

Run "gatehouse keys generate --help" for details.
`;

const KEYS_GENERATE_HELP = `Usage: gatehouse keys generate --alg RS256|ES256|EdDSA [--kid KID] [--out DIR]

Generate a signing key pair and write:
  DIR/<kid>.private.jwk.json   the private JWK (file mode 0600)
  DIR/jwks.json                the public JWK set (kid, alg, use "sig"); an existing set
                               keeps its other keys, so old and new keys can overlap
                               during a rotation

Options:
  --alg ALG   RS256 (RSA 2048), ES256 (P-256) or EdDSA (Ed25519) (required)
  --kid KID   key id (default: the key's RFC 7638 thumbprint)
  --out DIR   output directory, created if missing (default: current directory)
  -h, --help  show this help
`;

/** Public keys already published in DIR/jwks.json, minus any with the new key's kid. */
function readExistingPublicKeys(jwksPath: string, kid: string): JWK[] {
  let text: string;
  try {
    text = readFileSync(jwksPath, 'utf8');
  } catch {
    return [];
  }
  let keys: unknown;
  try {
    keys = (JSON.parse(text) as { keys?: unknown }).keys;
  } catch (error) {
    throw new CommandFailure('ERR_JWKS_UNREADABLE', `${jwksPath} exists but is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(keys)) throw new CommandFailure('ERR_JWKS_UNREADABLE', `${jwksPath} exists but has no "keys" array`);
  return (keys as JWK[]).filter((key) => key.kid !== kid);
}

async function runKeysGenerate(args: string[]): Promise<number> {
  const command = 'keys generate';
  const parsed = parseCommandArgs(args, {
    command,
    help: KEYS_GENERATE_HELP,
    options: { alg: { type: 'string' }, kid: { type: 'string' }, out: { type: 'string' } },
  });
  if (!parsed) return 0;
  const alg = requireOption(command, parsed.values.alg, 'alg');
  if (!GENERATABLE_ALGORITHMS.includes(alg)) {
    throw new UsageError(command, `--alg must be one of ${GENERATABLE_ALGORITHMS.join(', ')} (got "${alg}")`);
  }
  const outDir = resolve(parsed.values.out ?? '.');

  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = parsed.values.kid ?? (await calculateJwkThumbprint(publicJwk));
  if (!/^[A-Za-z0-9._-]+$/.test(kid)) {
    throw new UsageError(command, '--kid may contain only letters, digits, ".", "_" and "-" (it names a file)');
  }
  const labels = { kid, alg, use: 'sig' };
  const privateJwk = { ...labels, ...(await exportJWK(privateKey)) };

  mkdirSync(outDir, { recursive: true });
  const privatePath = join(outDir, `${kid}.private.jwk.json`);
  const jwksPath = join(outDir, 'jwks.json');
  const publicKeys = [...readExistingPublicKeys(jwksPath, kid), { ...labels, ...publicJwk }];
  try {
    // 'wx': never overwrite a private key someone may still be signing with.
    writeFileSync(privatePath, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'it already exists' : (error as Error).message;
    throw new CommandFailure('ERR_KEY_WRITE_FAILED', `cannot write ${privatePath}: ${reason}`);
  }
  writeFileSync(jwksPath, `${JSON.stringify({ keys: publicKeys }, null, 2)}\n`);

  process.stdout.write(`private key: ${privatePath}\npublic JWKS: ${jwksPath}\nkid: ${kid}\n`);
  return 0;
}

export function runKeys(args: string[]): Promise<number> {
  return runSubcommand('keys', KEYS_HELP, { generate: runKeysGenerate }, args);
}
