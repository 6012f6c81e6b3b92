// `gatehouse token mint`: sign a JWT with a private JWK, for trying the gateway by hand. It will
// not sign with `alg: none` (RFC 8725 §3.1: never accept or produce unsecured JWTs) and will not
// pretend a public key can sign.
import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { readFileSync } from 'node:fs';
import { CommandFailure, UsageError } from './cli-errors.ts';
import { isDuration, parseDurationSeconds } from '../config/duration.ts';
import {
  algorithmFitsKey,
  defaultAlgorithmForKey,
  isKnownSigningAlgorithm,
  isPrivateKey,
  SIGNING_ALGORITHMS,
} from './jwk-algorithms.ts';
import { parseCommandArgs, requireOption } from './parse-command-args.ts';

const COMMAND = 'token mint';

export const TOKEN_MINT_HELP = `Usage: gatehouse token mint --key JWK_FILE --claims JSON [options]

Sign a JWT with a private JWK (for example one written by "gatehouse keys generate")
and print it. iat and exp are added unless the claims already contain them.

Options:
  --key JWK_FILE        private JWK (JSON) to sign with (required)
  --claims JSON         payload claims as a JSON object (required), e.g.
                        '{"iss":"http://127.0.0.1:9000","sub":"alice","aud":"demo-api"}'
  --alg ALG             signing algorithm (default: the key's "alg", else RS256 / ES256 /
                        EdDSA / HS256 by key type); one of ${SIGNING_ALGORITHMS.join(', ')}
  --kid KID             "kid" header (default: the key's "kid")
  --expires-in DURATION lifetime for exp, like 90s, 15m, 2h, 1h30m (default: 15m)
  -h, --help            show this help

"none" is refused, and so is a key without its private part.
`;

function readPrivateJwk(path: string): JWK {
  let jwk: unknown;
  try {
    jwk = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CommandFailure('ERR_KEY_UNREADABLE', `cannot read a JWK from ${path}: ${(error as Error).message}`);
  }
  if (typeof jwk !== 'object' || jwk === null || typeof (jwk as JWK).kty !== 'string') {
    throw new CommandFailure('ERR_KEY_UNREADABLE', `${path} is not a JWK (expected a JSON object with "kty")`);
  }
  if (!isPrivateKey(jwk as JWK)) {
    throw new CommandFailure('ERR_KEY_NOT_PRIVATE', `${path} holds a public key only; signing needs the private key`);
  }
  return jwk as JWK;
}

function parseClaims(text: string): JWTPayload {
  let claims: unknown;
  try {
    claims = JSON.parse(text);
  } catch (error) {
    throw new UsageError(COMMAND, `--claims is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new UsageError(COMMAND, '--claims must be a JSON object');
  }
  return claims as JWTPayload;
}

/** The same duration syntax as the configuration (Istio / Gateway API): 90s, 15m, 1h30m. */
function parseLifetime(text: string): number {
  const seconds = isDuration(text) ? parseDurationSeconds(text) : 0;
  if (seconds <= 0) throw new UsageError(COMMAND, `--expires-in must be a duration like 90s, 15m or 1h30m (got "${text}")`);
  return seconds;
}

function chooseAlgorithm(requested: string | undefined, jwk: JWK): string {
  const alg = requested ?? defaultAlgorithmForKey(jwk);
  if (alg !== undefined && alg.toLowerCase() === 'none') {
    throw new CommandFailure('ERR_ALG_NONE_REFUSED', 'refusing to mint an unsigned token (alg "none")');
  }
  if (alg === undefined || !isKnownSigningAlgorithm(alg)) {
    throw new UsageError(COMMAND, `unsupported algorithm "${alg}"; use one of ${SIGNING_ALGORITHMS.join(', ')}`);
  }
  if (!algorithmFitsKey(alg, jwk)) {
    const curve = jwk.crv ? ` (${jwk.crv})` : '';
    throw new CommandFailure('ERR_ALG_KEY_MISMATCH', `algorithm ${alg} cannot be used with this ${jwk.kty}${curve} key`);
  }
  return alg;
}

export async function runTokenMint(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    command: COMMAND,
    help: TOKEN_MINT_HELP,
    options: {
      key: { type: 'string' },
      claims: { type: 'string' },
      alg: { type: 'string' },
      kid: { type: 'string' },
      'expires-in': { type: 'string' },
    },
  });
  if (!parsed) return 0;
  const { values } = parsed;
  const keyPath = requireOption(COMMAND, values.key, 'key');
  const claims = parseClaims(requireOption(COMMAND, values.claims, 'claims'));
  const lifetimeSeconds = parseLifetime(values['expires-in'] ?? '15m');
  const jwk = readPrivateJwk(keyPath);
  const alg = chooseAlgorithm(values.alg, jwk);
  const kid = values.kid ?? jwk.kid;

  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = { ...claims };
  payload.iat ??= now;
  payload.exp ??= now + lifetimeSeconds;

  let key;
  try {
    key = await importJWK(jwk, alg);
  } catch (error) {
    throw new CommandFailure('ERR_KEY_UNREADABLE', `cannot use ${keyPath} for ${alg}: ${(error as Error).message}`);
  }
  const token = await new SignJWT(payload)
    .setProtectedHeader(kid === undefined ? { alg, typ: 'JWT' } : { alg, typ: 'JWT', kid })
    .sign(key);
  process.stdout.write(`${token}\n`);
  return 0;
}
