// One issuer's verification keys, like Envoy's jwks_cache + jwks_async_fetcher: loaded at
// start-up, refreshed in the background (Cache-Control max-age clamped to the configured
// bounds), refetched on an unknown `kid` at most once per cooldown, and fail-safe: when the
// JWKS server is down the last good keys stay in use and the outage is logged once.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { JwtProvider, KeySource } from '../model/gateway-model.ts';
import { discoverJwksUri, fetchDocument, type FetchedDocument } from './fetch-jwks.ts';
import type { AuthnLogger, AuthnObserver } from './observer.ts';
import { importJwkSet, type VerificationKey } from './verification-key.ts';

export interface KeySetOptions {
  source: KeySource;
  refresh: JwtProvider['jwksRefresh'];
  /** Names the key set in logs and metrics (the issuer). */
  label: string;
  fetch: typeof fetch;
  logger: AuthnLogger;
  observer?: AuthnObserver;
}

export class KeySet {
  /** Bumps whenever the keys change; verified tokens remember the version they were checked with. */
  version = 0;
  /** undefined until the first successful load. */
  keys: readonly VerificationKey[] | undefined;
  readonly #options: KeySetOptions;
  readonly #loaded: Promise<void>;
  #fingerprint = '';
  #inFlight: Promise<number | undefined> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastUnknownKidRefetchAt = Number.NEGATIVE_INFINITY;
  #failing = false;
  #closed = false;
  #discoveredJwksUri: string | undefined;

  constructor(options: KeySetOptions) {
    this.#options = options;
    this.#loaded = this.#refreshAndReschedule();
  }

  get isLoaded(): boolean {
    return this.keys !== undefined;
  }

  /** Resolves after the first load attempt, whether it succeeded or not (never rejects). */
  whenLoaded(): Promise<void> {
    return this.#loaded;
  }

  /**
   * A token named a `kid` we do not hold: the issuer may have rotated. Refetch, but at most once
   * per cooldown so forged kids cannot turn the gateway into a JWKS request amplifier.
   */
  async refreshForUnknownKid(): Promise<void> {
    if (this.#options.source.kind === 'inline') return;
    if (this.#inFlight) {
      await this.#inFlight;
      return;
    }
    const now = performance.now();
    if (now - this.#lastUnknownKidRefetchAt < this.#options.refresh.unknownKidCooldownSeconds * 1000) return;
    this.#lastUnknownKidRefetchAt = now;
    await this.#refresh();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #refreshAndReschedule(): Promise<void> {
    const maxAgeSeconds = await this.#refresh();
    this.#schedule(maxAgeSeconds);
  }

  #schedule(maxAgeSeconds: number | undefined): void {
    if (this.#closed || this.#options.source.kind === 'inline') return;
    const { minSeconds, maxSeconds } = this.#options.refresh;
    // After a failure retry soon; after a success follow the server's max-age within our bounds.
    const seconds = this.#failing ? minSeconds : Math.min(maxSeconds, Math.max(minSeconds, maxAgeSeconds ?? maxSeconds));
    this.#timer = setTimeout(() => void this.#refreshAndReschedule(), seconds * 1000);
    this.#timer.unref();
  }

  /** One load, shared by concurrent callers. Resolves to the max-age to honour, never rejects. */
  #refresh(): Promise<number | undefined> {
    this.#inFlight ??= this.#load().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #load(): Promise<number | undefined> {
    const { label, logger, observer, source } = this.#options;
    const remote = source.kind === 'remote' || source.kind === 'discovery';
    try {
      const document = await this.#readSource();
      const imported = importJwkSet(document.text);
      if (remote) observer?.jwksFetch(label, 'ok');
      if (this.#failing) logger.info({ issuer: label }, 'JWKS available again');
      this.#failing = false;
      if (imported.fingerprint !== this.#fingerprint || this.keys === undefined) {
        this.keys = imported.keys;
        this.#fingerprint = imported.fingerprint;
        this.version++;
        logger.info({ issuer: label, keys: imported.keys.length, skippedKeys: imported.skipped, version: this.version }, 'JWKS loaded');
      }
      return document.maxAgeSeconds;
    } catch (error) {
      if (remote) observer?.jwksFetch(label, 'error');
      if (source.kind === 'discovery') this.#discoveredJwksUri = undefined;
      // Log once per outage, not once per retry or per request.
      if (!this.#failing) {
        logger.warn({ issuer: label, error: describe(error), keptKeys: this.keys?.length ?? 0 }, 'JWKS load failed; keeping the last good keys');
      }
      this.#failing = true;
      return undefined;
    }
  }

  async #readSource(): Promise<FetchedDocument> {
    const { source, fetch: fetchImpl } = this.#options;
    switch (source.kind) {
      case 'inline':
        return { text: source.jwks };
      case 'file':
        return { text: await readFile(source.path, 'utf8') };
      case 'remote':
        return fetchDocument(fetchImpl, source.uri, source.timeoutMs);
      case 'discovery':
        this.#discoveredJwksUri ??= await discoverJwksUri(fetchImpl, source.issuer, source.timeoutMs);
        return fetchDocument(fetchImpl, this.#discoveredJwksUri, source.timeoutMs);
    }
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause ? `${error.message}: ${cause.code ?? cause.message}` : error.message;
}
