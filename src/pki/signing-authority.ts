// A stored authority opened for signing: its certificate parsed and its key decrypted. Keys are
// decrypted per operation and never cached, so the passphrase is needed for every signature.
import type { AuthorityRole, CaStore, StoredAuthority } from './ca-store.ts';
import { decryptSigningKey } from './private-key-pem.ts';
import { x509, type CryptoKey } from './x509-crypto.ts';

export interface SigningAuthority {
  readonly certificate: x509.X509Certificate;
  readonly signingKey: CryptoKey;
}

export async function openAuthority(stored: StoredAuthority, passphrase: string, label: string): Promise<SigningAuthority> {
  return {
    certificate: new x509.X509Certificate(stored.certificatePem),
    signingKey: await decryptSigningKey(stored.encryptedKeyPem, passphrase, label),
  };
}

export async function openActiveAuthority(store: CaStore, role: AuthorityRole, passphrase: string): Promise<SigningAuthority> {
  return openAuthority(await store.readActive(role), passphrase, role);
}
