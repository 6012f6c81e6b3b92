// Signing keys and tokens for one benchmark run. Keys are generated fresh per run (never
// committed); tokens are signed with node:crypto directly because minting 10,000 of them
// through a JWT library would dominate the start-up time of a `--quick` run.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MintSlice } from './mint-worker.ts';

export type BenchAlgorithm = 'RS256' | 'ES256';
export const BENCH_ALGORITHMS: readonly BenchAlgorithm[] = ['RS256', 'ES256'];

export interface BenchSigningKey {
  alg: BenchAlgorithm;
  kid: string;
  privateKey: KeyObject;
  /** SPKI PEM, for peers that take a public key file (HAProxy, @fastify/jwt). */
  publicKeyPem: string;
  /** Public JWK with kid/alg/use, for the JWKS server. */
  publicJwk: Record<string, unknown>;
}

export interface BenchClaims {
  issuer: string;
  audience: string;
  role: string;
  /** Token lifetime; must outlast the whole run (RFC 7519 §4.1.4 `exp`). */
  lifetimeSeconds: number;
}

export function generateSigningKey(alg: BenchAlgorithm): BenchSigningKey {
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `bench-${alg.toLowerCase()}-${Date.now().toString(36)}`;
  return {
    alg,
    kid,
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
  };
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A compact JWS (RFC 7515 §7.1). ES256 signatures are raw r||s, not DER (RFC 7518 §3.4). */
export function mintToken(key: BenchSigningKey, claims: BenchClaims, subject: string, nowSeconds: number): string {
  const header = base64UrlJson({ alg: key.alg, typ: 'JWT', kid: key.kid });
  const payload = base64UrlJson({
    iss: claims.issuer,
    aud: claims.audience,
    sub: subject,
    role: claims.role,
    iat: nowSeconds,
    exp: nowSeconds + claims.lifetimeSeconds,
  });
  const signingInput = `${header}.${payload}`;
  const signature =
    key.alg === 'RS256'
      ? sign('sha256', Buffer.from(signingInput), key.privateKey)
      : sign('sha256', Buffer.from(signingInput), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** `count` valid tokens with distinct subjects (so distinct token strings), `${prefix}-${i}`. */
export function mintTokens(key: BenchSigningKey, claims: BenchClaims, prefix: string, count: number): string[] {
  const now = Math.floor(Date.now() / 1000);
  const tokens: string[] = new Array(count);
  for (let i = 0; i < count; i++) tokens[i] = mintToken(key, claims, `${prefix}-${i}`, now);
  return tokens;
}

/** The same tokens as mintTokens, signed on one worker thread per CPU. */
export async function mintTokensInParallel(key: BenchSigningKey, claims: BenchClaims, prefix: string, count: number): Promise<string[]> {
  const threads = Math.max(1, Math.min(availableParallelism(), Math.ceil(count / 1000)));
  const nowSeconds = Math.floor(Date.now() / 1000);
  const privateKeyPem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const sliceSize = Math.ceil(count / threads);
  const slices = Array.from({ length: threads }, (_, i) => {
    const slice: MintSlice = {
      alg: key.alg, kid: key.kid, privateKeyPem, claims, prefix, nowSeconds,
      from: i * sliceSize,
      to: Math.min(count, (i + 1) * sliceSize),
    };
    return new Promise<string[]>((resolve, reject) => {
      const worker = new Worker(new URL('./mint-worker.ts', import.meta.url), { workerData: slice });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  });
  return (await Promise.all(slices)).flat();
}

/** session: each connection repeats one token (a logged-in client); distinct: a signature per request. */
export type TokenMix = 'session' | 'distinct';
export const TOKEN_MIXES: readonly TokenMix[] = ['session', 'distinct'];

export type TokenFiles = Record<BenchAlgorithm, Record<TokenMix, string>>;

/** Mint both mixes for both algorithms and write them one token per line, for the wrk script. */
export async function writeTokenFiles(
  directory: string,
  keys: Record<BenchAlgorithm, BenchSigningKey>,
  claims: BenchClaims,
  counts: Record<TokenMix, number>,
): Promise<TokenFiles> {
  const files = {} as TokenFiles;
  for (const alg of BENCH_ALGORITHMS) {
    files[alg] = {} as Record<TokenMix, string>;
    for (const mix of TOKEN_MIXES) {
      const file = join(directory, `tokens-${alg}-${mix}.txt`);
      writeFileSync(file, `${(await mintTokensInParallel(keys[alg], claims, `${mix}-user`, counts[mix])).join('\n')}\n`);
      files[alg][mix] = file;
    }
  }
  return files;
}
