// Private keys at rest: PKCS#8 PEM encrypted with AES-256-CBC under a passphrase (PKCS#5 v2
// PBES2, RFC 8018 §6.2), so a copied CA directory is useless without the passphrase.
import { createPrivateKey, webcrypto } from 'node:crypto';
import { EC_KEY_ALGORITHM, type CryptoKey } from './x509-crypto.ts';
import { PkiError } from './pki-error.ts';

async function toKeyObject(privateKey: CryptoKey) {
  const der = await webcrypto.subtle.exportKey('pkcs8', privateKey);
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
}

export async function encryptPrivateKey(privateKey: CryptoKey, passphrase: string): Promise<string> {
  const keyObject = await toKeyObject(privateKey);
  return keyObject.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase }) as string;
}

/** Unencrypted PKCS#8 PEM: for a workload's own key file (mode 0600), never for CA keys. */
export async function exportPrivateKeyPem(privateKey: CryptoKey): Promise<string> {
  return (await toKeyObject(privateKey)).export({ format: 'pem', type: 'pkcs8' }) as string;
}

/** Loads an encrypted CA key as a non-extractable ECDSA signing key. */
export async function decryptSigningKey(encryptedPem: string, passphrase: string, label: string): Promise<CryptoKey> {
  let keyObject;
  try {
    keyObject = createPrivateKey({ key: encryptedPem, format: 'pem', passphrase });
  } catch {
    throw new PkiError('ERR_CA_KEY_LOCKED', `cannot decrypt the ${label} key: wrong passphrase or damaged key file`);
  }
  return keyObject.toCryptoKey(EC_KEY_ALGORITHM, false, ['sign']);
}
