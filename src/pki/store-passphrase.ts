// The passphrase that encrypts a store-backed CA's private keys, derived from the identity
// service's key-encryption key (HKDF, RFC 5869) with its own label: the CA keys use the same
// PKCS#8 encryption as a directory CA, and a copy of the database without the KEK opens nothing.
import { hkdfSync } from 'node:crypto';

const INFO = 'gatehouse-ca-private-keys';

export function caPassphraseFromKek(keyEncryptionKey: Buffer): string {
  return Buffer.from(hkdfSync('sha256', keyEncryptionKey, Buffer.alloc(0), INFO, 32)).toString('base64url');
}
