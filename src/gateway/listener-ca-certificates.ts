// Certificates of HTTPS listeners issued by the directory CA (tls.options
// gatehouse.dev/certificate-ca-dir): one renewing request per distinct setting, shared across
// reloads, so an unchanged listener keeps its certificate and its renewal schedule. A renewal
// calls back into the ListenerSet, which swaps the TLS context for new handshakes only.
import type { ListenerCaCertificate, Listener } from '../model/gateway-model.ts';
import type { GatewayLogger } from '../observability/logger.ts';
import { RenewingClientCertificate, type ClientCertificatePem } from './forward/renewing-client-certificate.ts';

interface Entry {
  readonly renewing: RenewingClientCertificate;
  current?: ClientCertificatePem;
}

function keyOf(settings: ListenerCaCertificate): string {
  return JSON.stringify([settings.dir, settings.spiffeId, settings.dnsNames, settings.ttlSeconds]);
}

export class ListenerCaCertificates {
  readonly #entries = new Map<string, Entry>();
  readonly #onRenewed: () => void;
  readonly #logger: GatewayLogger | undefined;

  constructor(onRenewed: () => void, logger?: GatewayLogger) {
    this.#onRenewed = onRenewed;
    this.#logger = logger;
  }

  /** Starts a request for each new setting and waits for its first answer from the CA. */
  async prepare(listeners: readonly Listener[]): Promise<void> {
    const waiting: Promise<void>[] = [];
    for (const { caCertificate: settings } of listeners) {
      if (settings === undefined || this.#entries.has(keyOf(settings))) continue;
      let entry: Entry | undefined;
      const renewing = new RenewingClientCertificate(
        settings,
        (certificate) => {
          if (entry) entry.current = certificate;
          this.#onRenewed();
        },
        this.#logger,
        `listener certificate ${settings.spiffeId}`,
      );
      entry = { renewing };
      this.#entries.set(keyOf(settings), entry);
      waiting.push(renewing.firstAttempt);
    }
    await Promise.all(waiting);
  }

  current(settings: ListenerCaCertificate): ClientCertificatePem | undefined {
    return this.#entries.get(keyOf(settings))?.current;
  }

  /** Stops renewing certificates no listener uses any more. */
  retain(listeners: readonly Listener[]): void {
    const used = new Set(listeners.flatMap((listener) => (listener.caCertificate ? [keyOf(listener.caCertificate)] : [])));
    for (const [key, entry] of this.#entries) {
      if (used.has(key)) continue;
      entry.renewing.close();
      this.#entries.delete(key);
    }
  }

  close(): void {
    this.retain([]);
  }
}
