// Signing keys and tokens for tests: honest tokens via jose, hostile ones assembled by hand.
import { createHmac, sign, type KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

export interface SigningKey {
  alg: string;
  kid: string;
  privateKey: Parameters<SignJWT['sign']>[0];
  /** The public JWK as the issuer publishes it (kid, alg, use: sig). */
  publicJwk: JWK;
  publicKeyObject: KeyObject;
  privateKeyObject: KeyObject;
}

export async function makeSigningKey(kid: string, alg = 'RS256', extra: Partial<JWK> = {}): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig', ...extra };
  const { KeyObject } = await import('node:crypto');
  return { alg, kid, privateKey, publicJwk, publicKeyObject: KeyObject.from(publicKey), privateKeyObject: KeyObject.from(privateKey) };
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export async function mint(key: SigningKey, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).sign(key.privateKey);
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** RS256 over an arbitrary header (jose would refuse to sign some of the hostile ones). */
export function signRs256Raw(privateKey: KeyObject, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

export function signHs256Raw(secret: string | Buffer, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function unsigned(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  return `${b64(header)}.${b64(payload)}.`;
}
