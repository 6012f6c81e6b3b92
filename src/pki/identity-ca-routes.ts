// The CA routes as the identity service mounts them: none unless the config has a `ca:` block;
// client-credentials tokens are checked against this service's own published signing keys.
import type { JWK } from 'jose';
import type { IdentityStore } from '../store/identity-store.ts';
import { createCaRoutes, type CaRoutesDeps, type CaServiceSettings } from './ca-routes.ts';

type RouteHandler = (...args: Parameters<ReturnType<typeof createCaRoutes>>) => Promise<boolean>;

export interface IdentityCaContext {
  readonly config: { readonly issuer: string; readonly keyEncryptionKey: Buffer; readonly ca?: CaServiceSettings };
  readonly store: IdentityStore;
  readonly keys: { publicJwks(): { keys: readonly object[] } };
  readonly logger?: CaRoutesDeps['logger'];
}

export function identityCaRoutes(context: IdentityCaContext): RouteHandler[] {
  const settings = context.config.ca;
  if (settings === undefined) return [];
  return [
    createCaRoutes({
      documents: context.store.documents,
      keyEncryptionKey: context.config.keyEncryptionKey,
      issuer: context.config.issuer,
      publicJwks: () => ({ keys: context.keys.publicJwks().keys as JWK[] }),
      settings,
      logger: context.logger,
    }),
  ];
}
