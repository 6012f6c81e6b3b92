// The gateway's own client certificate for upstream mTLS, from the directory CA: requested at
// start (key generated locally, CSR) and renewed at two thirds of its lifetime — the point Istio
// and SPIFFE agents use — leaving a third to retry while the CA is unavailable.
// The PKI code (@peculiar/x509, reflect-metadata, tsyringe and the asn1 packages: ~20 MB RSS)
// loads on the first request to the CA, so a gateway configured without CA-issued certificates
// never loads it; the request is async and made before traffic needs the certificate.
import type { GatewayLogger } from '../../observability/logger.ts';

export interface ClientCertificatePem {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface CaClientCertificateSettings {
  readonly dir: string;
  readonly spiffeId: string;
  readonly dnsNames: readonly string[];
  readonly ttlSeconds?: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;
const MIN_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

export class RenewingClientCertificate {
  readonly #settings: CaClientCertificateSettings;
  readonly #logger: GatewayLogger | undefined;
  readonly #onRenewed: (certificate: ClientCertificatePem) => void;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #notAfter = 0;
  /** Settles (never rejects) once the first request to the CA succeeded or failed. */
  readonly firstAttempt: Promise<void>;

  readonly #label: string;

  /** `label` names the certificate in logs: the upstream client certificate, or a listener's. */
  constructor(settings: CaClientCertificateSettings, onRenewed: (certificate: ClientCertificatePem) => void, logger?: GatewayLogger, label = 'upstream client certificate') {
    this.#settings = settings;
    this.#label = label;
    this.#onRenewed = onRenewed;
    this.#logger = logger;
    this.firstAttempt = this.#renew();
  }

  async #renew(): Promise<void> {
    const { dir, spiffeId, dnsNames, ttlSeconds } = this.#settings;
    const requestedAt = Date.now();
    try {
      const [{ DirectoryCaStore }, { resolveDirectoryPassphrase }, { requestWorkloadCertificate }] = await Promise.all([
        import('../../pki/directory-store.ts'),
        import('../../pki/directory-passphrase.ts'),
        import('../../pki/request-certificate.ts'),
      ]);
      const { passphrase } = await resolveDirectoryPassphrase(dir, { generateIfMissing: false });
      const { issued, privateKeyPem } = await requestWorkloadCertificate(new DirectoryCaStore(dir), passphrase, { spiffeId, dnsNames, ttlSeconds });
      if (this.#closed) return;
      this.#notAfter = issued.certificate.notAfter.getTime();
      this.#onRenewed({ certificatePem: issued.chainPem, privateKeyPem });
      // Two thirds of the lifetime as this gateway sees it: the leaf's notBefore is backdated
      // for clock skew (src/pki/issue-certificate.ts), which would make a short leaf renew at once.
      const renewInMs = ((this.#notAfter - requestedAt) * 2) / 3;
      this.#logger?.info({ spiffeId, serial: issued.serial, notAfter: issued.certificate.notAfter.toISOString() }, `${this.#label} issued`);
      this.#schedule(renewInMs);
    } catch (error) {
      if (this.#closed) return;
      const retryInMs = Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, (this.#notAfter - Date.now()) / 10));
      this.#logger?.error({ spiffeId, dir, err: (error as Error).message, retryInMs }, `${this.#label} request failed`);
      this.#schedule(retryInMs);
    }
  }

  #schedule(delayMs: number): void {
    // setTimeout holds a signed 32-bit delay: a longer one (2/3 of a certificate of more than
    // ~37 days) would fire at once and renew in a loop. Capped, it renews early instead.
    this.#timer = setTimeout(() => void this.#renew(), Math.min(delayMs, MAX_TIMER_MS));
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }
}
