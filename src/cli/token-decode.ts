// `gatehouse token decode TOKEN`: show what a JWT says, for debugging. It never verifies the
// signature — the output says so — so it must not be used to decide whether to trust a token.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { readFileSync } from 'node:fs';
import { CommandFailure } from './cli-errors.ts';
import { parseCommandArgs } from './parse-command-args.ts';

export const TOKEN_DECODE_HELP = `Usage: gatehouse token decode TOKEN

Print a JWT's header and payload as JSON, with its time claims (iat, nbf, exp)
also as ISO 8601 dates. The signature is NOT verified.

Pass - as TOKEN to read the token from stdin (keeps it out of shell history).

Options:
  -h, --help   show this help
`;

/** RFC 7519 §4.1.4-6: NumericDate claims, shown as dates so a human can read them. */
const TIME_CLAIMS = ['iat', 'nbf', 'exp'] as const;

export async function runTokenDecode(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    command: 'token decode',
    help: TOKEN_DECODE_HELP,
    options: {},
    positionals: { min: 1, max: 1, names: 'TOKEN' },
  });
  if (!parsed) return 0;
  const token = parsed.positionals[0] === '-' ? readFileSync(0, 'utf8').trim() : parsed.positionals[0];

  let header;
  let payload;
  try {
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch (error) {
    throw new CommandFailure('ERR_TOKEN_MALFORMED', `not a decodable JWT: ${(error as Error).message}`);
  }

  const dates: Record<string, string> = {};
  for (const claim of TIME_CLAIMS) {
    const value = payload[claim];
    if (typeof value === 'number' && Number.isFinite(value)) dates[claim] = new Date(value * 1000).toISOString();
  }
  const nowSeconds = Math.floor(Date.now() / 1000);
  const expired = typeof payload.exp === 'number' ? payload.exp <= nowSeconds : undefined;

  const output = { header, payload, dates, expired, signature: 'not verified' };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  return 0;
}
