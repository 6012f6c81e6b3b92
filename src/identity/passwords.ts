// Password hashing with argon2id (RFC 9106) at the OWASP Password Storage Cheat Sheet's minimum
// (m=19 MiB, t=2, p=1), stored as a PHC string so the parameters travel with each hash and can be
// raised later without breaking old hashes.
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';

const MEMORY_KIB = 19456;
const PASSES = 2;
const PARALLELISM = 1;
const SALT_BYTES = 16;
const TAG_BYTES = 32;
/** Bounds for parameters read back from a stored hash, so a corrupt row cannot exhaust memory. */
const MAX_MEMORY_KIB = 1 << 20;
const MAX_PASSES = 10;

const PHC_PATTERN = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

interface Argon2Cost {
  memory: number;
  passes: number;
  parallelism: number;
}

function derive(password: string, salt: Buffer, cost: Argon2Cost, tagLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2('argon2id', { message: password, nonce: salt, tagLength, ...cost }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** PHC base64: standard alphabet, no padding. */
function phcBase64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const cost = { memory: MEMORY_KIB, passes: PASSES, parallelism: PARALLELISM };
  const hash = await derive(password, salt, cost, TAG_BYTES);
  return `$argon2id$v=19$m=${MEMORY_KIB},t=${PASSES},p=${PARALLELISM}$${phcBase64(salt)}$${phcBase64(hash)}`;
}

/** False for a wrong password and for a hash this module cannot read. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  const match = PHC_PATTERN.exec(hash);
  if (!match) return false;
  const cost = { memory: Number(match[1]), passes: Number(match[2]), parallelism: Number(match[3]) };
  if (cost.memory > MAX_MEMORY_KIB || cost.passes > MAX_PASSES || cost.parallelism < 1 || cost.parallelism > 16) return false;
  const salt = Buffer.from(match[4], 'base64');
  const expected = Buffer.from(match[5], 'base64');
  if (salt.length < 8 || expected.length < 16) return false;
  const actual = await derive(password, salt, cost, expected.length);
  return timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as verifying a real user's password and returns false, so a login for an
 * unknown username cannot be told apart by its response time (OWASP Authentication Cheat Sheet).
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64'));
  await verifyPassword(await dummyHash, password);
  return false;
}
