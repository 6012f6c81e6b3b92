// `gatehouse token …`: developer helpers for looking at and making JWTs.
import { runSubcommand } from './subcommands.ts';
import { runTokenDecode } from './token-decode.ts';
import { runTokenMint } from './token-mint.ts';

const TOKEN_HELP = `Usage: gatehouse token <subcommand> [options]

Developer helpers for JWTs.

Subcommands:
  decode TOKEN                      print header and payload (does not verify)
  mint --key JWK_FILE --claims JSON sign a token with a private JWK

Run "gatehouse token <subcommand> --help" for details.
`;

export function runToken(args: string[]): Promise<number> {
  return runSubcommand('token', TOKEN_HELP, { decode: runTokenDecode, mint: runTokenMint }, args);
}
