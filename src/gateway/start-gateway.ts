// Starts one gateway process: logger, metrics, the process-wide key-set registry and verified-
// token cache, the first generation, its listeners, the admin listener, and reload on SIGHUP or
// on a change to the config path.
import { KeySetRegistry } from '../authn/key-set-registry.ts';
import { VerifiedTokenCache } from '../authn/verified-token-cache.ts';
import { createLogger } from '../observability/logger.ts';
import { GatewayMetrics } from '../observability/metrics.ts';
import { RateLimitStores } from '../ratelimit/rate-limit-stores.ts';
import { TokenExchanges } from '../authn/token-exchanges.ts';
import { RevocationFeeds } from './revocation/revocation-feeds.ts';
import { describeGeneration, startAdminServer } from './admin-server.ts';
import { GatewaySigningKeys } from './internal-token/gateway-signing-keys.ts';
import type { AdminServer, AdminSource } from './admin-server.ts';
import type { RuntimeServices } from './generation.ts';
import { ConcurrencyLimit } from './limits/concurrency-limit.ts';
import { ListenerSet, type RequestDispatcher } from './listener-set.ts';
import { compileConfiguration, ConfigReloader } from './reload.ts';
import type { ReloadResult } from './reload.ts';

export interface GatewayOptions {
  /** YAML file or directory of YAML files. */
  configPath: string;
  /** `host:port` of the admin listener; default '127.0.0.1:9901'; 'off' disables it. */
  adminAddress?: string;
  logLevel?: string;
  /** pino destination: file path or file descriptor; default stdout. */
  logDestination?: string | number;
  /** Reload when the config path changes (default true). */
  watch?: boolean;
  /** Tests: bind every listener to this port (0) and address instead of the configured ones. */
  listenerOverrides?: { port?: number; address?: string };
}

export interface RunningGateway {
  /** Bound address per listener id, e.g. {'demo-gateway/http': {address: '127.0.0.1', port: 8080}}. */
  readonly listeners: Record<string, { address: string; port: number }>;
  readonly adminPort?: number;
  /** What /readyz, /metrics and /config report for this process (a cluster primary aggregates it). */
  readonly status: AdminSource;
  /** This process's counters (a cluster worker hands them to the primary for aggregation). */
  readonly metrics: GatewayMetrics;
  reload(): Promise<ReloadResult>;
  close(): Promise<void>;
}

const DEFAULT_ADMIN_ADDRESS = '127.0.0.1:9901';
const TOKEN_CACHE_ENTRIES = 10_000;

/** Throws ConfigError when the initial configuration is invalid. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const log = createLogger({ level: options.logLevel, destination: options.logDestination });
  const logger = log.logger;
  const metrics = new GatewayMetrics();
  const registry = new KeySetRegistry({ logger, observer: metrics });
  const signingKeys = new GatewaySigningKeys();
  const rateLimitStores = new RateLimitStores(logger, metrics);
  const revocationFeeds = new RevocationFeeds(logger, metrics);
  const tokenExchanges = new TokenExchanges({ logger, observer: metrics });
  const services: RuntimeServices = { logger, metrics, registry, cache: new VerifiedTokenCache({ maxEntries: TOKEN_CACHE_ENTRIES }), signingKeys, rateLimitStores, revocationFeeds, tokenExchanges };
  const opened: { close(): Promise<void> }[] = [];
  const shutDown = async () => {
    for (const resource of opened.reverse()) await resource.close();
    registry.close();
    rateLimitStores.close();
    revocationFeeds.close();
    await log.close();
  };
  try {
    const initial = await compileConfiguration(options.configPath, 1, services);
    const concurrency = new ConcurrencyLimit();
    const dispatch: RequestDispatcher = (req, res, port, secure) => {
      const generation = reloader.current;
      if (concurrency.admit(req, res, generation.model.options.limits.maxConcurrentRequests, secure)) generation.pipeline.handle(req, res, port, secure);
    };
    const listeners = new ListenerSet(dispatch, options.listenerOverrides);
    const reloader: ConfigReloader = new ConfigReloader(options.configPath, services, listeners, initial);
    opened.push({ close: () => reloader.current.upstreams.close() });
    opened.push(listeners);
    opened.push(reloader);
    await listeners.openMissing(initial.listeners, initial.model.options);
    const status: AdminSource = {
      readiness: async () => ({
        ready: registry.isReady(reloader.current.model.providers) && revocationFeeds.isReady(reloader.current.model.revocationFeed),
        generation: reloader.current.number,
      }),
      metrics: async () => ({ contentType: metrics.contentType, body: await metrics.render() }),
      config: async () => describeGeneration(reloader.current),
      jwks: async () => signingKeys.jwks(),
    };
    let admin: AdminServer | undefined;
    const adminAddress = options.adminAddress ?? DEFAULT_ADMIN_ADDRESS;
    if (adminAddress !== 'off') {
      admin = await startAdminServer({ address: adminAddress, source: status });
      opened.push(admin);
    }
    if (options.watch !== false) await reloader.watch();
    const onHangUp = () => void reloader.reload();
    process.on('SIGHUP', onHangUp);
    opened.push({ close: async () => void process.off('SIGHUP', onHangUp) });
    logger.info({ listeners: listeners.addresses(), adminPort: admin?.port, generation: initial.number }, 'gateway started');
    let closing: Promise<void> | undefined;
    return {
      get listeners() {
        return listeners.addresses();
      },
      adminPort: admin?.port,
      status,
      metrics,
      reload: () => reloader.reload(),
      close: () => (closing ??= shutDown()),
    };
  } catch (error) {
    await shutDown();
    throw error;
  }
}
