// Prometheus metrics of one gateway process, on a private Registry (never prom-client's global
// one, so several gateways in one test process do not share counters). The same object is the
// AuthnObserver handed to authn, so JWKS fetches, cache outcomes and auth failures are counted
// where they happen.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Tally } from './tally.ts';
import type { AuthnObserver } from '../authn/observer.ts';
import type { ReasonCode } from '../gateway/reasons.ts';
import type { AuthorizationObserver } from '../gateway/stages/authorize.ts';
import type { RateLimitObserver } from '../ratelimit/redis-connection.ts';
import type { RevocationObserver } from '../gateway/revocation/revocation-feed.ts';
import type { TokenExchangeObserver } from '../authn/token-exchange.ts';

const STATUS_CLASSES = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx'];
const CACHE_OUTCOMES = ['hit', 'miss'] as const;
const AUTHZ_DECISIONS = ['deny', 'allow'] as const;

export class GatewayMetrics implements AuthnObserver, AuthorizationObserver, RateLimitObserver, RevocationObserver, TokenExchangeObserver {
  readonly registry = new Registry();
  // The three counters every request touches are tallied and folded in on collect (tally.ts).
  private readonly requestTally = new Tally(STATUS_CLASSES.length);
  private readonly tokenCacheTally = new Tally(CACHE_OUTCOMES.length);
  private readonly authzTally = new Tally(AUTHZ_DECISIONS.length);
  private readonly requests: Counter<'route' | 'status_class'> = new Counter({
    name: 'gatehouse_requests_total',
    help: 'Requests answered, by route id and HTTP status class.',
    labelNames: ['route', 'status_class'] as const,
    registers: [this.registry],
    collect: () => this.requestTally.drain((route, column, count) => this.requests.inc({ route, status_class: STATUS_CLASSES[column] }, count)),
  });
  private readonly duration = new Histogram({
    name: 'gatehouse_request_duration_seconds',
    help: 'Time from request accepted to response finished.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly authFailures = new Counter({
    name: 'gatehouse_auth_failures_total',
    help: 'Authentication failures, by stable reason code.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly jwksFetches = new Counter({
    name: 'gatehouse_jwks_fetches_total',
    help: 'JWKS fetches, by issuer and outcome.',
    labelNames: ['issuer', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly tokenCacheLookups: Counter<'outcome'> = new Counter({
    name: 'gatehouse_token_cache_total',
    help: 'Verified-token cache lookups, by outcome (hit skips the signature check).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
    collect: () => this.tokenCacheTally.drain((_row, column, count) => this.tokenCacheLookups.inc({ outcome: CACHE_OUTCOMES[column] }, count)),
  });
  private readonly authzDecisions: Counter<'policy' | 'decision'> = new Counter({
    name: 'gatehouse_authz_decisions_total',
    help: 'Authorization decisions, by the policy that decided and allow/deny.',
    labelNames: ['policy', 'decision'] as const,
    registers: [this.registry],
    collect: () => this.authzTally.drain((policy, column, count) => this.authzDecisions.inc({ policy, decision: AUTHZ_DECISIONS[column] }, count)),
  });
  private readonly configReloads = new Counter({
    name: 'gatehouse_config_reloads_total',
    help: 'Configuration reloads, by outcome.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly configGeneration = new Gauge({
    name: 'gatehouse_config_generation',
    help: 'Number of the configuration generation being served.',
    aggregator: 'min', // across cluster workers: the oldest generation still served
    registers: [this.registry],
  });

  private readonly rateLimitedRequests = new Counter({
    name: 'gatehouse_ratelimit_rejections_total',
    help: 'Requests refused by a rate limit, by policy.',
    labelNames: ['policy'] as const,
    registers: [this.registry],
  });
  private readonly rateLimitBackend = new Gauge({
    name: 'gatehouse_ratelimit_backend_state',
    help: 'Shared rate-limit backend usable (1) or not (0, rate limits use their fallback), by backend host:port.',
    labelNames: ['backend'] as const,
    aggregator: 'min',
    registers: [this.registry],
  });
  private readonly rateLimitFallbacks = new Counter({
    name: 'gatehouse_ratelimit_fallback_total',
    help: 'Rate-limit decisions taken without the shared backend (local counter or fail open), by backend.',
    labelNames: ['backend'] as const,
    registers: [this.registry],
  });

  private readonly revocationFeedUp = new Gauge({
    name: 'gatehouse_revocation_feed_up',
    help: 'Revocation feed subscribed and caught up (1) or not (0: revocations already known still apply), by Redis host:port/prefix.',
    labelNames: ['feed'] as const,
    aggregator: 'min',
    registers: [this.registry],
  });
  private readonly revocationsActiveGauge = new Gauge({
    name: 'gatehouse_revocations_active',
    help: 'Revocations held in memory, by feed.',
    labelNames: ['feed'] as const,
    aggregator: 'max',
    registers: [this.registry],
  });
  private readonly revocationsReceived = new Counter({
    name: 'gatehouse_revocations_received_total',
    help: 'Revocations heard on the feed channel, by feed.',
    labelNames: ['feed'] as const,
    registers: [this.registry],
  });
  private readonly tokenExchanges = new Counter({
    name: 'gatehouse_token_exchanges_total',
    help: 'Opaque-token lookups, by TokenExchange and outcome (cache_hit, exchanged, rejected, unavailable).',
    labelNames: ['exchange', 'outcome'] as const,
    registers: [this.registry],
  });

  revocationFeedState(feed: string, up: boolean): void {
    this.revocationFeedUp.set({ feed }, up ? 1 : 0);
  }

  revocationsActive(feed: string, count: number): void {
    this.revocationsActiveGauge.set({ feed }, count);
  }

  revocationReceived(feed: string): void {
    this.revocationsReceived.inc({ feed });
  }

  tokenExchange(exchange: string, outcome: 'cache_hit' | 'exchanged' | 'rejected' | 'unavailable'): void {
    this.tokenExchanges.inc({ exchange, outcome });
  }

  rateLimited(policy: string): void {
    this.rateLimitedRequests.inc({ policy });
  }

  rateLimitBackendState(backend: string, up: boolean): void {
    this.rateLimitBackend.set({ backend }, up ? 1 : 0);
  }

  rateLimitFallback(backend: string): void {
    this.rateLimitFallbacks.inc({ backend });
  }

  authzDecision(policy: string, allowed: boolean): void {
    this.authzTally.add(policy, allowed ? 1 : 0);
  }

  requestFinished(routeId: string, status: number, durationSeconds: number): void {
    const statusClass = Math.trunc(status / 100);
    this.requestTally.add(routeId, statusClass >= 0 && statusClass < STATUS_CLASSES.length ? statusClass : STATUS_CLASSES.length - 1);
    this.duration.observe(durationSeconds);
  }

  jwksFetch(issuer: string, outcome: 'ok' | 'error'): void {
    this.jwksFetches.inc({ issuer, outcome });
  }

  tokenCache(outcome: 'hit' | 'miss'): void {
    this.tokenCacheTally.add('', outcome === 'hit' ? 0 : 1);
  }

  authFailure(reason: ReasonCode): void {
    this.authFailures.inc({ reason });
  }

  configReload(outcome: 'ok' | 'error'): void {
    this.configReloads.inc({ outcome });
  }

  generationServed(generation: number): void {
    this.configGeneration.set(generation);
  }

  /** Prometheus text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
