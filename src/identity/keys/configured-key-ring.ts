// The key ring an identity-service config describes. The running service and
// `gatehouse identity keys rotate` both build it here, so a rotation from the CLI keeps retired
// keys published exactly as long as the service would.
import type { SigningKeyStore } from '../../store/identity-store.ts';
import { maxAccessTokenSeconds, type IdentityConfig } from '../identity-config.ts';
import { createKeyRing, type KeyRing } from './key-ring.ts';

export function createConfiguredKeyRing(config: IdentityConfig, store: SigningKeyStore): KeyRing {
  return createKeyRing({
    store,
    kek: config.keyEncryptionKey,
    algorithm: config.keys.algorithm,
    // A retired key stays published until every token it signed has expired.
    maxTokenLifetimeSeconds: Math.max(maxAccessTokenSeconds(config), config.tokens.idTokenSeconds),
    rotateEverySeconds: config.keys.rotateEverySeconds,
  });
}
