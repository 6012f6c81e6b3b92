// One place that wires @peculiar/x509 to Node's WebCrypto and names the algorithms the CA uses,
// so every PKI module signs and generates keys the same way.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

export { x509 };

// The WebCrypto types under their usual names (this project compiles without the DOM lib).
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** ECDSA P-256 keys (the default for roots, intermediates and leaves). */
export const EC_KEY_ALGORITHM: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

/** ECDSA with SHA-256 (RFC 5758 §3.2), the signature on every certificate and CRL the CA makes. */
export const SIGNING_ALGORITHM: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

export function generateEcKeyPair(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
}

/** A random positive serial of 128 bits (CA/B BR §7.1 asks for at least 64 bits of entropy). */
export function randomSerialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  // Top bit clear keeps the DER INTEGER positive; a non-zero top byte keeps the hex length stable.
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}
