// Hot reload: a new configuration is loaded, validated and compiled fully — its key sets
// acquired and given a chance to load — before one reference is swapped. Requests in flight
// finish on the generation they started with; its upstream pools close once they drained. A bad
// configuration is refused with one logged error and the old generation keeps serving.
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import { buildGeneration } from './generation.ts';
import type { Generation, RuntimeServices } from './generation.ts';
import type { ListenerSet } from './listener-set.ts';

export type ReloadResult = { ok: true; generation: number } | { ok: false; error: string };

/** How long a (re)load waits for first JWKS fetches before serving anyway (/readyz tells). */
const KEY_LOAD_WAIT_MS = 5_000;
/** Editors write a file in several steps; one reload after the burst. */
const WATCH_DEBOUNCE_MS = 200;
/** pkg/volume/util/atomic_writer.go: the link to the current timestamped data directory. */
const KUBELET_DATA_LINK = '..data';

export async function compileConfiguration(
  configPath: string,
  number: number,
  services: RuntimeServices,
  previous?: Generation,
): Promise<Generation> {
  const model = await loadConfig(configPath);
  services.registry.acquire(model.providers);
  // A new instance must know the revocations already published before it serves (docs/revocation.md).
  const feed = model.revocationFeed === undefined ? undefined : await services.revocationFeeds.acquire(model.revocationFeed);
  await services.rateLimitStores.load(model.rateLimits);
  await waitAtMost(Promise.all([services.registry.whenLoaded(model.providers), feed?.whenSynced()]).then(() => {}), KEY_LOAD_WAIT_MS);
  return buildGeneration(number, model, services, previous);
}

export class ConfigReloader {
  current: Generation;
  private readonly configPath: string;
  private readonly services: RuntimeServices;
  private readonly listeners: ListenerSet;
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  /** Old generations waiting for their last request before closing their pools. */
  private readonly retiring = new Set<Promise<void>>();

  constructor(configPath: string, services: RuntimeServices, listeners: ListenerSet, initial: Generation) {
    this.configPath = configPath;
    this.services = services;
    this.listeners = listeners;
    this.current = initial;
    services.metrics.generationServed(initial.number);
  }

  /** Reloads now; concurrent calls run one after another, each with its own result. */
  reload(): Promise<ReloadResult> {
    const result = this.queue.then(() => this.reloadOnce());
    this.queue = result;
    return result;
  }

  /** Watches the config file's directory (editors replace files by rename) or the config directory. */
  async watch(): Promise<void> {
    const isDirectory = (await stat(this.configPath)).isDirectory();
    const directory = isDirectory ? this.configPath : dirname(this.configPath);
    const fileName = isDirectory ? undefined : basename(this.configPath);
    this.watcher = watch(directory, { persistent: false }, (_event, changed) => {
      // The kubelet updates a mounted ConfigMap or Secret by renaming a new `..data` link into
      // place; the visible files are links through it and never change themselves.
      const kubeletSwap = changed === KUBELET_DATA_LINK;
      if (fileName !== undefined && changed !== null && changed !== fileName && !kubeletSwap) return;
      if (changed !== null && isEditorScratchFile(changed) && !kubeletSwap) return;
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.reload(), WATCH_DEBOUNCE_MS);
    });
    this.watcher.on('error', (error) => this.services.logger.warn({ error: error.message }, 'config watch failed'));
  }

  /** Stops watching, waits for a reload under way and for retired generations to release pools. */
  async close(): Promise<void> {
    clearTimeout(this.debounce);
    this.watcher?.close();
    await this.queue;
    await Promise.all(this.retiring);
  }

  private async reloadOnce(): Promise<ReloadResult> {
    const { logger, metrics, registry, cache } = this.services;
    const previous = this.current;
    let next: Generation;
    try {
      next = await compileConfiguration(this.configPath, previous.number + 1, this.services, previous);
      await this.listeners.openMissing(next.listeners, next.model.options);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.services.revocationFeeds.retain(previous.model.revocationFeed); // a feed the refused config subscribed
      metrics.configReload('error');
      logger.error(
        { configPath: this.configPath, error: message, servingGeneration: previous.number },
        'configuration refused; still serving the previous generation',
      );
      return { ok: false, error: message };
    }
    this.current = next;
    metrics.configReload('ok');
    metrics.generationServed(next.number);
    logger.info({ configPath: this.configPath, generation: next.number, routes: next.router.size }, 'configuration reloaded');
    registry.retain(next.model.providers);
    this.services.revocationFeeds.retain(next.model.revocationFeed);
    this.services.tokenExchanges.retain(next.model.tokenExchanges ?? []);
    // A cached verification was made against the old providers (audiences, claims): drop it.
    if (JSON.stringify(previous.model.providers) !== JSON.stringify(next.model.providers)) cache.clear();
    await this.listeners.closeUnused(next.listeners);
    const retired = previous.pipeline.drain().then(() => previous.upstreams.close());
    this.retiring.add(retired);
    void retired.finally(() => this.retiring.delete(retired));
    return { ok: true, generation: next.number };
  }
}

function isEditorScratchFile(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || name.endsWith('.swp');
}

function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
