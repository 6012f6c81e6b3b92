// `gatehouse identity`: composes the identity service from its parts — store, signing keys,
// accounts, clients, the OIDC provider, interaction pages and APIs — behind one HTTP server,
// plus the timers that keep it current: signing-key rotation and reload (another instance may
// have rotated), and the sweep of expired rows.
import type { AddressInfo } from 'node:net';
import type { IdentityStore, RevocationRecord } from '../store/identity-store.ts';
import { identityCaRoutes } from '../pki/identity-ca-routes.ts';
import { openStore } from '../store/open-store.ts';
import { createRevocationPublisher } from '../store/redis/revocation-publisher.ts';
import { createAccountApi } from './account-api.ts';
import { createAccessTokenVerifier } from './account-credentials.ts';
import { createAccounts } from './accounts.ts';
import { createClientAddressResolver } from './client-address.ts';
import { createAdminApi } from './admin-api.ts';
import { createClientMetadata } from './client-metadata-cache.ts';
import { errorLogFields } from './error-log-fields.ts';
import { syncConfiguredClients } from './clients.ts';
import { maxAccessTokenSeconds } from './identity-config.ts';
import type { IdentityConfig } from './identity-config.ts';
import { oidcScopeText } from './interactions/consent-items.ts';
import { pageHooks } from './interactions/page-hooks.ts';
import { createInteractionRoutes } from './interactions/router.ts';
import { createIssuedTokens } from './issued-tokens.ts';
import { createConfiguredKeyRing } from './keys/configured-key-ring.ts';
import { createLoginThrottle } from './login-throttle.ts';
import { createOidcProvider } from './provider.ts';
import { createIdentityServer } from './server.ts';

export interface IdentityLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface IdentityService {
  /** http://host:port the server listens on (the issuer may differ behind a proxy). */
  readonly url: string;
  readonly store: IdentityStore;
  /** Rotates the signing keys now (next → active) and serves with the new set. */
  rotateKeys(): Promise<void>;
  close(): Promise<void>;
}

/** How often expired rows (codes, sessions, throttle entries, revocations) are deleted. */
const SWEEP_EVERY_SECONDS = 300;
const CLOSE_GRACE_MS = 5000;
// setInterval holds a signed 32-bit delay: a longer keys.checkEvery ("30d") would fire every 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;
const now = () => Math.floor(Date.now() / 1000);

export async function startIdentityService(config: IdentityConfig, options: { logger?: IdentityLogger } = {}): Promise<IdentityService> {
  const { logger } = options;
  const store = await openStore(config.storage);
  const publisher = createRevocationPublisher({
    store: store.revocations,
    redisUrl: config.revocation?.redisUrl,
    keyPrefix: config.revocation?.keyPrefix ?? 'gatehouse:',
    logger,
  });
  try {
    await syncConfiguredClients(store, config.clients, config.keyEncryptionKey, now());
    const keyRing = createConfiguredKeyRing(config, store.signingKeys);
    await keyRing.ensure(now());

    const onRevoke = (record: RevocationRecord) => publisher.revoke(record);
    const accounts = createAccounts({
      store,
      throttle: createLoginThrottle(store.throttle, config.lockout),
      onRevoke,
      maxAccessTokenSeconds: maxAccessTokenSeconds(config),
    });
    const issuedTokens = createIssuedTokens(store.issuedTokens, publisher);
    const clientMetadata = createClientMetadata(config.keyEncryptionKey);
    const buildProvider = () => {
      const built = createOidcProvider({
        config,
        store,
        keys: keyRing,
        findAccount: accounts.findAccount,
        clientMetadata,
        issuedTokens,
        pages: pageHooks,
      });
      built.on('server_error', (_ctx: unknown, error: unknown) => logger?.error({ err: errorLogFields(error) }, 'oidc-provider request failed'));
      // Refresh-token reuse, RFC 7009 revocation of a grant-bound token, logout.
      built.on('grant.revoked', (_ctx: unknown, grantId: string) => logger?.info({ grantId }, 'grant revoked'));
      return built;
    };
    let provider = buildProvider();
    let providerVersion = keyRing.version;
    const swapProviderIfKeysChanged = () => {
      if (keyRing.version === providerVersion) return;
      provider = buildProvider();
      providerVersion = keyRing.version;
      logger?.info({ keys: providerVersion }, 'signing keys changed; provider rebuilt');
    };

    const clientAddress = createClientAddressResolver(config.trustedProxies ?? []);
    const interactions = createInteractionRoutes({
      getProvider: () => provider,
      clientAddress,
      accounts,
      config: { cookieKeys: config.cookieKeys, resources: config.resources },
      scopeText: oidcScopeText,
      logger,
    });
    const accountApi = createAccountApi({
      store,
      accounts,
      clientAddress,
      verifyAccessToken: createAccessTokenVerifier({ issuer: config.issuer, keyRing, revocations: store.revocations }),
      allowedScopes: new Set(config.resources.flatMap((resource) => Object.keys(resource.scopes))),
      onRevoke,
    });
    const adminApi = createAdminApi({
      adminToken: config.adminToken,
      store,
      accounts,
      kek: config.keyEncryptionKey,
      keyRing,
      onRevoke,
      onKeysRotated: swapProviderIfKeysChanged,
      maxAccessTokenSeconds: maxAccessTokenSeconds(config),
    });
    const server = createIdentityServer({
      getProvider: () => provider,
      // /ca/* only when the config has a `ca` block (src/pki/identity-ca-routes.ts).
      routes: [interactions, accountApi, adminApi, ...identityCaRoutes({ config, store, keys: keyRing, logger })],
      ready: () => store.ping(),
      logger,
    });

    const checkKeys = async () => {
      await keyRing.refresh();
      await keyRing.rotateIfDue(now());
      swapProviderIfKeysChanged();
    };
    const timers = [
      setInterval(() => {
        checkKeys().catch((error: unknown) => logger?.error({ err: errorLogFields(error) }, 'signing key check failed'));
      }, Math.min(config.keys.checkEverySeconds * 1000, MAX_TIMER_MS)),
      setInterval(() => {
        store.sweepExpired(now()).catch((error: unknown) => logger?.error({ err: errorLogFields(error) }, 'sweep of expired rows failed'));
      }, SWEEP_EVERY_SECONDS * 1000),
    ];
    for (const timer of timers) timer.unref();

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.listen.port, config.listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    logger?.info({ url, issuer: config.issuer, store: store.driver }, 'identity service listening');

    let closed = false;
    return {
      url,
      store,
      async rotateKeys() {
        await keyRing.rotate(now());
        swapProviderIfKeysChanged();
      },
      async close() {
        if (closed) return;
        closed = true;
        for (const timer of timers) clearInterval(timer);
        // Requests in flight finish (up to a grace period); idle keep-alive connections go now.
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        await stopped;
        clearTimeout(grace);
        await publisher.close();
        await store.close();
      },
    };
  } catch (error) {
    await publisher.close();
    await store.close();
    throw error;
  }
}
