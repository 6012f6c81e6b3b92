// The shape of a personal API token, GitHub style: "gat_" + 30 random base62 characters + 6
// base62 characters of the CRC32 of the random part. The prefix makes leaked tokens findable by
// secret scanners; the checksum lets the gateway and the service refuse a mistyped or truncated
// token without a database lookup. ~178 bits of randomness (30 × log2 62).
import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const API_TOKEN_PREFIX = 'gat_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
const TOKEN_PATTERN = /^gat_[0-9A-Za-z]{36}$/;

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: rejecting larger bytes keeps every character equally likely.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

function checksum(random: string): string {
  let value = crc32(random);
  let out = '';
  for (let index = 0; index < CHECKSUM_LENGTH; index++) {
    out = ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

export function generateApiToken(): string {
  const random = randomBase62(RANDOM_LENGTH);
  return `${API_TOKEN_PREFIX}${random}${checksum(random)}`;
}

/** Prefix, length, alphabet and checksum; says nothing about whether the token exists. */
export function isWellFormedApiToken(token: string): boolean {
  if (!TOKEN_PATTERN.test(token)) return false;
  const random = token.slice(API_TOKEN_PREFIX.length, API_TOKEN_PREFIX.length + RANDOM_LENGTH);
  return token.slice(API_TOKEN_PREFIX.length + RANDOM_LENGTH) === checksum(random);
}

/** What the store keeps instead of the token (and what 'token-hash' revocations name). */
export function apiTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What lists show: enough to recognise a token, far too little to use it. */
export function apiTokenDisplayPrefix(token: string): string {
  return token.slice(0, API_TOKEN_PREFIX.length + 4);
}
